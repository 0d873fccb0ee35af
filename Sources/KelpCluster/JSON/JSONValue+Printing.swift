import OrderedCollections

/// The two texts kubectl prints objects as: `-o json` (Go's encoder, four-space indent, fields
/// in struct order) and `-o yaml` (sigs.k8s.io/yaml: keys sorted, sequences not indented under
/// their key, strings quoted only where YAML would read them as something else).
extension JSONValue {
  public var jsonText: String {
    var out = ""
    writeJSON(into: &out, indent: 0)
    return out
  }

  public var yamlText: String {
    var out = ""
    switch self {
    case .object(let fields) where !fields.isEmpty:
      writeYAMLFields(fields, into: &out, indent: 0)
    case .array(let items) where !items.isEmpty:
      writeYAMLItems(items, into: &out, indent: 0)
    default:
      out = JSONValue.yamlScalar(self) + "\n"
    }
    return out
  }

  private func writeJSON(into out: inout String, indent: Int) {
    let pad = String(repeating: " ", count: indent + 4)
    let closePad = String(repeating: " ", count: indent)
    switch self {
    case .null: out += "null"
    case .bool(let flag): out += flag ? "true" : "false"
    case .int(let number): out += String(number)
    case .double(let number): out += JSONValue.numberText(number)
    case .string(let text): out += JSONValue.jsonQuoted(text)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "[\n"
      for (index, item) in items.enumerated() {
        out += pad
        item.writeJSON(into: &out, indent: indent + 4)
        out += index == items.count - 1 ? "\n" : ",\n"
      }
      out += closePad + "]"
    case .object(let fields):
      if fields.isEmpty {
        out += "{}"
        return
      }
      out += "{\n"
      for (index, (key, value)) in fields.enumerated() {
        out += pad + JSONValue.jsonQuoted(key) + ": "
        value.writeJSON(into: &out, indent: indent + 4)
        out += index == fields.count - 1 ? "\n" : ",\n"
      }
      out += closePad + "}"
    }
  }

