extension GoTemplate {
  /// text/template's lexer and parser in one pass: text, `{{ }}` actions with their `{{- ` and
  /// ` -}}` trim markers and `/* */` comments, and the if/range/with/else/end structure.
  struct Parser {
    private let bytes: [UInt8]
    private var offset = 0
    /// The actions and texts of the whole template, lexed before the structure is built.
    private var items: [Item] = []
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

    // MARK: Lexing

    private func lineCount() -> Int { 1 + bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count }

    private func line(at position: Int) -> Int {
      1 + bytes[..<position].filter { $0 == UInt8(ascii: "\n") }.count
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private mutating func lex() throws(Failure) {
      var text: [UInt8] = []
      while offset < bytes.count {
        if bytes[offset] == UInt8(ascii: "{"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "{") {
          let start = offset
          offset += 2
          // `{{- ` trims the whitespace before the action.
          if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "-"), Parser.isSpace(bytes[offset + 1]) {
            while let last = text.last, Parser.isSpace(last) { text.removeLast() }
            offset += 2
          }
          if !text.isEmpty { items.append(.text(String(decoding: text, as: UTF8.self))) }
          text = []
          let trimAfter = try action(startingAt: start)
          if trimAfter { while offset < bytes.count, Parser.isSpace(bytes[offset]) { offset += 1 } }
        } else {
          text.append(bytes[offset])
          offset += 1
        }
      }
      if !text.isEmpty { items.append(.text(String(decoding: text, as: UTF8.self))) }
    }

    /// Lexes one action after its `{{`; whether it ended with ` -}}`.
    private mutating func action(startingAt start: Int) throws(Failure) -> Bool {
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

    private mutating func token(line: Int, after previous: Token?) throws(Failure) -> Token {
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
        if names.isEmpty, offset < bytes.count, Parser.isDigit(bytes[offset]) {
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
        guard Parser.isIdentifier(byte) else {
          throw Failure("\(line): unexpected \(JSONPath.GoFormat.quoted(String(decoding: [byte], as: UTF8.self), json: false)) in command")
        }
        return .identifier(identifier())
      }
    }

    /// `.a.b` after the first dot (consumed here); [] for a lone `.`.
    private mutating func fieldNames() -> [String] {
      var names: [String] = []
      while offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
        guard offset + 1 < bytes.count, Parser.isIdentifier(bytes[offset + 1]) else {
          if names.isEmpty { offset += 1 }  // the lone dot
          break
        }
        offset += 1
        names.append(identifier())
      }
      return names
    }

    private mutating func identifier() -> String {
      let start = offset
      while offset < bytes.count, Parser.isIdentifier(bytes[offset]) { offset += 1 }
      return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func number(line: Int) throws(Failure) -> JSONValue {
      let start = offset
      if bytes[offset] == UInt8(ascii: "-") || bytes[offset] == UInt8(ascii: "+") { offset += 1 }
      while offset < bytes.count, Parser.isIdentifier(bytes[offset]) || bytes[offset] == UInt8(ascii: ".")
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

    private mutating func quotedString(line: Int) throws(Failure) -> String {
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

    private mutating func skipSpaces() {
      while offset < bytes.count, Parser.isSpace(bytes[offset]), !matches(" -}}") { offset += 1 }
    }

    private func matches(_ literal: String) -> Bool {
      let pattern = Array(literal.utf8)
      return offset + pattern.count <= bytes.count && Array(bytes[offset..<(offset + pattern.count)]) == pattern
    }

    private func find(_ literal: String) -> Int? {
      let pattern = Array(literal.utf8)
      var index = offset
      while index + pattern.count <= bytes.count {
        if Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
        index += 1
      }
      return nil
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
      isDigit(byte) || byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
  }
}
