extension Reader {
  mutating func readDatum() throws(LispError) -> Value {
    try skipAtmosphere()
    let start = here
    guard let byte = peek else {
      throw incomplete("expected a form, found end of input", at: start)
    }
    switch byte {
    case UInt8(ascii: "("):
      return try readList(close: UInt8(ascii: ")"), start: start)
    case UInt8(ascii: "["):
      advance()
      let items = try readSequence(close: UInt8(ascii: "]"), open: "[", start: start)
      return .vector(VectorBox(items))
    case UInt8(ascii: "{"):
      advance()
      let items = try readSequence(close: UInt8(ascii: "}"), open: "{", start: start)
      guard items.count % 2 == 0 else {
        throw error(
          "a map literal needs an even number of forms (key value ...), found \(items.count)",
          at: start)
      }
      var map = MapBox.empty
      var index = 0
      while index < items.count {
        if map.get(items[index]) != nil {
          throw error("duplicate key \(items[index].written) in map literal", at: start)
        }
        map = map.assoc(items[index], items[index + 1])
        index += 2
      }
      return .map(map)
    case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
      advance()
      throw error(
        "unexpected '\(Character(Unicode.Scalar(byte)))' with no form open", at: start,
        hint: "remove it, or add the opening bracket it closes")
    case UInt8(ascii: "'"):
      advance()
      return try readPrefixed("quote", start: start)
    case UInt8(ascii: "`"):
      advance()
      return try readPrefixed("quasiquote", start: start)
    case UInt8(ascii: ","):
      advance()
      if peek == UInt8(ascii: "@") {
        advance()
        return try readPrefixed("unquote-splicing", start: start)
      }
      return try readPrefixed("unquote", start: start)
    case UInt8(ascii: "\""):
      return try readString(start: start)
    case UInt8(ascii: "#"):
      return try readHash(start: start)
    default:
      return try readAtom(start: start)
    }
  }

  mutating func readPrefixed(_ name: String, start: SourceLocation) throws(LispError) -> Value {
    try enter(start)
    defer { depth -= 1 }
    do {
      let datum = try readDatum()
      return Value.list([.symbol(name), datum]).located(start)
    } catch  where error.kind == .incomplete && error.message.hasPrefix("expected a form") {
      throw incomplete("expected a form after \(Reader.prefixSpelling[name] ?? name)", at: start)
    }
  }

  static let prefixSpelling = [
    "quote": "'", "quasiquote": "`", "unquote": ",", "unquote-splicing": ",@",
  ]

  mutating func enter(_ start: SourceLocation) throws(LispError) {
    depth += 1
    if depth > Reader.maxNesting || !StackGuard.hasRoom(below: stackLimit) {
      throw error("forms nest deeper than \(Reader.maxNesting) levels", at: start)
    }
  }

