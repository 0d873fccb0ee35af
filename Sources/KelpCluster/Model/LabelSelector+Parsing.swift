/// The lexer and parser of label selector strings, after apimachinery's labels.Parse.
enum SelectorToken: Equatable {
  case error(String)
  case endOfString
  case identifier(String)
  case symbol(String)

  static let symbols: Set<String> = ["(", ")", ",", "!", "=", "==", "!=", ">", "<", "in", "notin"]

  var literal: String {
    switch self {
    case .error(let text), .identifier(let text), .symbol(let text): text
    case .endOfString: ""
    }
  }

  /// In a value position `in` and `notin` are plain words: `x in (in,notin)`.
  var asValue: SelectorToken {
    self == .symbol("in") || self == .symbol("notin") ? .identifier(literal) : self
  }

  var isIdentifier: Bool {
    if case .identifier = self { return true }
    return false
  }

  static func word(_ bytes: [UInt8]) -> SelectorToken? {
    let text = String(decoding: bytes, as: UTF8.self)
    return symbols.contains(text) ? .symbol(text) : nil
  }
}

/// Upstream's byte-oriented `Lexer`; a NUL byte ends the input there as it does upstream.
struct SelectorLexer {
  let text: [UInt8]
  var position = 0

  init(_ text: [UInt8]) { self.text = text }

  mutating func tokens() -> [SelectorToken] {
    var tokens: [SelectorToken] = []
    while tokens.last != .endOfString { tokens.append(lex()) }
    return tokens
  }

  private static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }

  private static func isSpecial(_ byte: UInt8) -> Bool {
    Array("=!(),><".utf8).contains(byte)
  }

  private mutating func read() -> UInt8 {
    position += 1
    return position <= text.count ? text[position - 1] : 0
  }

  private mutating func lex() -> SelectorToken {
    var byte = read()
    while Self.isWhitespace(byte) { byte = read() }
    if byte == 0 { return .endOfString }
    position -= 1
    return Self.isSpecial(byte) ? scanSpecialSymbol() : scanIdentifierOrKeyword()
  }

  private mutating func scanIdentifierOrKeyword() -> SelectorToken {
    var buffer: [UInt8] = []
    while true {
      let byte = read()
      if byte == 0 { break }
      if Self.isSpecial(byte) || Self.isWhitespace(byte) {
        position -= 1
        break
      }
      buffer.append(byte)
    }
    return SelectorToken.word(buffer) ?? .identifier(String(decoding: buffer, as: UTF8.self))
  }

  /// The longest run of operator characters that still spells an operator: `!=` but `!` `(`.
  private mutating func scanSpecialSymbol() -> SelectorToken {
    var buffer: [UInt8] = []
    var last: SelectorToken?
    while true {
      let byte = read()
      if byte == 0 { break }
      guard Self.isSpecial(byte) else {
        position -= 1
        break
      }
      buffer.append(byte)
      if let token = SelectorToken.word(buffer) {
        last = token
      } else if last != nil {
        position -= 1
        break
      }
    }
    let text = String(decoding: buffer, as: UTF8.self)
    return last ?? .error("error expected: keyword found '\(text)'")
  }
}

// MARK: - Parser

/// Upstream's recursive-descent `Parser`, message for message.
struct SelectorParser {
  typealias Operator = LabelSelector.Requirement.Operator

  let tokens: [SelectorToken]
  var position = 0

  init(tokens: [SelectorToken]) { self.tokens = tokens }

  private func lookahead() -> SelectorToken { tokens[min(position, tokens.count - 1)].asValue }

  /// Upstream's `KeyAndOperator` context keeps `in`/`notin` as operators; `Values` does not.
  private mutating func consume(asValue: Bool = true) -> SelectorToken {
    let token = tokens[min(position, tokens.count - 1)]
    position += 1
    return asValue ? token.asValue : token
  }

