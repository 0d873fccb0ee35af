import Foundation

extension GoTemplate.Run {
  typealias Failure = GoTemplate.Failure

  /// text/template's builtin functions, and kubectl's `exists` and `base64decode`.
  static func call(_ name: String, _ values: [JSONValue?]) throws(Failure) -> JSONValue? {
    func count(_ wanted: Int) throws(Failure) {
      guard values.count == wanted else {
        throw Failure("wrong number of args for \(name): want \(wanted) got \(values.count)")
      }
    }
    switch name {
    case "not":
      try count(1)
      return .bool(!truth(values[0]))
    case "len":
      try count(1)
      switch values[0] {
      case .string(let text)?: return .int(Int64(text.utf8.count))
      case .array(let items)?: return .int(Int64(items.count))
      case .object(let fields)?: return .int(Int64(fields.count))
      case nil, .null?: throw Failure("len of nil pointer")
      case let other?: throw Failure("len of type \(JSONPath.GoFormat.typeName(other))")
      }
    case "index":
      guard var item = values.first else { throw Failure("wrong number of args for index: want at least 1 got 0") }
      for key in values.dropFirst() {
        item = try index(item, key)
      }
      return item
    case "print": return .string(sprint(values))
    case "println": return .string(values.map(printed).joined(separator: " ") + "\n")
    case "printf":
      guard case .string(let format)? = values.first else {
        throw Failure("wrong type for value; expected string; got \(values.first.map { $0.map(JSONPath.GoFormat.typeName) ?? "<nil>" } ?? "<nil>")")
      }
      return .string(GoTemplate.Printf.format(format, Array(values.dropFirst())))
    case "eq", "ne", "lt", "le", "gt", "ge":
      guard values.count >= 2 else { throw Failure("wrong number of args for \(name): want 2 got \(values.count)") }
      if name == "eq" {
        for other in values.dropFirst() where try compare(values[0], other, equalityOnly: true) == 0 {
          return .bool(true)
        }
        return .bool(false)
      }
      try count(2)
      let order = try compare(values[0], values[1], equalityOnly: name == "ne")
      switch name {
      case "ne": return .bool(order != 0)
      case "lt": return .bool(order < 0)
      case "le": return .bool(order <= 0)
      case "gt": return .bool(order > 0)
      default: return .bool(order >= 0)
      }
    case "exists":
      guard var item = values.first ?? nil else { return .bool(false) }
      for key in values.dropFirst() {
        switch (item, key) {
        case (.object(let fields), .string(let name)?):
          guard let next = fields[name] else { return .bool(false) }
          item = next
        case (.array(let items), .int(let position)?):
          guard position >= 0 && position < items.count else { return .bool(false) }
          item = items[Int(position)]
        default: return .bool(false)
        }
      }
      return .bool(true)
    case "base64decode":
      try count(1)
      guard case .string(let text)? = values[0], let data = Data(base64Encoded: text) else {
        throw Failure("base64 decode failed: illegal base64 data at input byte 0")
      }
      return .string(String(decoding: data, as: UTF8.self))
    default:
      throw Failure("Kelp does not support the template function \(name)")
    }
  }

  /// fmt.Sprint: a space between operands when neither is a string.
  static func sprint(_ values: [JSONValue?]) -> String {
    var out = ""
    for (position, value) in values.enumerated() {
      let isString: (JSONValue?) -> Bool = { if case .string? = $0 { return true } else { return false } }
      if position > 0 && !isString(value) && !isString(values[position - 1]) { out += " " }
      out += value.map { JSONPath.GoFormat.dump($0, syntax: false) } ?? "<nil>"
    }
    return out
  }

  private static func index(_ item: JSONValue?, _ key: JSONValue?) throws(Failure) -> JSONValue? {
    switch (item, key) {
    case (nil, _), (.null?, _): throw Failure("index of untyped nil")
    case (.object(let fields)?, .string(let name)?): return fields[name]
    case (.object?, let other): throw Failure("value has type \(other.map(JSONPath.GoFormat.typeName) ?? "<nil>"); should be string")
    case (.array(let items)?, .int(let position)?):
      guard position >= 0 && position < items.count else { throw Failure("index out of range: \(position)") }
      return items[Int(position)]
    case (.array?, let other): throw Failure("cannot index slice/array with type \(other.map(JSONPath.GoFormat.typeName) ?? "nil")")
    case (.string(let text)?, .int(let position)?):
      let bytes = Array(text.utf8)
      guard position >= 0 && position < bytes.count else { throw Failure("index out of range: \(position)") }
      return .int(Int64(bytes[Int(position)]))
    case (let other?, _): throw Failure("can't index item of type \(JSONPath.GoFormat.typeName(other))")
    }
  }

