/// Reads a script into ShellSyntax: first words and operators (quotes, backslashes, `$…`
/// forms, comments, redirections), then the grammar over them.
struct ShellParser {
  private enum Token: Equatable {
    case word(ShellWord)
    /// `;`, newline, `&&`, `||`, `|`, `&`, `(`, `)`.
    case op(String)
    case redirect(stream: Int?, kind: String)
  }

  private var tokens: [Token] = []
  private var position = 0

  /// `bash`: read bash's array assignments (`items=(a b c)`), which ash refuses.
  static func parse(_ script: String, bash: Bool = false) throws(ShellSyntaxError) -> [ShellAndOr] {
    var parser = ShellParser()
    var lexer = ShellLexer(script)
    lexer.bash = bash
    parser.tokens = try lexer.tokens()
    let list = try parser.list(until: [])
    if parser.position < parser.tokens.count {
      throw ShellSyntaxError(message: "syntax error: unexpected \(parser.describe(parser.tokens[parser.position]))")
    }
    return list
  }

  /// The words of a bash array's parentheses (`("a b" c)`), quotes kept.
  static func words(_ text: String) -> [ShellWord] {
    var lexer = ShellLexer(text)
    let tokens = (try? lexer.tokens()) ?? []
    return tokens.compactMap { token in
      if case .word(let word) = token { return word }
      return nil
    }
  }

  /// Text read as the inside of double quotes (a `${NAME:-word}`'s word, `$((…))`): its `$`
  /// forms are expansions, quotes in it only group, nothing splits.
  static func quotedWord(_ text: String) -> ShellWord {
    var lexer = ShellLexer(text)
    return lexer.quotedContent()
  }

  private func describe(_ token: Token) -> String {
    switch token {
    case .word(let word): "\"\(word.plain ?? "word")\""
    case .op(let op): op == "\n" ? "newline" : "\"\(op)\""
    case .redirect: "redirection"
    }
  }

  private func keyword(at index: Int) -> String? {
    guard index < tokens.count, case .word(let word) = tokens[index] else { return nil }
    return word.plain
  }

  private mutating func skipNewlines() {
    while position < tokens.count, tokens[position] == .op("\n") { position += 1 }
  }

  /// And-or chains separated by `;`, `&` and newlines, up to one of `terminators` (a keyword
  /// or `)`), which is left for the caller.
  private mutating func list(until terminators: Set<String>) throws(ShellSyntaxError) -> [ShellAndOr] {
    var items: [ShellAndOr] = []
    while true {
      while position < tokens.count, [.op(";"), .op("\n"), .op("&")].contains(tokens[position]) {
        position += 1
      }
      guard position < tokens.count else { break }
      if let word = keyword(at: position), terminators.contains(word) { break }
      if tokens[position] == .op(")"), terminators.contains(")") { break }
      items.append(try andOr())
      guard position < tokens.count else { break }
      guard [.op(";"), .op("\n"), .op("&")].contains(tokens[position]) else {
        if let word = keyword(at: position), terminators.contains(word) { break }
        if tokens[position] == .op(")"), terminators.contains(")") { break }
        throw ShellSyntaxError(message: "syntax error: unexpected \(describe(tokens[position]))")
      }
    }
    return items
  }

  private mutating func andOr() throws(ShellSyntaxError) -> ShellAndOr {
    var chain = ShellAndOr(first: try pipeline())
    while position < tokens.count, tokens[position] == .op("&&") || tokens[position] == .op("||") {
      let connector: ShellAndOr.Connector = tokens[position] == .op("&&") ? .and : .or
      position += 1
      skipNewlines()
      chain.rest.append((connector, try pipeline()))
    }
    return chain
  }

  private mutating func pipeline() throws(ShellSyntaxError) -> ShellPipeline {
    var negated = false
    if keyword(at: position) == "!" {
      negated = true
      position += 1
    }
    var commands = [try command()]
    while position < tokens.count, tokens[position] == .op("|") {
      position += 1
      skipNewlines()
      commands.append(try command())
    }
    return ShellPipeline(commands: commands, negated: negated)
  }

