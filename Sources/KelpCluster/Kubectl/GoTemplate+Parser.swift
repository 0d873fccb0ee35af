extension GoTemplate {
  /// text/template's parser: the if/range/with/else/end structure, pipelines and their operands,
  /// over the texts and actions the lexer (GoTemplate+Lexer.swift) found.
  struct Parser {
    let bytes: [UInt8]
    var offset = 0
    /// The actions and texts of the whole template, lexed before the structure is built.
    var items: [Item] = []
    private var cursor = 0
    /// Variables in scope while parsing: `$` and those declared in enclosing structures.
    private var declared = ["$"]

    enum Item {
      case text(String)
      case action([Lexed], Position)
    }

    /// A token with where it starts in its line and how it was written.
    struct Lexed {
      let token: Token
      let column: Int
      let text: String
    }

    enum Token: Equatable {
      case field([String])  // `.` is field([])
      case variable(String, [String])
      case identifier(String)
      case string(String)
      case number(JSONValue)
      case pipe, open, close, declare, assign, comma
      /// Fields after a `)`: `(…).a.b`.
      case chain([String])
    }

    init(_ source: String) { bytes = Array(source.utf8) }

    mutating func document() throws(Failure) -> [Node] {
      try lex()
      let (nodes, ending) = try nodes(until: [])
      if let ending { throw Failure("\(ending.line): unexpected {{\(ending.word)}}") }
      return nodes
    }

    // MARK: Structure

    private struct Ending {
      let word: String
      let tokens: ArraySlice<Lexed>
      let line: Int
    }

    /// Nodes up to an `{{end}}` or `{{else …}}` when `until` names them; the ending found.
    private mutating func nodes(until endings: Set<String>) throws(Failure) -> ([Node], Ending?) {
      var nodes: [Node] = []
      while cursor < items.count {
        let item = items[cursor]
        cursor += 1
        switch item {
        case .text(let text): nodes.append(.text(text))
        case .action(let tokens, let position):
          guard case .identifier(let word) = tokens.first?.token else {
            nodes.append(.action(try pipeline(tokens[...], position: position)))
            continue
          }
          let rest = tokens.dropFirst()
          switch word {
          case "end", "else":
            guard endings.contains(word) else { throw Failure("\(position.line): unexpected {{\(word)}}") }
            return (nodes, Ending(word: word, tokens: rest, line: position.line))
          case "if", "with", "range":
            nodes.append(try control(word, rest, position))
          case "break", "continue":
            guard rest.isEmpty else { throw Failure("\(position.line): unexpected \(rest.first!.text) in {{\(word)}}") }
            nodes.append(word == "break" ? .breakLoop : .continueLoop)
          case "define", "template", "block":
            throw Failure(
              "\(position.line): Kelp does not support {{\(word)}}: write the template inline")
          default:
            nodes.append(.action(try pipeline(tokens[...], position: position)))
          }
        }
      }
      if !endings.isEmpty { throw Failure("\(lineCount()): unexpected EOF") }
      return (nodes, nil)
    }

    /// `if`, `with` or `range` with its pipeline, body and `else` part (which may chain
    /// `else if` / `else with` as Go 1.23 allows).
    private mutating func control(_ word: String, _ tokens: ArraySlice<Lexed>, _ position: Position)
      throws(Failure) -> Node
    {
      guard !tokens.isEmpty else { throw Failure("\(position.line): missing value for \(word)") }
      let scope = declared.count
      defer { declared.removeSubrange(scope...) }
      let condition = try pipeline(tokens, position: position, allowsTwoVariables: word == "range")
      let (body, ending) = try nodes(until: ["end", "else"])
      var otherwise: [Node] = []
      if let ending, ending.word == "else" {
        if case .identifier(let next) = ending.tokens.first?.token, next == word, word != "range" {
          otherwise = [try control(word, ending.tokens.dropFirst(), Position(line: ending.line, column: position.column))]
        } else {
          guard ending.tokens.isEmpty else { throw Failure("\(ending.line): unexpected tokens after {{else}}") }
          let (rest, final) = try nodes(until: ["end"])
          guard final != nil else { throw Failure("\(lineCount()): unexpected EOF") }
          otherwise = rest
        }
      }
      switch word {
      case "if": return .conditional(condition, then: body, otherwise: otherwise)
      case "with": return .with(condition, then: body, otherwise: otherwise)
      default: return .range(condition, body: body, otherwise: otherwise)
      }
    }

    // MARK: Pipelines

    private mutating func pipeline(
      _ tokens: ArraySlice<Lexed>, position: Position, allowsTwoVariables: Bool = false
    ) throws(Failure) -> Pipeline {
      var tokens = tokens
      var result = Pipeline(position: position)
      // Declarations: `$x :=`, `$x =`, and in range `$i, $e :=`.
      if case .variable(let first, let fields) = tokens.first?.token, fields.isEmpty {
        let after = tokens.dropFirst()
        if after.first?.token == .declare || after.first?.token == .assign {
          result.variables = [first]
          result.isAssignment = after.first?.token == .assign
          tokens = after.dropFirst()
        } else if allowsTwoVariables, after.first?.token == .comma,
          case .variable(let second, let more) = after.dropFirst().first?.token, more.isEmpty,
          after.dropFirst(2).first?.token == .declare
        {
          result.variables = [first, second]
          tokens = after.dropFirst(3)
        }
      }
      if !result.isAssignment { declared += result.variables.map { "$" + $0 } }
      var command: [Argument] = []
      func finish() throws(Failure) {
        guard let first = command.first else { throw Failure("\(position.line): missing value for command") }
        result.commands.append(
          Command(
            operands: command.map(\.operand), arguments: command,
            text: command.map(\.text).joined(separator: " "), position: first.position))
        command = []
      }
      var index = tokens.startIndex
      while index < tokens.endIndex {
        if tokens[index].token == .pipe {
          try finish()
          index += 1
          continue
        }
        let (operand, next) = try self.operand(tokens, at: index, line: position.line)
        command.append(operand)
        index = next
      }
      try finish()
      return result
    }

    private mutating func operand(_ tokens: ArraySlice<Lexed>, at index: Int, line: Int) throws(Failure) -> (Argument, Int) {
      let lexed = tokens[index]
      func simple(_ operand: Operand) -> (Argument, Int) {
        (Argument(operand: operand, text: lexed.text, position: Position(line: line, column: lexed.column)), index + 1)
      }
      switch lexed.token {
      case .field(let names):
        // Go places a chain of fields at its second field.
        let column = names.count > 1 ? lexed.column + 1 + names[0].utf8.count : lexed.column
        return (Argument(operand: .dot(fields: names), text: lexed.text, position: Position(line: line, column: column)), index + 1)
      case .variable(let name, let names):
        guard declared.contains("$" + name) else { throw Failure("\(line): undefined variable \"$\(name)\"") }
        let column = names.isEmpty ? lexed.column : lexed.column + 1 + name.utf8.count
        return (Argument(operand: .variable(name, fields: names), text: lexed.text, position: Position(line: line, column: column)), index + 1)
      case .string(let text): return simple(.literal(.string(text)))
      case .number(let number): return simple(.literal(number))
      case .identifier("true"): return simple(.literal(.bool(true)))
      case .identifier("false"): return simple(.literal(.bool(false)))
      case .identifier("nil"): return simple(.literal(.null))
      case .identifier(let name):
        guard GoTemplate.functions.contains(name) else {
          throw Failure("\(line): function \(JSONPath.GoFormat.quoted(name, json: false)) not defined")
        }
        return simple(.function(name))
      case .open:
        var depth = 1
        var end = index + 1
        while end < tokens.endIndex {
          if tokens[end].token == .open { depth += 1 }
          if tokens[end].token == .close {
            depth -= 1
            if depth == 0 { break }
          }
          end += 1
        }
        guard end < tokens.endIndex else { throw Failure("\(line): unclosed left paren") }
        let inner = try pipeline(tokens[(index + 1)..<end], position: Position(line: line, column: lexed.column))
        let text = "(" + inner.commands.map(\.text).joined(separator: " | ") + ")"
        if end + 1 < tokens.endIndex, case .chain(let names) = tokens[end + 1].token {
          return (
            Argument(
              operand: .pipeline(inner, fields: names), text: text + tokens[end + 1].text,
              position: Position(line: line, column: tokens[end + 1].column)), end + 2)
        }
        return (Argument(operand: .pipeline(inner, fields: []), text: text, position: Position(line: line, column: lexed.column)), end + 1)
      case .close: throw Failure("\(line): unexpected right paren")
      default: throw Failure("\(line): unexpected \(JSONPath.GoFormat.quoted(lexed.text, json: false)) in command")
      }
    }
  }
}