  mutating func parse() throws(SelectorError) -> [LabelSelector.Requirement] {
    var requirements: [LabelSelector.Requirement] = []
    while true {
      let token = lookahead()
      if token == .endOfString { return requirements }
      guard token.isIdentifier || token == .symbol("!") else {
        throw SelectorError(
          "found '\(token.literal)', expected: !, identifier, or 'end of string'")
      }
      do {
        requirements.append(try parseRequirement())
      } catch {
        throw SelectorError("unable to parse requirement: \(error.description)")
      }
      let next = consume()
      if next == .endOfString { return requirements }
      guard next == .symbol(",") else {
        throw SelectorError("found '\(next.literal)', expected: ',' or 'end of string'")
      }
      let after = lookahead()
      if !after.isIdentifier && after != .symbol("!") {
        throw SelectorError("found '\(after.literal)', expected: identifier after ','")
      }
    }
  }

  private mutating func parseRequirement() throws(SelectorError) -> LabelSelector.Requirement {
    var token = consume()
    var op: Operator?
    if token == .symbol("!") {
      op = .doesNotExist
      token = consume()
    }
    guard case .identifier(let key) = token else {
      throw SelectorError("found '\(token.literal)', expected: identifier")
    }
    let keyErrors = Validation.isQualifiedName(key)
    if !keyErrors.isEmpty {
      // Upstream validates with a nil field path here, which Go prints as "<nil>".
      throw SelectorError(invalid("<nil>", key, keyErrors))
    }
    let next = lookahead()
    if next == .endOfString || next == .symbol(",") {
      op = op ?? .exists
    }
    if let op {
      return try LabelSelector.Requirement(key: key, operator: op)
    }
    let parsedOp = try parseOperator()
    let values = parsedOp == .in || parsedOp == .notIn ? try parseValues() : try parseExactValue()
    return try LabelSelector.Requirement(key: key, operator: parsedOp, values: values.sorted())
  }

  private mutating func parseOperator() throws(SelectorError) -> Operator {
    let token = consume(asValue: false)
    let operators: [String: Operator] = [
      "in": .in, "=": .equals, "==": .doubleEquals, ">": .greaterThan, "<": .lessThan,
      "notin": .notIn, "!=": .notEquals,
    ]
    guard case .symbol(let text) = token, let op = operators[text] else {
      throw SelectorError("found '\(token.literal)', expected: in, notin, =, ==, !=, gt, lt")
    }
    return op
  }

  private mutating func parseValues() throws(SelectorError) -> Set<String> {
    let open = consume()
    guard open == .symbol("(") else {
      throw SelectorError("found '\(open.literal)' expected: '('")
    }
    let token = lookahead()
    if token == .symbol(")") {
      _ = consume()
      return [""]
    }
    guard token.isIdentifier || token == .symbol(",") else {
      throw SelectorError("found '\(token.literal)', expected: ',', ')' or identifier")
    }
    let values = try parseIdentifiersList()
    // parseIdentifiersList only returns in front of ')', so this consumes it.
    _ = consume()
    return values
  }

  /// A comma-separated list in which empty entries are the empty value: `(,a,,b,)`.
  private mutating func parseIdentifiersList() throws(SelectorError) -> Set<String> {
    var values: Set<String> = []
    while true {
      let token = consume()
      if case .identifier(let value) = token {
        values.insert(value)
        let next = lookahead()
        if next == .symbol(",") { continue }
        if next == .symbol(")") { return values }
        throw SelectorError("found '\(next.literal)', expected: ',' or ')'")
      }
      guard token == .symbol(",") else {
        throw SelectorError("found '\(token.literal)', expected: ',', or identifier")
      }
      if values.isEmpty { values.insert("") }
      let next = lookahead()
      if next == .symbol(")") || next == .symbol(",") { values.insert("") }
      if next == .symbol(")") { return values }
    }
  }

  private mutating func parseExactValue() throws(SelectorError) -> Set<String> {
    let next = lookahead()
    if next == .endOfString || next == .symbol(",") { return [""] }
    let token = consume()
    guard case .identifier(let value) = token else {
      throw SelectorError("found '\(token.literal)', expected: identifier")
    }
    return [value]
  }
}
