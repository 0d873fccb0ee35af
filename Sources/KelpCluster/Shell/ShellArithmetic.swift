/// `$((…))`: integer arithmetic over numbers and variables (a name reads as its value, 0 when
/// unset or not a number), with C's operators and precedence: `* / %`, `+ -`, comparisons,
/// `== !=`, `&&`, `||`, unary `- + !`, and parentheses.
struct ShellArithmetic {
  struct Failure: Error {}

  private var tokens: [String] = []
  private var position = 0
  private let variables: [String: String]

  init(_ text: String, variables: [String: String]) {
    self.variables = variables
    var tokens: [String] = []
    var characters = Substring(text)
    while let character = characters.first {
      if character.isWhitespace {
        characters.removeFirst()
      } else if character.isNumber || character.isLetter || character == "_" {
        let word = characters.prefix { $0.isNumber || $0.isLetter || $0 == "_" }
        tokens.append(String(word))
        characters.removeFirst(word.count)
      } else {
        let two = String(characters.prefix(2))
        let operator_ = ["<=", ">=", "==", "!=", "&&", "||"].contains(two) ? two : String(character)
        tokens.append(operator_)
        characters.removeFirst(operator_.count)
      }
    }
    self.tokens = tokens
  }

  static func value(_ text: String, variables: [String: String]) throws(Failure) -> Int {
    var arithmetic = ShellArithmetic(text, variables: variables)
    return try arithmetic.evaluate()
  }

  mutating func evaluate() throws(Failure) -> Int {
    guard !tokens.isEmpty else { return 0 }
    let value = try binary(0)
    guard position == tokens.count else { throw Failure() }
    return value
  }

  private static let levels: [[String]] = [
    ["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"],
  ]

  private mutating func binary(_ level: Int) throws(Failure) -> Int {
    guard level < Self.levels.count else { return try unary() }
    var left = try binary(level + 1)
    while position < tokens.count, Self.levels[level].contains(tokens[position]) {
      let operator_ = tokens[position]
      position += 1
      let right = try binary(level + 1)
      switch operator_ {
      case "||": left = (left != 0 || right != 0) ? 1 : 0
      case "&&": left = (left != 0 && right != 0) ? 1 : 0
      case "==": left = left == right ? 1 : 0
      case "!=": left = left != right ? 1 : 0
      case "<": left = left < right ? 1 : 0
      case ">": left = left > right ? 1 : 0
      case "<=": left = left <= right ? 1 : 0
      case ">=": left = left >= right ? 1 : 0
      case "+": left = left &+ right
      case "-": left = left &- right
      case "*": left = left &* right
      default:
        guard right != 0 else { throw Failure() }
        if left == .min && right == -1 { throw Failure() }
        left = operator_ == "/" ? left / right : left % right
      }
    }
    return left
  }

  private mutating func unary() throws(Failure) -> Int {
    guard position < tokens.count else { throw Failure() }
    let token = tokens[position]
    position += 1
    switch token {
    case "-": return 0 &- (try unary())
    case "+": return try unary()
    case "!": return try unary() == 0 ? 1 : 0
    case "(":
      let value = try binary(0)
      guard position < tokens.count, tokens[position] == ")" else { throw Failure() }
      position += 1
      return value
    default:
      if let number = Int(token) { return number }
      guard let first = token.first, first.isLetter || first == "_" else { throw Failure() }
      return Int(variables[token] ?? "") ?? 0
    }
  }
}
