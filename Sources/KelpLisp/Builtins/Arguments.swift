/// Typed getters for builtin arguments, so every type error reads the same:
/// `substring: expected an integer for start, got "a" (a string)`.
public enum Arguments {
  public static func typeError(
    _ function: String, _ expected: String, _ value: Value, name: String? = nil
  )
    -> LispError
  {
    let what = name.map { "\(expected) for \($0)" } ?? expected
    return LispError(
      .type, "\(function): expected \(what), got \(shown(value)) (\(value.typeName))")
  }

  /// A value as shown in an error: written, and cut short when long.
  public static func shown(_ value: Value) -> String {
    let text = value.written
    return text.count > 60 ? String(text.prefix(57)) + "..." : text
  }

  public static func int(_ value: Value, _ function: String, _ name: String? = nil)
    throws(LispError) -> Int
  {
    guard case .int(let int) = value else {
      throw typeError(function, "an integer", value, name: name)
    }
    return int
  }

  public static func double(_ value: Value, _ function: String, _ name: String? = nil)
    throws(LispError)
    -> Double
  {
    switch value {
    case .int(let int): return Double(int)
    case .double(let double): return double
    default: throw typeError(function, "a number", value, name: name)
    }
  }

  public static func string(_ value: Value, _ function: String, _ name: String? = nil)
    throws(LispError)
    -> String
  {
    guard case .string(let box) = value else {
      throw typeError(function, "a string", value, name: name)
    }
    return box.value
  }

  public static func map(_ value: Value, _ function: String) throws(LispError) -> MapBox {
    switch value {
    case .map(let map): return map
    case .null: return .empty
    default: throw typeError(function, "a map", value)
    }
  }

  /// The elements of a list or vector (`nil` is the empty list).
  public static func sequence(_ value: Value, _ function: String) throws(LispError) -> [Value] {
    switch value {
    case .null: return []
    case .vector(let vector): return vector.items
    case .pair:
      var items: [Value] = []
      var rest = value
      while case .pair(let cell) = rest {
        items.append(cell.car)
        rest = cell.cdr
      }
      guard case .null = rest else { throw typeError(function, "a proper list", value) }
      return items
    default:
      throw typeError(function, "a list or vector", value)
    }
  }

  public static func procedure(_ value: Value, _ function: String) throws(LispError) -> Value {
    switch value {
    case .closure, .builtin: return value
    default: throw typeError(function, "a procedure", value)
    }
  }

  /// Keyword arguments after the positional ones: `(f "x" :replicas 3)`.
  public static func keywords(_ args: ArraySlice<Value>, _ function: String, allowed: [String])
    throws(LispError) -> [String: Value]
  {
    var result: [String: Value] = [:]
    var index = args.startIndex
    while index < args.endIndex {
      guard case .keyword(let key) = args[index] else {
        throw LispError(
          .type, "\(function): expected a keyword argument, got \(shown(args[index]))",
          hint: "keyword arguments are written :name value")
      }
      guard allowed.contains(key.name) else {
        var hint = "\(function) takes " + allowed.map { ":" + $0 }.joined(separator: ", ")
        if let near = Suggestions.closest(to: key.name, among: allowed) {
          hint = "did you mean :\(near)?"
        }
        throw LispError(.value, "\(function): unknown keyword argument :\(key.name)", hint: hint)
      }
      guard index + 1 < args.endIndex else {
        throw LispError(.value, "\(function): keyword :\(key.name) needs a value")
      }
      result[key.name] = args[index + 1]
      index += 2
    }
    return result
  }
}