  /// A loop's `do …; done`.
  private mutating func doGroup() throws(ShellSyntaxError) -> [ShellAndOr] {
    try expect("do")
    let body = try list(until: ["done"])
    try expect("done")
    return body
  }

  private mutating func expect(_ word: String) throws(ShellSyntaxError) {
    guard keyword(at: position) == word else {
      if position >= tokens.count {
        throw ShellSyntaxError(message: "syntax error: unexpected end of file (expecting \"\(word)\")")
      }
      throw ShellSyntaxError(message: "syntax error: unexpected \(describe(tokens[position])) (expecting \"\(word)\")")
    }
    position += 1
  }

  private mutating func command() throws(ShellSyntaxError) -> ShellCommand {
    let command = try bareCommand()
    guard case .simple = command else {
      let redirects = try redirections()
      return redirects.isEmpty ? command : .redirected(command, redirects)
    }
    return command
  }

  /// Redirections after a compound command.
  private mutating func redirections() throws(ShellSyntaxError) -> [ShellRedirect] {
    var redirects: [ShellRedirect] = []
    while position < tokens.count, case .redirect(let stream, let kind) = tokens[position] {
      position += 1
      redirects.append(try redirect(stream, kind))
    }
    return redirects
  }

  private mutating func redirect(_ stream: Int?, _ kind: String) throws(ShellSyntaxError)
    -> ShellRedirect
  {
    if kind.hasSuffix("&"), position < tokens.count, case .word(let word) = tokens[position],
      let text = word.plain, let target = Int(text)
    {
      position += 1
      return ShellRedirect(stream: stream ?? 1, kind: .duplicate(target))
    }
    guard position < tokens.count, case .word(let target) = tokens[position] else {
      throw ShellSyntaxError(
        message: "syntax error: unexpected \(position < tokens.count ? describe(tokens[position]) : "end of file")")
    }
    position += 1
    let redirectKind: ShellRedirect.Kind =
      kind.hasPrefix("<") ? .read : kind.hasPrefix(">>") ? .append : .write
    return ShellRedirect(stream: stream, kind: redirectKind, target: target)
  }

  private mutating func bareCommand() throws(ShellSyntaxError) -> ShellCommand {
    guard position < tokens.count else {
      throw ShellSyntaxError(message: "syntax error: unexpected end of file")
    }
    switch keyword(at: position) {
    case "if":
      position += 1
      var branches: [ShellBranch] = []
      var otherwise: [ShellAndOr]?
      var more = true
      while more {
        let condition = try list(until: ["then"])
        try expect("then")
        let body = try list(until: ["elif", "else", "fi"])
        branches.append(ShellBranch(condition: condition, body: body))
        switch keyword(at: position) {
        case "elif": position += 1
        case "else":
          position += 1
          otherwise = try list(until: ["fi"])
          more = false
        default: more = false
        }
      }
      try expect("fi")
      return .ifClause(branches: branches, otherwise: otherwise)
    case "while", "until":
      let until = keyword(at: position) == "until"
      position += 1
      let condition = try list(until: ["do"])
      let body = try doGroup()
      return .whileLoop(condition: condition, body: body, until: until)
    case "for":
      position += 1
      guard let name = keyword(at: position), ShellWord(parts: [.literal(name + "=", quoted: false)]).assignedName != nil else {
        throw ShellSyntaxError(message: "syntax error: bad for loop variable")
      }
      position += 1
      var items: [ShellWord] = []
      if keyword(at: position) == "in" {
        position += 1
        while position < tokens.count, case .word(let word) = tokens[position] {
          items.append(word)
          position += 1
        }
      }
      while position < tokens.count, tokens[position] == .op(";") || tokens[position] == .op("\n") {
        position += 1
      }
      let body = try doGroup()
      return .forLoop(name: name, items: items, body: body)
    case "{":
      position += 1
      let body = try list(until: ["}"])
      try expect("}")
      return .group(body, subshell: false)
    case "then", "elif", "else", "fi", "do", "done", "}":
      throw ShellSyntaxError(message: "syntax error: unexpected \(describe(tokens[position]))")
    default: break
    }
    if tokens[position] == .op("(") {
      position += 1
      let body = try list(until: [")"])
      guard position < tokens.count, tokens[position] == .op(")") else {
        throw ShellSyntaxError(message: "syntax error: unexpected end of file (expecting \")\")")
      }
      position += 1
      return .group(body, subshell: true)
    }
    var simple = ShellSimpleCommand()
    loop: while position < tokens.count {
      switch tokens[position] {
      case .word(let word):
        simple.words.append(word)
        position += 1
      case .redirect(let stream, let kind):
        position += 1
        simple.redirects.append(try redirect(stream, kind))
      case .op: break loop
      }
    }
    if simple.words.isEmpty && simple.redirects.isEmpty {
      throw ShellSyntaxError(message: "syntax error: unexpected \(describe(tokens[position]))")
    }
    return .simple(simple)
  }

