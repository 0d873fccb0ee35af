/// `$((…))`: ash's integer arithmetic. Numbers (decimal, `0x` hex, `0` octal), variables (a
/// name reads as its value, itself an expression; unset is 0), C's operators with C's
/// precedence (`?:`, `||`, `&&`, `|`, `^`, `&`, `== !=`, `< > <= >=`, `<< >>`, `+ -`,
/// `* / %`, bash's `**`, unary `- + ! ~`), assignments (`=`, `+=` and the rest) and `++`/`--`.
struct ShellArithmetic {
  struct Failure: Error {
    var message = "arithmetic syntax error"
  }

  private var tokens: [String] = []
  private var position = 0
  /// The shell's variables, with what the expression assigned.
  private(set) var variables: [String: String]
  private var depth = 0

  init(_ text: String, variables: [String: String]) {
    self.variables = variables
    tokens = ShellArithmetic.tokens(text)
  }

  private static func tokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var characters = Substring(text)
    let operators = [
      "<<=", ">>=", "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "++", "--", "+=", "-=",
      "*=", "/=", "%=", "&=", "|=", "^=",
    ]
    while let character = characters.first {
      if character.isWhitespace {
        characters.removeFirst()
      } else if character.isNumber || character.isLetter || character == "_" {
        let word = characters.prefix { $0.isNumber || $0.isLetter || $0 == "_" }
        tokens.append(String(word))
        characters.removeFirst(word.count)
      } else {
        let operator_ =
          operators.first { characters.hasPrefix($0) } ?? String(character)
        tokens.append(operator_)
        characters.removeFirst(operator_.count)
      }
    }
    return tokens
  }

  /// The value, and the variables after the expression's assignments.
  static func evaluate(_ text: String, variables: [String: String]) throws(Failure) -> (
    Int, [String: String]
  ) {
    var arithmetic = ShellArithmetic(text, variables: variables)
    let value = try arithmetic.evaluate()
    return (value, arithmetic.variables)
  }

  static func value(_ text: String, variables: [String: String]) throws(Failure) -> Int {
    try evaluate(text, variables: variables).0
  }

  mutating func evaluate() throws(Failure) -> Int {
    guard !tokens.isEmpty else { return 0 }
    let value = try assignment()
    guard position == tokens.count else { throw Failure() }
    return value
  }

  private var next: String? { position < tokens.count ? tokens[position] : nil }

  private static func isName(_ token: String) -> Bool {
    guard let first = token.first else { return false }
    return first.isLetter || first == "_"
  }

  /// A variable's value, read as an expression itself (`x='1+2'; $((x*2))` is 6).
  private mutating func read(_ name: String) throws(Failure) -> Int {
    let text = variables[name] ?? ""
    if let number = ShellArithmetic.number(text) { return number }
    if text.isEmpty { return 0 }
    guard depth < 32 else { throw Failure(message: "expression recursion loop detected") }
    var inner = ShellArithmetic(text, variables: variables)
    inner.depth = depth + 1
    let value = try inner.evaluate()
    variables = inner.variables
    return value
  }

  private static func number(_ token: String) -> Int? {
    let text = token.filter { !$0.isWhitespace }
    if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int(text.dropFirst(2), radix: 16) }
    if text.count > 1, text.hasPrefix("0"), text.allSatisfy({ $0.isNumber }) {
      return Int(text.dropFirst(), radix: 8)
    }
    return Int(text)
  }

  private mutating func assignment() throws(Failure) -> Int {
    if let name = next, ShellArithmetic.isName(name), position + 1 < tokens.count {
      let operator_ = tokens[position + 1]
      if operator_ == "=" || (operator_.hasSuffix("=") && operator_.count >= 2
        && !["==", "!=", "<=", ">="].contains(operator_))
      {
        position += 2
        let right = try assignment()
        let value: Int
        if operator_ == "=" {
          value = right
        } else {
          value = try ShellArithmetic.apply(String(operator_.dropLast()), try read(name), right)
        }
        variables[name] = String(value)
        return value
      }
    }
    return try conditional()
  }

  private mutating func conditional() throws(Failure) -> Int {
    let condition = try binary(0)
    guard next == "?" else { return condition }
    position += 1
    let yes = try assignment()
    guard next == ":" else { throw Failure() }
    position += 1
    let no = try assignment()
    return condition != 0 ? yes : no
  }

  private static let levels: [[String]] = [
    ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"],
    ["+", "-"], ["*", "/", "%"], ["**"],
  ]

  private mutating func binary(_ level: Int) throws(Failure) -> Int {
    guard level < Self.levels.count else { return try unary() }
    var left = try binary(level + 1)
    while let operator_ = next, Self.levels[level].contains(operator_) {
      position += 1
      // `**` is right-associative.
      let right = operator_ == "**" ? try binary(level) : try binary(level + 1)
      left = try ShellArithmetic.apply(operator_, left, right)
    }
    return left
  }

  static func apply(_ operator_: String, _ left: Int, _ right: Int) throws(Failure) -> Int {
    switch operator_ {
    case "||": return (left != 0 || right != 0) ? 1 : 0
    case "&&": return (left != 0 && right != 0) ? 1 : 0
    case "|": return left | right
    case "^": return left ^ right
    case "&": return left & right
    case "==": return left == right ? 1 : 0
    case "!=": return left != right ? 1 : 0
    case "<": return left < right ? 1 : 0
    case ">": return left > right ? 1 : 0
    case "<=": return left <= right ? 1 : 0
    case ">=": return left >= right ? 1 : 0
    case "<<": return right < 0 || right >= 64 ? 0 : left << right
    case ">>": return right < 0 || right >= 64 ? (left < 0 ? -1 : 0) : left >> right
    case "+": return left &+ right
    case "-": return left &- right
    case "*": return left &* right
    case "**":
      guard right >= 0 else { throw Failure(message: "exponent less than 0") }
      var result = 1
      var base = left
      var exponent = right
      while exponent > 0 {
        if exponent & 1 == 1 { result = result &* base }
        base = base &* base
        exponent >>= 1
      }
      return result
    case "/", "%":
      guard right != 0 else { throw Failure(message: "divide by zero") }
      if left == .min && right == -1 { return operator_ == "/" ? left : 0 }
      return operator_ == "/" ? left / right : left % right
    default: throw Failure()
    }
  }

  private mutating func unary() throws(Failure) -> Int {
    guard let token = next else { throw Failure() }
    position += 1
    switch token {
    case "-": return 0 &- (try unary())
    case "+": return try unary()
    case "!": return try unary() == 0 ? 1 : 0
    case "~": return ~(try unary())
    case "++", "--":
      guard let name = next, ShellArithmetic.isName(name) else { throw Failure() }
      position += 1
      let value = try read(name) &+ (token == "++" ? 1 : -1)
      variables[name] = String(value)
      return value
    case "(":
      let value = try assignment()
      guard next == ")" else { throw Failure() }
      position += 1
      return value
    default:
      if let number = ShellArithmetic.number(token) { return number }
      guard ShellArithmetic.isName(token) else { throw Failure() }
      let value = try read(token)
      if let after = next, after == "++" || after == "--" {
        position += 1
        variables[token] = String(value &+ (after == "++" ? 1 : -1))
      }
      return value
    }
  }
}
