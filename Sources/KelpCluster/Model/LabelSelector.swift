/// A label selector with the grammar, matching and printing of apimachinery `labels.Parse`:
/// `app=web,tier!=db,env in (prod,qa),!legacy,version`. Requirements are ANDed and kept sorted
/// by key, as upstream sorts them, so equal selectors print and compare equal.
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
  public struct Requirement: Hashable, Sendable, CustomStringConvertible {
    /// Upstream `selection.Operator`; the raw values are upstream's.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
      case equals = "="
      case doubleEquals = "=="
      case notEquals = "!="
      case `in` = "in"
      case notIn = "notin"
      case exists = "exists"
      case doesNotExist = "!"
      case greaterThan = "gt"
      case lessThan = "lt"
    }

    public let key: String
    public let `operator`: Operator
    /// Sorted, so that the order a selector was written in does not affect equality.
    public let values: [String]

    /// Upstream `NewRequirement`: validates the key, the value count for the operator, and
    /// every value; the error text is upstream's aggregated field errors.
    public init(key: String, operator op: Operator, values: [String] = []) throws(SelectorError) {
      var errors: [String] = []
      let keyErrors = Validation.isQualifiedName(key)
      if !keyErrors.isEmpty { errors.append(invalid("key", key, keyErrors)) }
      switch op {
      case .in, .notIn:
        if values.isEmpty {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "for 'in', 'notin' operators, values set can't be empty")
        }
      case .equals, .doubleEquals, .notEquals:
        if values.count != 1 {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "exact-match compatibility requires one single value")
        }
      case .exists, .doesNotExist:
        if !values.isEmpty {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "values set must be empty for exists and does not exist")
        }
      case .greaterThan, .lessThan:
        if values.count != 1 {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "for 'Gt', 'Lt' operators, exactly one value is required")
        }
        for (index, value) in values.enumerated() where Int64(value, radix: 10) == nil {
          errors.append(
            "values[\(index)]: Invalid value: \(goQuote(value)): "
              + "for 'Gt', 'Lt' operators, the value must be an integer")
        }
      }
      for (index, value) in values.enumerated() {
        let valueErrors = Validation.isValidLabelValue(value)
        if !valueErrors.isEmpty {
          errors.append(invalid("values[\(index)][\(key)]", value, valueErrors))
        }
      }
      if !errors.isEmpty { throw SelectorError(aggregate: errors) }
      self.init(unchecked: key, op, values)
    }

    /// For callers that already validated, like upstream `SelectorFromValidatedSet`.
    init(unchecked key: String, _ op: Operator, _ values: [String]) {
      self.key = key
      self.operator = op
      self.values = values.sorted()
    }

    /// Upstream `Requirement.Matches`: `!=` and `notin` also match when the key is absent;
    /// `gt` and `lt` need the label to be an integer.
    public func matches(_ labels: [String: String]) -> Bool {
      switch self.operator {
      case .in, .equals, .doubleEquals:
        guard let value = labels[key] else { return false }
        return values.contains(value)
      case .notIn, .notEquals:
        guard let value = labels[key] else { return true }
        return !values.contains(value)
      case .exists:
        return labels[key] != nil
      case .doesNotExist:
        return labels[key] == nil
      case .greaterThan, .lessThan:
        guard let text = labels[key], let actual = Int64(text, radix: 10), values.count == 1,
          let bound = Int64(values[0], radix: 10)
        else { return false }
        return self.operator == .greaterThan ? actual > bound : actual < bound
      }
    }

    /// Upstream `Requirement.String()`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
    /// `a`, `!a`, `a>1`, `a<1`.
    public var description: String {
      let joined = values.joined(separator: ",")
      switch self.operator {
      case .equals: return key + "=" + joined
      case .doubleEquals: return key + "==" + joined
      case .notEquals: return key + "!=" + joined
      case .in: return key + " in (" + joined + ")"
      case .notIn: return key + " notin (" + joined + ")"
      case .exists: return key
      case .doesNotExist: return "!" + key
      case .greaterThan: return key + ">" + joined
      case .lessThan: return key + "<" + joined
      }
    }
  }

  public let requirements: [Requirement]

  /// Matches every set of labels; prints as the empty string.
  public static let everything = LabelSelector(requirements: [])

  /// Sorts by key, stably, as upstream `Selector.Add` does for selectors of up to twelve
  /// requirements (Go's sort only guarantees stability that far; Kelp always keeps it).
  public init(requirements: [Requirement]) {
    self.requirements = requirements.enumerated()
      .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
      .map(\.element)
  }

  /// A workload's `selector`: `matchLabels` become `=` requirements, merged with
  /// `matchExpressions` and sorted by key, as upstream `LabelSelectorAsSelector` does. The
  /// labels are not validated here; manifest decoding does that.
  public init(matchLabels: [String: String], requirements: [Requirement] = []) {
    let exact = matchLabels.sorted { $0.key < $1.key }.map {
      Requirement(unchecked: $0.key, .equals, [$0.value])
    }
    self.init(requirements: exact + requirements)
  }

  /// Upstream `labels.Parse`; the empty string selects everything.
  public init(parsing text: String) throws(SelectorError) {
    var lexer = SelectorLexer(Array(text.utf8))
    var parser = SelectorParser(tokens: lexer.tokens())
    self.init(requirements: try parser.parse())
  }

  public var isEverything: Bool { requirements.isEmpty }

  public func matches(_ labels: [String: String]) -> Bool {
    requirements.allSatisfy { $0.matches(labels) }
  }

  public var description: String {
    requirements.map(\.description).joined(separator: ",")
  }
}

/// Why a selector did not parse or a requirement was invalid; the text is upstream's.
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }

  /// Upstream `utilerrors.NewAggregate(...).Error()`: one message alone, several in brackets.
  init(aggregate messages: [String]) {
    var unique: [String] = []
    for message in messages where !unique.contains(message) { unique.append(message) }
    description = unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
  }
}

// MARK: - Field error text

/// A `field.Invalid` error as Go prints it: `path: Invalid value: "v": detail; detail`.
private func invalid(_ path: String, _ value: String, _ details: [String]) -> String {
  "\(path): Invalid value: \(goQuote(value)): " + details.joined(separator: "; ")
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`.
private func goStringSlice(_ values: [String]) -> String {
  "[]string{" + values.map(goQuote).joined(separator: ", ") + "}"
}

/// Go's `%q` for the strings a selector can hold: quotes, backslashes and control characters
/// are escaped; other characters are kept.
private func goQuote(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7F {
        let hex = String(scalar.value, radix: 16)
        out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

// MARK: - Lexer

/// A lexer token. Operators and punctuation are `symbol`s holding upstream's literal, which is
/// also the text its error messages quote.
private enum SelectorToken: Equatable {
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
private struct SelectorLexer {
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
private struct SelectorParser {
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
