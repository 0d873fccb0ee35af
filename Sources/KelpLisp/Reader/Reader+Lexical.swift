extension Reader {
  /// Skips whitespace and all three kinds of comment.
  mutating func skipAtmosphere() throws(LispError) {
    while let byte = peek {
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
        advance()
      case UInt8(ascii: ";"):
        while let c = peek, c != UInt8(ascii: "\n") { advance() }
      case UInt8(ascii: "#") where peek(at: 1) == UInt8(ascii: "|"):
        try skipBlockComment()
      case UInt8(ascii: "#") where peek(at: 1) == UInt8(ascii: ";"):
        let start = here
        advance()
        advance()
        do {
          _ = try readDatum()
        } catch  where error.kind == .incomplete {
          throw incomplete("expected a form after #;", at: start)
        }
      default:
        return
      }
    }
  }

  /// `#| ... |#`, nesting like Scheme's.
  mutating func skipBlockComment() throws(LispError) {
    let start = here
    advance()
    advance()
    var level = 1
    while level > 0 {
      guard let byte = peek else {
        throw incomplete("unclosed #| comment opened at \(start.line):\(start.column)", at: start)
      }
      if byte == UInt8(ascii: "|") && peek(at: 1) == UInt8(ascii: "#") {
        advance()
        advance()
        level -= 1
      } else if byte == UInt8(ascii: "#") && peek(at: 1) == UInt8(ascii: "|") {
        advance()
        advance()
        level += 1
      } else {
        advance()
      }
    }
  }

  /// A string literal with the escapes `\n \t \r \0 \" \\` and `\u{1F600}`.
  mutating func readString(start: SourceLocation) throws(LispError) -> Value {
    advance()
    var buffer: [UInt8] = []
    while true {
      guard let byte = peek else {
        throw incomplete("unclosed string opened at \(start.line):\(start.column)", at: start)
      }
      if buffer.count > Reader.maxStringBytes {
        throw error("string literal longer than \(Reader.maxStringBytes) bytes", at: start)
      }
      if byte == UInt8(ascii: "\"") {
        advance()
        return .string(StringBox(String(decoding: buffer, as: UTF8.self)))
      }
      if byte != UInt8(ascii: "\\") {
        buffer.append(byte)
        advance()
        continue
      }
      let escapeStart = here
      advance()
      guard let escaped = peek else {
        throw incomplete("unclosed string opened at \(start.line):\(start.column)", at: start)
      }
      advance()
      switch escaped {
      case UInt8(ascii: "n"): buffer.append(UInt8(ascii: "\n"))
      case UInt8(ascii: "t"): buffer.append(UInt8(ascii: "\t"))
      case UInt8(ascii: "r"): buffer.append(UInt8(ascii: "\r"))
      case UInt8(ascii: "0"): buffer.append(0)
      case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
      case UInt8(ascii: "u"):
        buffer.append(contentsOf: try readUnicodeEscape(at: escapeStart))
      default:
        let shown = String(decoding: [escaped], as: UTF8.self)
        throw error(
          "unknown escape '\\\(shown)' in string", at: escapeStart,
          hint: "the escapes are \\n \\t \\r \\0 \\\" \\\\ and \\u{hex}; write \\\\ for a backslash"
        )
      }
    }
  }

  mutating func readUnicodeEscape(at start: SourceLocation) throws(LispError) -> [UInt8] {
    guard peek == UInt8(ascii: "{") else {
      throw error("a \\u escape needs braces: \\u{41}", at: start)
    }
    advance()
    var hex = ""
    while let byte = peek, byte != UInt8(ascii: "}"), hex.count <= 8 {
      hex.append(Character(Unicode.Scalar(byte)))
      advance()
    }
    guard peek == UInt8(ascii: "}"), let code = UInt32(hex, radix: 16),
      let scalar = Unicode.Scalar(code)
    else {
      throw error(
        "malformed \\u{...} escape", at: start, hint: "write one to six hex digits: \\u{1F600}")
    }
    advance()
    return Array(String(Character(scalar)).utf8)
  }
}