  /// The characters-to-tokens pass.
  private struct ShellLexer {
    let characters: [Character]
    var bash = false
    var index = 0
    var result: [Token] = []
    var word = ShellWord()
    var inWord = false

    init(_ script: String) { characters = Array(script) }

    mutating func tokens() throws(ShellSyntaxError) -> [Token] {
      while index < characters.count {
        let character = characters[index]
        switch character {
        case " ", "\t":
          endWord()
          index += 1
        case "(" where bash && inWord && word.assignedName != nil && word.plain?.hasSuffix("=") == true:
          // bash's `NAME=(a b c)`: the list is the rest of the word.
          guard let close = characters[index...].firstIndex(of: ")") else {
            throw ShellSyntaxError(message: "syntax error: unexpected end of file (expecting \")\")")
          }
          append(String(characters[index...close]), quoted: false)
          index = close + 1
        case "\n", ";", "(", ")":
          endWord()
          result.append(.op(String(character)))
          index += 1
        case "&", "|":
          if character == "&", peek(1) == ">" {
            endWord()
            index += 2
            let append = peek(0) == ">"
            if append { index += 1 }
            result.append(.redirect(stream: nil, kind: append ? ">>" : ">"))
            continue
          }
          endWord()
          if peek(1) == character {
            result.append(.op(String([character, character])))
            index += 2
          } else {
            result.append(.op(String(character)))
            index += 1
          }
        case ">", "<":
          // `2>`: a number just before is the stream, not a word.
          var stream: Int? = character == ">" ? 1 : 0
          if inWord, let text = word.plain, text.count <= 2, text.allSatisfy(\.isNumber),
            let number = Int(text)
          {
            stream = number
            word = ShellWord()
            inWord = false
          }
          endWord()
          index += 1
          var kind = String(character)
          if character == ">", peek(0) == ">" {
            kind = ">>"
            index += 1
          }
          if peek(0) == "&" {
            kind += "&"
            index += 1
          }
          result.append(.redirect(stream: stream, kind: kind))
        case "#" where !inWord:
          while index < characters.count, characters[index] != "\n" { index += 1 }
        default:
          try readWordPart()
        }
      }
      endWord()
      return result
    }

