/// Just enough Python to run the one-line scripts of Kubernetes examples (`python3 -c ...`):
/// `import`, `print(...)`, `if`/`elif`/`else` blocks, `sys.exit(N)`, and expressions over
/// integers and strings with `os.environ.get("NAME")`, `int(...)`, `+ - * // %` and
/// comparisons. The Job examples branch on `JOB_COMPLETION_INDEX` this way. Anything else is
/// treated as a statement that succeeds.
struct PythonScript {
  /// What running the script did: its exit code and the lines it printed.
  struct Outcome: Equatable {
    var exitCode = 0
    var printed: [String] = []
  }

  let lines: [(indent: Int, text: String)]

  init(_ source: String) {
    lines = source.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
      let text = line.trimmingCharacters(in: " \t")
      guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
      let indent = line.prefix { $0 == " " || $0 == "\t" }.count
      return (indent, text)
    }
  }

  func run(environment: [String: String]) -> Outcome {
    var outcome = Outcome()
    var index = 0
    _ = block(&index, indent: lines.first?.indent ?? 0, environment, &outcome)
    return outcome
  }

  private enum Flow { case next, exit }

  /// Runs the statements at `indent` from `index`; stops at a shallower line or `sys.exit`.
  private func block(
    _ index: inout Int, indent: Int, _ environment: [String: String], _ outcome: inout Outcome
  ) -> Flow {
    while index < lines.count, lines[index].indent >= indent {
      let text = lines[index].text
      index += 1
      if text.hasPrefix("if ") && text.hasSuffix(":") {
        var taken = truthy(evaluate(String(text.dropFirst(3).dropLast()), environment))
        if conditional(&index, parent: indent, run: taken, environment, &outcome) == .exit {
          return .exit
        }
        while index < lines.count, lines[index].indent == indent,
          lines[index].text.hasPrefix("elif ") || lines[index].text == "else:"
        {
          let branch = lines[index].text
          index += 1
          let condition =
            branch == "else:" ? true : truthy(evaluate(String(branch.dropFirst(5).dropLast()), environment))
          let run = !taken && condition
          taken = taken || condition
          if conditional(&index, parent: indent, run: run, environment, &outcome) == .exit {
            return .exit
          }
        }
      } else if text.hasPrefix("sys.exit(") || text.hasPrefix("exit(") {
        let argument = String(text.drop { $0 != "(" }.dropFirst().dropLast())
        switch evaluate(argument, environment) {
        case .int(let code): outcome.exitCode = code
        case .string(let message):
          outcome.printed.append(message)
          outcome.exitCode = 1
        case .none: outcome.exitCode = 0
        }
        return .exit
      } else if text.hasPrefix("print(") {
        let argument = String(text.dropFirst(6).dropLast())
        outcome.printed.append(evaluate(argument, environment).text)
      }
    }
    return .next
  }

  /// The indented block after an `if`/`elif`/`else`, run or skipped.
  private func conditional(
    _ index: inout Int, parent: Int, run: Bool, _ environment: [String: String],
    _ outcome: inout Outcome
  ) -> Flow {
    guard index < lines.count, lines[index].indent > parent else { return .next }
    let inner = lines[index].indent
    if run { return block(&index, indent: inner, environment, &outcome) }
    while index < lines.count, lines[index].indent >= inner { index += 1 }
    return .next
  }

  enum Value: Equatable {
    case int(Int), string(String), none
    var text: String {
      switch self {
      case .int(let number): return String(number)
      case .string(let text): return text
      case .none: return "None"
      }
    }
  }

  private func truthy(_ value: Value) -> Bool {
    switch value {
    case .int(let number): return number != 0
    case .string(let text): return !text.isEmpty
    case .none: return false
    }
  }

  /// Evaluates an expression: comparisons over sums over products over primaries.
  func evaluate(_ source: String, _ environment: [String: String]) -> Value {
    var parser = ExpressionParser(tokens: ExpressionParser.tokens(source), environment: environment)
    return parser.comparison()
  }

  struct ExpressionParser {
    var tokens: [String]
    let environment: [String: String]
    var position = 0

    static func tokens(_ source: String) -> [String] {
      var result: [String] = []
      var characters = Array(source)[...]
      while let character = characters.first {
        if character == " " {
          characters.removeFirst()
        } else if character == "\"" || character == "'" {
          characters.removeFirst()
          let body = characters.prefix { $0 != character }
          characters = characters.dropFirst(body.count + 1)
          result.append("\"" + String(body))
        } else if character.isLetter || character.isNumber || character == "_" || character == "." {
          let word = characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
          characters = characters.dropFirst(word.count)
          result.append(String(word))
        } else {
          let pair = String(characters.prefix(2))
          let length = ["==", "!=", "<=", ">=", "//"].contains(pair) ? 2 : 1
          result.append(String(characters.prefix(length)))
          characters = characters.dropFirst(length)
        }
      }
      return result
    }

    mutating func next() -> String? {
      guard position < tokens.count else { return nil }
      position += 1
      return tokens[position - 1]
    }

    func peek() -> String? { position < tokens.count ? tokens[position] : nil }

    mutating func comparison() -> Value {
      let left = sum()
      guard let op = peek(), ["==", "!=", "<", ">", "<=", ">="].contains(op) else { return left }
      _ = next()
      let right = sum()
      let result: Bool
      switch (left, right) {
      case (.int(let a), .int(let b)):
        result = ["==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b][op]!
      default:
        result = op == "==" ? left == right : op == "!=" ? left != right : false
      }
      return .int(result ? 1 : 0)
    }

    mutating func sum() -> Value {
      var value = product()
      while let op = peek(), op == "+" || op == "-" {
        _ = next()
        let right = product()
        switch (value, right) {
        case (.int(let a), .int(let b)):
          // Python's integers do not overflow; Kelp's stop being numbers instead of trapping.
          let (result, overflow) =
            op == "+" ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
          value = overflow ? .none : .int(result)
        case (.string(let a), .string(let b)) where op == "+": value = .string(a + b)
        default: value = .none
        }
      }
      return value
    }

    mutating func product() -> Value {
      var value = primary()
      while let op = peek(), ["*", "%", "//"].contains(op) {
        _ = next()
        guard case .int(let a) = value, case .int(let b) = primary(), b != 0 || op == "*" else {
          value = .none
          continue
        }
        switch op {
        case "*":
          let (product, overflow) = a.multipliedReportingOverflow(by: b)
          value = overflow ? .none : .int(product)
        case "%":
          // Python's remainder takes the divisor's sign.
          let remainder = a.remainderReportingOverflow(dividingBy: b).partialValue
          value = .int(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
        default:
          // Floor division, as Python's `//`.
          let (quotient, overflow) = a.dividedReportingOverflow(by: b)
          guard !overflow else {
            value = .none
            continue
          }
          let exact = quotient.multipliedReportingOverflow(by: b).partialValue == a
          value = .int(!exact && (a < 0) != (b < 0) ? quotient - 1 : quotient)
        }
      }
      return value
    }

    mutating func primary() -> Value {
      guard let token = next() else { return .none }
      if token.hasPrefix("\"") { return .string(String(token.dropFirst())) }
      if let number = Int(token) { return .int(number) }
      if token == "(" {
        let value = comparison()
        _ = next()
        return value
      }
      if token == "-" {
        if case .int(let number) = primary(), number != .min { return .int(-number) }
        return .none
      }
      if token == "int" || token == "str" {
        _ = next()
        let argument = comparison()
        _ = next()
        if token == "str" { return .string(argument.text) }
        if case .string(let text) = argument, let number = Int(text) { return .int(number) }
        return argument
      }
      if token == "os.environ.get" || token == "os.getenv" {
        _ = next()
        guard let name = next(), name.hasPrefix("\"") else { return .none }
        var fallback = Value.none
        if peek() == "," {
          _ = next()
          fallback = comparison()
        }
        _ = next()
        return environment[String(name.dropFirst())].map(Value.string) ?? fallback
      }
      if token == "os.environ" && peek() == "[" {
        _ = next()
        let name = next().map { String($0.dropFirst()) } ?? ""
        _ = next()
        return environment[name].map(Value.string) ?? .none
      }
      return .none
    }
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var text = self
    while let first = text.first, set.contains(first) { text.removeFirst() }
    while let last = text.last, set.contains(last) { text.removeLast() }
    return String(text)
  }
}
