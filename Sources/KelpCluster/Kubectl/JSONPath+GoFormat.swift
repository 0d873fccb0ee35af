import OrderedCollections

extension JSONPath {
  /// How Go writes values: fmt's %v and %#v, and encoding/json (which sorts map keys).
  enum GoFormat {
    static func text(_ value: JSONValue) -> String {
      switch value {
      case .object, .array: return json(value)
      default: return dump(value, syntax: false)
      }
    }

    typealias Fields = OrderedDictionary<String, JSONValue>

    /// Go orders map keys by their bytes.
    static func sorted(_ fields: Fields) -> [Fields.Element] {
      fields.elements.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    static func json(_ value: JSONValue) -> String {
      switch value {
      case .null: return "null"
      case .double(let number):
        // Exponent form outside [1e-6, 1e21), and e-7 rather than e-07.
        let magnitude = abs(number)
        let exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        return float(number, exponent: exponent, json: true)
      case .string(let text): return quoted(text, json: true)
      case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
      case .object(let fields):
        let members = sorted(fields).map { quoted($0.key, json: true) + ":" + json($0.value) }
        return "{" + members.joined(separator: ",") + "}"
      default: return dump(value, syntax: false)
      }
    }

    /// fmt's %v (`syntax` false) or %#v of the value as Go decodes JSON into `interface{}`.
    static func dump(_ value: JSONValue, syntax: Bool) -> String {
      switch value {
      case .null: return syntax ? "interface {}(nil)" : "<nil>"
      case .bool(let flag): return flag ? "true" : "false"
      case .int(let number): return String(number)
      case .double(let number):
        let exponent = decimal(number).point - 1  // %g's shortest form: exponent outside [-4, 6)
        return float(number, exponent: number != 0 && (exponent < -4 || exponent >= 6))
      case .string(let text): return syntax ? quoted(text, json: false) : text
      case .array(let items):
        let inner = items.map { dump($0, syntax: syntax) }
        return syntax
          ? "[]interface {}{" + inner.joined(separator: ", ") + "}"
          : "[" + inner.joined(separator: " ") + "]"
      case .object(let fields):
        let inner = sorted(fields).map {
          (syntax ? quoted($0.key, json: false) : $0.key) + ":" + dump($0.value, syntax: syntax)
        }
        return syntax
          ? "map[string]interface {}{" + inner.joined(separator: ", ") + "}"
          : "map[" + inner.joined(separator: " ") + "]"
      }
    }

    static func typeName(_ value: JSONValue) -> String {
      switch value {
      case .bool: return "bool"
      case .int: return "int64"
      case .double: return "float64"
      case .string: return "string"
      case .object: return "map[string]interface {}"
      default: return "[]interface {}"
      }
    }

    /// The shortest digits that read back as the number (Swift's and Go's agree), and where the
    /// decimal point goes: |number| = 0.digits × 10^point.
    static func decimal(_ number: Double) -> (digits: [Character], point: Int) {
      let parts = "\(abs(number))".split(separator: "e")
      let mantissa = parts[0]
      var point = mantissa.distance(
        from: mantissa.startIndex, to: mantissa.firstIndex(of: ".") ?? mantissa.endIndex)
      point += parts.count > 1 ? Int(parts[1]) ?? 0 : 0
      var digits = Array(mantissa.filter { $0 != "." })
      while digits.first == "0" {
        digits.removeFirst()
        point -= 1
      }
      while digits.last == "0" { digits.removeLast() }
      return (digits, point)
    }

    /// strconv.FormatFloat with precision -1, in the 'e' or 'f' format.
    static func float(_ number: Double, exponent: Bool, json: Bool = false) -> String {
      guard number.isFinite else { return number.isNaN ? "NaN" : number < 0 ? "-Inf" : "+Inf" }
      let sign = number.sign == .minus ? "-" : ""
      let (digits, point) = decimal(number)
      if digits.isEmpty { return sign + "0" }
      if exponent {
        let fraction = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
        let power = point - 1
        return sign + String(digits[0]) + fraction + "e" + (power < 0 ? "-" : "+")
          + padded(UInt32(abs(power)), json && power < 0 ? 1 : 2, radix: 10)
      }
      if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
      if point >= digits.count {
        return sign + String(digits) + String(repeating: "0", count: point - digits.count)
      }
      return sign + String(digits[..<point]) + "." + String(digits[point...])
    }

    /// strconv.Quote (as %q and %#v write strings) or, with `json`, encoding/json's HTML-safe form
    /// (which writes \b and \f since Go 1.22).
    static func quoted(_ text: String, json: Bool) -> String {
      let named: [Unicode.Scalar: String] = [
        "\"": "\"", "\\": "\\", "\n": "n", "\r": "r", "\t": "t", "\u{8}": "b", "\u{C}": "f",
      ]
      let goOnly: [Unicode.Scalar: String] = ["\u{7}": "a", "\u{B}": "v"]
      var out = "\""
      for scalar in text.unicodeScalars {
        let code = scalar.value
        if let name = named[scalar] ?? (json ? nil : goOnly[scalar]) {
          out += "\\" + name
        } else if json && (code < 0x20 || "<>&\u{2028}\u{2029}".unicodeScalars.contains(scalar)) {
          out += "\\u" + padded(code, 4)
        } else if !json && (code < 0x20 || code == 0x7F) {
          out += "\\x" + padded(code, 2)
        } else if !json && (0x80...0x9F).contains(code) {
          out += "\\u" + padded(code, 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      return out + "\""
    }

    static func padded(_ value: UInt32, _ width: Int, radix: Int = 16) -> String {
      let digits = String(value, radix: radix)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
  }
}