  /// Go's ordering of basic values: both of one kind (integer literals and float64 data are
  /// different kinds, as kubectl users find out); a missing value is equal only to another.
  private static func compare(_ left: JSONValue?, _ right: JSONValue?, equalityOnly: Bool) throws(Failure) -> Int {
    switch (left, right) {
    case (.bool(let a)?, .bool(let b)?):
      guard equalityOnly else { throw Failure("invalid type for comparison") }
      return a == b ? 0 : 1
    case (.int(let a)?, .int(let b)?): return a < b ? -1 : a == b ? 0 : 1
    case (.double(let a)?, .double(let b)?): return a < b ? -1 : a == b ? 0 : 1
    case (.string(let a)?, .string(let b)?):
      return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : a == b ? 0 : 1
    case (.null?, .null?), (nil, nil): 
      guard equalityOnly else { throw Failure("invalid type for comparison") }
      return 0
    case (nil, _), (_, nil), (.null?, _), (_, .null?):
      guard equalityOnly else { throw Failure("invalid type for comparison") }
      return 1
    case (.object?, _), (.array?, _), (_, .object?), (_, .array?):
      throw Failure(equalityOnly ? "non-comparable type" : "invalid type for comparison")
    default: throw Failure("incompatible types for comparison")
    }
  }
}

extension GoTemplate {
  /// fmt.Sprintf's verbs as templates use them: %v %s %d %q %f %t %x %%, with flags `-` and `0`,
  /// a width and a precision; Go's `%!d(float64=3)` for a verb that does not fit the value.
  enum Printf {
    static func format(_ format: String, _ arguments: [JSONValue?]) -> String {
      var out = ""
      var next = 0
      var characters = Array(format)[...]
      while let character = characters.popFirst() {
        guard character == "%" else {
          out.append(character)
          continue
        }
        var leftAlign = false
        var zeroPad = false
        var plus = false
        while let flag = characters.first, "-0+ #".contains(flag) {
          if flag == "-" { leftAlign = true }
          if flag == "0" { zeroPad = true }
          if flag == "+" { plus = true }
          characters.removeFirst()
        }
        let width = Int(String(characters.prefix { $0.isNumber }))
        characters = characters.drop { $0.isNumber }
        var precision: Int?
        if characters.first == "." {
          characters.removeFirst()
          precision = Int(String(characters.prefix { $0.isNumber })) ?? 0
          characters = characters.drop { $0.isNumber }
        }
        guard let verb = characters.popFirst() else {
          out += "%!(NOVERB)"
          break
        }
        if verb == "%" {
          out += "%"
          continue
        }
        guard next < arguments.count else {
          out += "%!\(verb)(MISSING)"
          continue
        }
        let argument = arguments[next]
        next += 1
        var text = formatted(argument, verb: verb, precision: precision, plus: plus)
        if let width, text.count < width {
          let padding = String(repeating: zeroPad && !leftAlign ? "0" : " ", count: width - text.count)
          if leftAlign {
            text += padding
          } else if zeroPad, text.hasPrefix("-") {
            text = "-" + padding + text.dropFirst()
          } else {
            text = padding + text
          }
        }
        out += text
      }
      if next < arguments.count {
        let extra = arguments[next...].map { value in
          guard let value else { return "<nil>" }
          return "\(JSONPath.GoFormat.typeName(value))=\(JSONPath.GoFormat.dump(value, syntax: false))"
        }
        out += "%!(EXTRA " + extra.joined(separator: ", ") + ")"
      }
      return out
    }

    private static func formatted(_ value: JSONValue?, verb: Character, precision: Int?, plus: Bool) -> String {
      guard let value, value != .null else { return verb == "v" || verb == "s" ? "<nil>" : "%!\(verb)(<nil>)" }
      let wrong = "%!\(verb)(\(JSONPath.GoFormat.typeName(value))=\(JSONPath.GoFormat.dump(value, syntax: false)))"
      switch (verb, value) {
      case ("v", _):
        if case .string(let text) = value, let precision { return String(text.prefix(precision)) }
        return JSONPath.GoFormat.dump(value, syntax: false)
      case ("s", .string(let text)): return precision.map { String(text.prefix($0)) } ?? text
      case ("q", .string(let text)): return JSONPath.GoFormat.quoted(text, json: false)
      case ("d", .int(let number)): return (plus && number >= 0 ? "+" : "") + String(number)
      case ("x", .int(let number)): return String(number, radix: 16)
      case ("X", .int(let number)): return String(number, radix: 16).uppercased()
      case ("x", .string(let text)): return text.utf8.map { JSONPath.GoFormat.padded(UInt32($0), 2) }.joined()
      case ("t", .bool(let flag)): return flag ? "true" : "false"
      case ("f", .double(let number)), ("F", .double(let number)):
        return (plus && number >= 0 ? "+" : "") + String(format: "%.\(precision ?? 6)f", number)
      case ("e", .double(let number)): return String(format: "%.\(precision ?? 6)e", number)
      case ("g", .double(let number)):
        if let precision { return String(format: "%.\(precision)g", number) }
        return JSONPath.GoFormat.dump(value, syntax: false)
      case ("s", .object), ("s", .array), ("d", .object), ("d", .array):
        // Go formats each element with the verb; keep the common case readable.
        return JSONPath.GoFormat.dump(value, syntax: false)
      default: return wrong
      }
    }
  }
}