  mutating func readList(close: UInt8, start: SourceLocation) throws(LispError) -> Value {
    advance()
    try enter(start)
    defer { depth -= 1 }
    var items: [Value] = []
    var tail = Value.null
    while true {
      try skipAtmosphere()
      guard let byte = peek else {
        throw incomplete("unclosed '(' opened at \(start.line):\(start.column)", at: start)
      }
      if byte == close {
        advance()
        break
      }
      if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
        throw error(
          "expected ')' to close '(' opened at \(start.line):\(start.column), found '\(Character(Unicode.Scalar(byte)))'",
          at: here)
      }
      if byte == UInt8(ascii: "."), let after = peek(at: 1), Reader.isDelimiter(after) {
        let dot = here
        guard !items.isEmpty else { throw error("'.' needs a form before it", at: dot) }
        advance()
        try skipAtmosphere()
        if peek == close { throw error("expected a form after '.'", at: here) }
        tail = try readDatum()
        try skipAtmosphere()
        guard let end = peek else {
          throw incomplete("unclosed '(' opened at \(start.line):\(start.column)", at: start)
        }
        guard end == close else {
          throw error("expected ')' after the form that follows '.'", at: here)
        }
        advance()
        break
      }
      items.append(try readDatum())
    }
    return Value.list(items, tail: tail).located(start)
  }

  mutating func readSequence(close: UInt8, open: String, start: SourceLocation) throws(LispError)
    -> [Value]
  {
    try enter(start)
    defer { depth -= 1 }
    var items: [Value] = []
    let closing = Character(Unicode.Scalar(close))
    while true {
      try skipAtmosphere()
      guard let byte = peek else {
        throw incomplete("unclosed '\(open)' opened at \(start.line):\(start.column)", at: start)
      }
      if byte == close {
        advance()
        return items
      }
      if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
        throw error(
          "expected '\(closing)' to close '\(open)' opened at \(start.line):\(start.column), found '\(Character(Unicode.Scalar(byte)))'",
          at: here)
      }
      items.append(try readDatum())
    }
  }

  mutating func readHash(start: SourceLocation) throws(LispError) -> Value {
    let next = peek(at: 1)
    switch next {
    case UInt8(ascii: "t"), UInt8(ascii: "f"):
      let token = readToken()
      switch token {
      case "#t", "#true": return .true
      case "#f", "#false": return .false
      default: throw error("unknown literal '\(token)'", at: start, hint: "booleans are #t and #f")
      }
    default:
      let token = readToken()
      throw error(
        "unknown literal '\(token)'", at: start,
        hint: "'#' starts #t, #f, a #| block comment |# or a #; datum comment")
    }
  }

  mutating func readToken() -> String {
    let begin = offset
    while let byte = peek, !Reader.isDelimiter(byte) { advance() }
    return String(decoding: bytes[begin..<offset], as: UTF8.self)
  }

  mutating func readAtom(start: SourceLocation) throws(LispError) -> Value {
    let token = readToken()
    switch token {
    case "nil": return .null
    case "true": return .true
    case "false": return .false
    // The writer spells the IEEE specials as R7RS does; they must read back as floats.
    case "+inf.0": return .double(.infinity)
    case "-inf.0": return .double(-.infinity)
    case "+nan.0", "-nan.0": return .double(.nan)
    case ".":
      throw error(
        "unexpected '.' outside a list", at: start,
        hint: "'.' only separates the tail of a dotted list: (a . b)")
    default: break
    }
    if let number = try Reader.number(token, at: start) { return number }
    if token.hasPrefix(":") {
      guard token.count > 1 else {
        throw error("a keyword needs a name after ':'", at: start, hint: "write :name")
      }
      return .keyword(Symbol.intern(String(token.dropFirst())))
    }
    return .symbol(Symbol.intern(token))
  }

  /// Parses a numeric token, or returns nil when the token is not shaped like a number (then it
  /// is a symbol, like `+` or `-`). A token that starts like a number but is malformed is an error.
  static func number(_ token: String, at start: SourceLocation) throws(LispError) -> Value? {
    var digits = Substring(token)
    if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
    guard let first = digits.first, first.isASCII,
      first.isNumber || (first == "." && digits.dropFirst().first?.isNumber == true)
    else { return nil }
    if digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
      if let int = Int(token.first == "+" ? String(token.dropFirst()) : token) { return .int(int) }
      throw LispError(
        .syntax, "integer literal \(token) does not fit in 64 bits", location: start,
        hint: "integers range from \(Int.min) to \(Int.max); write a float (\(token).0) for more")
    }
    if let double = Double(token), token.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) {
      guard double.isFinite else {
        throw LispError(
          .syntax, "float literal \(token) is out of range", location: start,
          hint: "floats reach about 1.8e308")
      }
      return .double(double)
    }
    throw LispError(
      .syntax, "malformed number '\(token)'", location: start,
      hint: "numbers look like 42, -7, 2.5 or 1e3")
  }
}

extension Value {
  /// Records where the reader found a list.
  func located(_ location: SourceLocation) -> Value {
    if case .pair(let pair) = self { pair.location = SourceMap.record(location) }
    return self
  }
}