    private func peek(_ offset: Int) -> Character? {
      index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func endWord() {
      if inWord { result.append(.word(word)) }
      word = ShellWord()
      inWord = false
    }

    private mutating func append(_ text: String, quoted: Bool) {
      if case .literal(let before, let wasQuoted) = word.parts.last, wasQuoted == quoted {
        word.parts[word.parts.count - 1] = .literal(before + text, quoted: quoted)
      } else {
        word.parts.append(.literal(text, quoted: quoted))
      }
      inWord = true
    }

    private mutating func readWordPart() throws(ShellSyntaxError) {
      let character = characters[index]
      index += 1
      switch character {
      case "'":
        guard let close = characters[index...].firstIndex(of: "'") else {
          throw ShellSyntaxError(message: "syntax error: unterminated quoted string")
        }
        append(String(characters[index..<close]), quoted: true)
        index = close + 1
      case "\"":
        append("", quoted: true)  // so that "" is a word of its own, empty
        while true {
          guard index < characters.count else {
            throw ShellSyntaxError(message: "syntax error: unterminated quoted string")
          }
          let inner = characters[index]
          index += 1
          if inner == "\"" { break }
          if inner == "\\", let next = peek(0), "$`\"\\\n".contains(next) {
            index += 1
            if next != "\n" { append(String(next), quoted: true) }
          } else if inner == "$" || inner == "`" {
            try readExpansion(inner, quoted: true)
          } else {
            append(String(inner), quoted: true)
          }
        }
      case "\\":
        if let next = peek(0) {
          index += 1
          if next != "\n" { append(String(next), quoted: true) }
        }
      case "$", "`":
        try readExpansion(character, quoted: false)
      default:
        append(String(character), quoted: false)
      }
    }

    mutating func quotedContent() -> ShellWord {
      append("", quoted: true)
      var single = false
      while index < characters.count {
        let character = characters[index]
        index += 1
        if single {
          if character == "'" { single = false } else { append(String(character), quoted: true) }
        } else if character == "'" {
          single = true
        } else if character == "\"" {
          continue
        } else if character == "\\", let next = peek(0) {
          index += 1
          append(String(next), quoted: true)
        } else if character == "$" || character == "`" {
          let mark = index
          do {
            try readExpansion(character, quoted: true)
          } catch {
            // An unfinished form is text.
            index = mark
            append(String(character), quoted: true)
          }
        } else {
          append(String(character), quoted: true)
        }
      }
      return word
    }

    /// After `$` or a backquote.
    private mutating func readExpansion(_ opener: Character, quoted: Bool) throws(ShellSyntaxError) {
      inWord = true
      if opener == "`" {
        guard let close = characters[index...].firstIndex(of: "`") else {
          throw ShellSyntaxError(message: "syntax error: unterminated quoted string")
        }
        word.parts.append(.command(String(characters[index..<close]), quoted: quoted))
        index = close + 1
        return
      }
      guard let next = peek(0) else {
        append("$", quoted: quoted)
        return
      }
      if next == "(" {
        let arithmetic = peek(1) == "("
        index += arithmetic ? 2 : 1
        let start = index
        var depth = arithmetic ? 2 : 1
        while index < characters.count {
          let character = characters[index]
          if character == "'" || character == "\"" {
            // A quoted `)` does not close the substitution.
            var end = index + 1
            while end < characters.count, characters[end] != character {
              if character == "\"", characters[end] == "\\" { end += 1 }
              end += 1
            }
            index = end
          } else if character == "\\" {
            index += 1
          } else if character == "(" {
            depth += 1
          } else if character == ")" {
            depth -= 1
            if depth == 0 { break }
          }
          index += 1
        }
        index = min(index, characters.count)
        guard index < characters.count else {
          throw ShellSyntaxError(message: "syntax error: unterminated quoted string")
        }
        if arithmetic {
          // `$((a))`: the text between the inner parentheses.
          let inner = String(characters[start..<max(start, index - 1)])
          word.parts.append(.arithmetic(inner, quoted: quoted))
        } else {
          word.parts.append(.command(String(characters[start..<index]), quoted: quoted))
        }
        index += 1
      } else if next == "{" {
        var depth = 0
        var end = index
        while end < characters.count {
          if characters[end] == "{" { depth += 1 }
          if characters[end] == "}" {
            depth -= 1
            if depth == 0 { break }
          }
          end += 1
        }
        guard end < characters.count else {
          throw ShellSyntaxError(message: "syntax error: missing '}'")
        }
        word.parts.append(.parameter(String(characters[(index + 1)..<end]), quoted: quoted))
        index = end + 1
      } else if next.isASCII && (next.isLetter || next == "_") {
        var name = ""
        while let character = peek(0), character.isASCII,
          character.isLetter || character.isNumber || character == "_"
        {
          name.append(character)
          index += 1
        }
        word.parts.append(.parameter(name, quoted: quoted))
      } else if "?$#!@*-".contains(next) || next.isWholeNumber {
        index += 1
        word.parts.append(.parameter(String(next), quoted: quoted))
      } else {
        append("$", quoted: quoted)
      }
    }
  }
}