  static func numberText(_ number: Double) -> String {
    if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
      return String(Int64(number))
    }
    return String(number)
  }

  static func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  private func writeYAMLFields(
    _ fields: OrderedDictionary<String, JSONValue>, into out: inout String, indent: Int
  ) {
    let pad = String(repeating: " ", count: indent)
    for key in fields.keys.sorted() {
      guard let value = fields[key] else { continue }
      out += pad + JSONValue.yamlKey(key) + ":"
      value.writeYAMLValue(into: &out, indent: indent, inSequence: false)
    }
  }

  private func writeYAMLItems(_ items: [JSONValue], into out: inout String, indent: Int) {
    let pad = String(repeating: " ", count: indent)
    for item in items {
      switch item {
      case .object(let fields) where !fields.isEmpty:
        // The first field shares the line with the dash; the rest line up under it.
        var first = ""
        item.writeYAMLFieldsInline(fields, into: &first, indent: indent + 2)
        out += pad + "- " + first.dropFirst(indent + 2)
      case .array(let inner) where !inner.isEmpty:
        var nested = ""
        JSONValue.array(inner).writeYAMLItems(inner, into: &nested, indent: indent + 2)
        out += pad + "- " + nested.dropFirst(indent + 2)
      default:
        out += pad + "- " + JSONValue.yamlScalar(item) + "\n"
      }
    }
  }

  private func writeYAMLFieldsInline(
    _ fields: OrderedDictionary<String, JSONValue>, into out: inout String, indent: Int
  ) {
    writeYAMLFields(fields, into: &out, indent: indent)
  }

  private func writeYAMLValue(into out: inout String, indent: Int, inSequence: Bool) {
    switch self {
    case .object(let fields) where !fields.isEmpty:
      out += "\n"
      writeYAMLFields(fields, into: &out, indent: indent + 2)
    case .array(let items) where !items.isEmpty:
      out += "\n"
      writeYAMLItems(items, into: &out, indent: indent)
    case .string(let text) where JSONValue.suitsLiteralBlock(text):
      let pad = String(repeating: " ", count: indent + 2)
      let chomp = text.hasSuffix("\n") ? "|" : "|-"
      out += " " + chomp + "\n"
      var body = text
      if body.hasSuffix("\n") { body.removeLast() }
      for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
        out += line.isEmpty ? "\n" : pad + line + "\n"
      }
    default:
      out += " " + JSONValue.yamlScalar(self) + "\n"
    }
  }

  static func yamlKey(_ key: String) -> String {
    yamlScalar(.string(key))
  }

  /// go-yaml writes a multi-line string as a literal block (`|`, or `|-` without a final line
  /// break) unless a line ends in a space or the text holds other control characters.
  static func suitsLiteralBlock(_ text: String) -> Bool {
    guard text.contains("\n") else { return false }
    if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) { return false }
    return !text.contains(" \n") && !text.hasSuffix(" ")
  }

  static func yamlScalar(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return numberText(number)
    case .string(let text):
      // As go-yaml (kubectl's printer) chooses: a string that would read back as another type
      // is double-quoted, one with control characters escaped in double quotes, and one that
      // only breaks the plain syntax single-quoted.
      if text.isEmpty || resolvesToOtherType(text) { return "\"" + text + "\"" }
      if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        return jsonQuoted(text)
      }
      guard needsYAMLQuotes(text) else { return text }
      return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    case .array: return "[]"
    case .object: return "{}"
    }
  }

  /// Whether a plain scalar would be read back as a bool, null, number or timestamp.
  static func resolvesToOtherType(_ text: String) -> Bool {
    let reserved: Set<String> = [
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]
    return reserved.contains(text.lowercased()) || looksNumeric(text) || looksLikeTimestamp(text)
  }

  /// Whether a plain scalar would be read back as something other than this string.
  static func needsYAMLQuotes(_ text: String) -> Bool {
    if text.isEmpty || resolvesToOtherType(text) { return true }
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else {
      return true
    }
    if " \t".unicodeScalars.contains(first) || " \t".unicodeScalars.contains(last) { return true }
    if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
      // A lone dash followed by a letter ("-v") is fine only when not followed by a space.
      if first == "-" && text.count > 1 && !text.hasPrefix("- ") && !text.hasPrefix("--- ") {
        return looksNumeric(text)
      }
      return true
    }
    if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return true }
    return text.unicodeScalars.contains { $0.value < 0x20 }
  }

  /// YAML 1.1's int and float forms: `12`, `-3`, `1.5`, `.5`, `1e3`, `0x1F`, `0o17`.
  private static func looksNumeric(_ text: String) -> Bool {
    var body = Substring(text)
    if body.first == "-" || body.first == "+" { body = body.dropFirst() }
    if body.isEmpty { return false }
    if body.hasPrefix("0x") || body.hasPrefix("0o") { return true }
    if [".inf", ".nan", ".Inf", ".NaN", ".INF", ".NAN"].contains(body) { return true }
    var digits = 0
    var dots = 0
    var exponent = false
    var previous: Character = " "
    for character in body {
      if character.isASCII && character.isNumber {
        digits += 1
      } else if character == "." && !exponent {
        dots += 1
      } else if (character == "e" || character == "E") && digits > 0 && !exponent {
        exponent = true
      } else if (character == "+" || character == "-") && (previous == "e" || previous == "E") {
      } else {
        return false
      }
      previous = character
    }
    return digits > 0 && dots <= 1 && previous.isNumber
      || (digits > 0 && dots == 1 && previous == ".")
  }

  private static func looksLikeTimestamp(_ text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard scalars.count >= 10 else { return false }
    func digit(_ index: Int) -> Bool { scalars[index].properties.numericType != nil }
    return digit(0) && digit(1) && digit(2) && digit(3) && scalars[4] == "-" && digit(5)
      && digit(6) && scalars[7] == "-" && digit(8) && digit(9)
  }
}
