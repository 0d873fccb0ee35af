extension GoTemplate.Parser {
  typealias Failure = GoTemplate.Failure
  typealias Position = GoTemplate.Position

  // text/template's lexer: the template's texts and actions, each action's tokens with where
  // they start, the trim markers and comments.

  func lineCount() -> Int { 1 + bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count }

  func line(at position: Int) -> Int {
    1 + bytes[..<position].filter { $0 == UInt8(ascii: "\n") }.count
  }

  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

  mutating func lex() throws(Failure) {
    var text: [UInt8] = []
    while offset < bytes.count {
      if bytes[offset] == UInt8(ascii: "{"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "{") {
        let start = offset
        offset += 2
        // `{{- ` trims the whitespace before the action.
        if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "-"), Self.isSpace(bytes[offset + 1]) {
          while let last = text.last, Self.isSpace(last) { text.removeLast() }
          offset += 2
        }
        if !text.isEmpty { items.append(.text(String(decoding: text, as: UTF8.self))) }
        text = []
        let trimAfter = try action(startingAt: start)
        if trimAfter { while offset < bytes.count, Self.isSpace(bytes[offset]) { offset += 1 } }
      } else {
        text.append(bytes[offset])
        offset += 1
      }
    }
    if !text.isEmpty { items.append(.text(String(decoding: text, as: UTF8.self))) }
  }

  /// Lexes one action after its `{{`; whether it ended with ` -}}`.
  mutating func action(startingAt start: Int) throws(Failure) -> Bool {
    let line = self.line(at: start)
    var lastNewline = start - 1
    while lastNewline >= 0 && bytes[lastNewline] != UInt8(ascii: "\n") { lastNewline -= 1 }
    skipSpaces()
    if matches("/*") {
      guard let close = find("*/") else { throw Failure("\(line): unclosed comment") }
      offset = close + 2
      let trim = matches(" -}}")
      if trim { offset += 4 } else if matches("}}") { offset += 2 } else {
        throw Failure("\(line): comment ends before closing delimiter")
      }
      return trim
    }
    var tokens: [Lexed] = []
    while true {
      skipSpaces()
      guard offset < bytes.count else { throw Failure("\(line): unclosed action") }
      if matches(" -}}") {
        offset += 4
        items.append(.action(tokens, Position(line: line, column: start + 2 - lastNewline - 1)))
        return true
      }
      if matches("}}") {
        offset += 2
        items.append(.action(tokens, Position(line: line, column: start + 2 - lastNewline - 1)))
        return false
      }
      let tokenStart = offset
      let token = try self.token(line: line, after: tokens.last?.token)
      tokens.append(
        Lexed(
          token: token, column: tokenStart - lastNewline - 1,
          text: String(decoding: bytes[tokenStart..<offset], as: UTF8.self)))
    }
  }

  mutating func token(line: Int, after previous: Token?) throws(Failure) -> Token {
    let byte = bytes[offset]
    switch byte {
    case UInt8(ascii: "|"): offset += 1; return .pipe
    case UInt8(ascii: "("): offset += 1; return .open
    case UInt8(ascii: ")"): offset += 1; return .close  // a `.a` right after is a chain
    case UInt8(ascii: ","): offset += 1; return .comma
    case UInt8(ascii: ":"):
      guard matches(":=") else { throw Failure("\(line): expected :=") }
      offset += 2
      return .declare
    case UInt8(ascii: "="): offset += 1; return .assign
    case UInt8(ascii: "\""): return .string(try quotedString(line: line))
    case UInt8(ascii: "`"):
      offset += 1
      guard let close = bytes[offset...].firstIndex(of: UInt8(ascii: "`")) else {
        throw Failure("\(line): unterminated raw quoted string")
      }
      defer { offset = close + 1 }
      return .string(String(decoding: bytes[offset..<close], as: UTF8.self))
    case UInt8(ascii: "'"): throw Failure("\(line): Kelp does not support char constants; use a string")
    case UInt8(ascii: "."):
      let names = fieldNames()
      if previous == .close && !names.isEmpty { return .chain(names) }
      if names.isEmpty, offset < bytes.count, Self.isDigit(bytes[offset]) {
        offset -= 1
        return .number(try number(line: line))
      }
      return .field(names)
    case UInt8(ascii: "$"):
      offset += 1
      let name = identifier()
      return .variable(name, fieldNames())
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .number(try number(line: line))
    default:
      guard Self.isIdentifier(byte) else {
        throw Failure("\(line): unexpected \(JSONPath.GoFormat.quoted(String(decoding: [byte], as: UTF8.self), json: false)) in command")
      }
      return .identifier(identifier())
    }
  }

  /// `.a.b` after the first dot (consumed here); [] for a lone `.`.
  mutating func fieldNames() -> [String] {
    var names: [String] = []
    while offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
      guard offset + 1 < bytes.count, Self.isIdentifier(bytes[offset + 1]) else {
        if names.isEmpty { offset += 1 }  // the lone dot
        break
      }
      offset += 1
      names.append(identifier())
    }
    return names
  }

  mutating func identifier() -> String {
    let start = offset
    while offset < bytes.count, Self.isIdentifier(bytes[offset]) { offset += 1 }
    return String(decoding: bytes[start..<offset], as: UTF8.self)
  }

  mutating func number(line: Int) throws(Failure) -> JSONValue {
    let start = offset
    if bytes[offset] == UInt8(ascii: "-") || bytes[offset] == UInt8(ascii: "+") { offset += 1 }
    while offset < bytes.count, Self.isIdentifier(bytes[offset]) || bytes[offset] == UInt8(ascii: ".")
      || ((bytes[offset] == UInt8(ascii: "-") || bytes[offset] == UInt8(ascii: "+"))
        && (bytes[offset - 1] == UInt8(ascii: "e") || bytes[offset - 1] == UInt8(ascii: "E")))
    {
      offset += 1
    }
    let text = String(decoding: bytes[start..<offset], as: UTF8.self).replacingOccurrences(of: "_", with: "")
    if let integer = Int64(text) { return .int(integer) }
    if text.hasPrefix("0x") || text.hasPrefix("-0x"), let integer = Int64(text.replacingOccurrences(of: "0x", with: ""), radix: 16) {
      return .int(integer)
    }
    if let float = Double(text), !text.lowercased().contains("n") { return .double(float) }
    throw Failure("\(line): bad number syntax: \(JSONPath.GoFormat.quoted(text, json: false))")
  }

  mutating func quotedString(line: Int) throws(Failure) -> String {
    offset += 1
    var scalars: [UInt8] = []
    while offset < bytes.count {
      let byte = bytes[offset]
      offset += 1
      if byte == UInt8(ascii: "\"") { return String(decoding: scalars, as: UTF8.self) }
      if byte == UInt8(ascii: "\n") { break }
      guard byte == UInt8(ascii: "\\"), offset < bytes.count else {
        scalars.append(byte)
        continue
      }
      let escape = bytes[offset]
      offset += 1
      let simple: [UInt8: String] = [
        UInt8(ascii: "n"): "\n", UInt8(ascii: "t"): "\t", UInt8(ascii: "r"): "\r",
        UInt8(ascii: "\\"): "\\", UInt8(ascii: "\""): "\"", UInt8(ascii: "a"): "\u{7}",
        UInt8(ascii: "b"): "\u{8}", UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "v"): "\u{B}",
      ]
      if let replacement = simple[escape] {
        scalars += Array(replacement.utf8)
      } else if escape == UInt8(ascii: "x") || escape == UInt8(ascii: "u") || escape == UInt8(ascii: "U") {
        let width = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
        guard offset + width <= bytes.count,
          let code = UInt32(String(decoding: bytes[offset..<(offset + width)], as: UTF8.self), radix: 16)
        else { throw Failure("\(line): invalid syntax") }
        offset += width
        if escape == UInt8(ascii: "x") {
          scalars.append(UInt8(code))
        } else if let scalar = Unicode.Scalar(code) {
          scalars += Array(String(scalar).utf8)
        }
      } else {
        throw Failure("\(line): invalid syntax")
      }
    }
    throw Failure("\(line): unterminated quoted string")
  }

  mutating func skipSpaces() {
    while offset < bytes.count, Self.isSpace(bytes[offset]), !matches(" -}}") { offset += 1 }
  }

  func matches(_ literal: String) -> Bool {
    let pattern = Array(literal.utf8)
    return offset + pattern.count <= bytes.count && Array(bytes[offset..<(offset + pattern.count)]) == pattern
  }

  func find(_ literal: String) -> Int? {
    let pattern = Array(literal.utf8)
    var index = offset
    while index + pattern.count <= bytes.count {
      if Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
      index += 1
    }
    return nil
  }

  static func isIdentifier(_ byte: UInt8) -> Bool {
    isDigit(byte) || byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
      || byte >= 0x80
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
