/// Two ways to print a value, as in Scheme: `written` is readable back (strings quoted and
/// escaped: what the REPL shows), `displayed` is for people (strings as their text: what
/// `display`, `println` and `str` use). Maps print in insertion order as `{:a 1 :b 2}`.
extension Value: CustomStringConvertible {
  public var description: String { written }

  public var written: String { Value.render(self, readable: true) }

  public var displayed: String {
    if case .string(let s) = self { return s.value }
    return Value.render(self, readable: false)
  }

  /// Past this depth a structure prints as `...`.
  static let maxPrintDepth = 10_000

  /// Containers print recursively, so they print on a large stack (in place when already on
  /// one) and stop with `...` where the stack runs short.
  static func render(_ value: Value, readable: Bool) -> String {
    switch value {
    case .pair, .vector, .map:
      return LargeStack.run { () -> String in
        var out = ""
        print(value, readable: readable, into: &out, depth: 0, limit: StackGuard.limit)
        return out
      }
    default:
      var out = ""
      print(value, readable: readable, into: &out, depth: 0, limit: 0)
      return out
    }
  }

  static func print(_ value: Value, readable: Bool, into out: inout String, depth: Int, limit: UInt)
  {
    guard depth < maxPrintDepth, StackGuard.hasRoom(below: limit) else {
      out += "..."
      return
    }
    switch value {
    case .null: out += "nil"
    case .bool(let b): out += b ? "#t" : "#f"
    case .int(let i): out += String(i)
    case .double(let d): out += formatDouble(d)
    case .string(let s): out += readable ? quote(s.value) : s.value
    case .symbol(let s): out += s.name
    case .keyword(let s): out += ":" + s.name
    case .pair(let first):
      if let shorthand = quoteShorthand(first) {
        out += shorthand
        print(
          first.cdr.car ?? .null, readable: readable, into: &out, depth: depth + 1, limit: limit)
        return
      }
      out += "("
      var cell = first
      while true {
        print(cell.car, readable: readable, into: &out, depth: depth + 1, limit: limit)
        switch cell.cdr {
        case .null:
          out += ")"
          return
        case .pair(let next):
          out += " "
          cell = next
        default:
          out += " . "
          print(cell.cdr, readable: readable, into: &out, depth: depth + 1, limit: limit)
          out += ")"
          return
        }
      }
    case .vector(let v):
      out += "["
      for (index, item) in v.items.enumerated() {
        if index > 0 { out += " " }
        print(item, readable: readable, into: &out, depth: depth + 1, limit: limit)
      }
      out += "]"
    case .map(let m):
      out += "{"
      for (index, entry) in m.ordered.enumerated() {
        if index > 0 { out += " " }
        print(entry.key, readable: readable, into: &out, depth: depth + 1, limit: limit)
        out += " "
        print(entry.value, readable: readable, into: &out, depth: depth + 1, limit: limit)
      }
      out += "}"
    case .closure(let c): out += "#<procedure \(c.lambda.name)>"
    case .builtin(let b): out += "#<builtin \(b.name)>"
    case .error(let e): out += "#<error \(quote(e.error.message))>"
    case .void: out += ""
    case .unbound: out += "#<unbound>"
    case .tailCall: out += "#<tail-call>"
    }
  }

  /// `'x` rather than `(quote x)`, as the reader wrote it.
  static func quoteShorthand(_ cell: Pair) -> String? {
    guard case .symbol(let head) = cell.car, case .pair(let rest) = cell.cdr,
      case .null = rest.cdr
    else { return nil }
    switch head.name {
    case "quote": return "'"
    case "quasiquote": return "`"
    case "unquote": return ","
    case "unquote-splicing": return ",@"
    default: return nil
    }
  }

  /// Floats always show a decimal point or exponent, so `2.0` does not read back as an integer.
  static func formatDouble(_ d: Double) -> String {
    if d.isNaN { return "+nan.0" }
    if d.isInfinite { return d > 0 ? "+inf.0" : "-inf.0" }
    let text = String(d)
    if text.contains(".") || text.contains("e") { return text }
    return text + ".0"
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A short description of the value's type, for error messages: "an integer", "a string".
  public var typeName: String {
    switch self {
    case .null: return "the empty list"
    case .bool: return "a boolean"
    case .int: return "an integer"
    case .double: return "a float"
    case .string: return "a string"
    case .symbol: return "a symbol"
    case .keyword: return "a keyword"
    case .pair: return "a list"
    case .vector: return "a vector"
    case .map: return "a map"
    case .closure, .builtin: return "a procedure"
    case .error: return "an error"
    case .void: return "no value"
    case .unbound, .tailCall: return "an internal marker"
    }
  }
}

extension Value {
  /// `car` of a pair, nil otherwise: a convenience for walking forms.
  var car: Value? {
    if case .pair(let p) = self { return p.car }
    return nil
  }
}
