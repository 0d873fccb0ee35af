/// One pass over a script. Expansion happens as words are read, which is what a straight-line
/// script needs; a loop's variable holds its first item (a container's loop runs one pass).
struct ShellTokenizer {
  var variables: [String: String]
  var arrays: [String: [String]] = [:]
  private var statements: [ShellStatement] = []
  private var words: [String] = []
  private var condition = ShellStatement.Condition.always
  private var word = ""
  private var inWord = false
  private var characters: [Character] = []
  private var index = 0

  init(variables: [String: String]) {
    self.variables = variables
  }

  private enum Quote {
    case none, single, double
  }

  mutating func statements(_ script: String) -> [ShellStatement] {
    characters = Array(script)
    characters.append("\n")
    index = 0
    var quote = Quote.none
    while index < characters.count {
      let character = characters[index]
      index += 1
      switch quote {
      case .single:
        if character == "'" { quote = .none } else { word.append(character) }
      case .double:
        if character == "\"" {
          quote = .none
        } else if character == "\\", index < characters.count, "$`\"\\".contains(characters[index]) {
          word.append(characters[index])
          index += 1
        } else if character == "$" {
          expandParameter()
        } else {
          word.append(character)
        }
      case .none:
        if character == "'" || character == "\"" {
          quote = character == "'" ? .single : .double
          inWord = true
        } else if character == "\\" {
          if index < characters.count, characters[index] != "\n" {
            word.append(characters[index])
            inWord = true
          }
          index += 1
        } else if character == "$" {
          expandParameter()
        } else if character == "&", word.hasSuffix(">") || characters[index] == ">" {
          // `2>&1`, `>&2`, `&>file`: a redirection, not a separator.
          word.append(character)
          inWord = true
        } else if character == ";" || character == "\n" || character == "&" || character == "|" {
          let ended = statements.count
          endStatement()
          if (character == "&" || character == "|"), characters[index] == character {
            condition = character == "&" ? .afterSuccess : .afterFailure
            index += 1
          } else if character == "|", statements.count > ended {
            statements[ended].pipesInto = true
          }
        } else if character == "#" && !inWord {
          while index < characters.count && characters[index] != "\n" { index += 1 }
          endStatement()
        } else if character == " " || character == "\t" {
          endWord()
        } else {
          word.append(character)
          inWord = true
        }
      }
    }
    endStatement()
    return statements
  }

  private mutating func endWord() {
    if inWord { words.append(word) }
    word = ""
    inWord = false
  }

  private mutating func endStatement() {
    endWord()
    guard !words.isEmpty else { return }
    assign(words)
    statements.append(ShellStatement(words: words, condition: condition))
    words = []
    condition = .always
  }

  /// `NAME=value…`, `export NAME=value`, `items=(a b c)` and `for NAME in first …`.
  private mutating func assign(_ statement: [String]) {
    var words = statement[...]
    if ["export", "readonly", "local"].contains(words.first ?? "") { words.removeFirst() }
    if words.first == "for", words.count >= 4, words[words.startIndex + 2] == "in" {
      variables[words[words.startIndex + 1]] = words[words.startIndex + 3]
      return
    }
    guard let first = words.first, let equals = first.firstIndex(of: "="),
      ContainerProgram.isAssignment(first)
    else { return }
    let name = String(first[..<equals])
    let value = String(first[first.index(after: equals)...])
    if value.hasPrefix("(") {
      var items = Array(words)
      items[0] = String(value.dropFirst())
      if let close = items.firstIndex(where: { $0.hasSuffix(")") }) {
        items[close].removeLast()
        items = Array(items[...close])
      }
      arrays[name] = items.filter { !$0.isEmpty }
      variables[name] = nil
      return
    }
    // `X=1 command` sets X for that command only.
    guard words.allSatisfy(ContainerProgram.isAssignment) else { return }
    for assignment in words {
      guard let equals = assignment.firstIndex(of: "=") else { continue }
      variables[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
      arrays[String(assignment[..<equals])] = nil
    }
  }

  /// After a `$`: a name, `{…}` or a special parameter; anything else is a literal `$` (and
  /// `$(…)`, a command substitution, is left as written).
  private mutating func expandParameter() {
    guard index < characters.count else {
      word.append("$")
      inWord = true
      return
    }
    let next = characters[index]
    let value: String
    if next == "{", let close = characters[index...].firstIndex(of: "}") {
      let body = String(characters[(index + 1)..<close])
      index = close + 1
      value = braced(body)
    } else if Self.startsName(next) {
      var name = ""
      while index < characters.count, Self.continuesName(characters[index]) {
        name.append(characters[index])
        index += 1
      }
      value = lookup(name)
    } else if "?$#!@*-".contains(next) || next.isWholeNumber {
      index += 1
      value = special(next)
    } else {
      word.append("$")
      inWord = true
      return
    }
    word += value
    // An unquoted expansion to nothing makes no word (`echo $UNSET` prints an empty line).
    if !value.isEmpty { inWord = true }
  }

  private func lookup(_ name: String) -> String {
    variables[name] ?? arrays[name]?.first ?? ""
  }

  private func special(_ parameter: Character) -> String {
    switch parameter {
    case "?": String(ShellStatement.lastStatus)
    case "$": "1"  // the shell is PID 1 in its container
    case "#": "0"
    case "0": "sh"
    default: ""
    }
  }

  /// `${…}`'s forms.
  private func braced(_ body: String) -> String {
    if body.hasPrefix("#") { return String(lookup(String(body.dropFirst())).count) }
    let name = String(body.prefix(while: Self.continuesName))
    let rest = body.dropFirst(name.count)
    if rest.hasPrefix("["), rest.hasSuffix("]") {
      let subscriptText = substitute(String(rest.dropFirst().dropLast()))
      guard let items = arrays[name] ?? variables[name].map({ [$0] }) else { return "" }
      if subscriptText == "@" || subscriptText == "*" { return items.joined(separator: " ") }
      guard let position = Int(subscriptText.filter { $0 != " " }),
        items.indices.contains(position)
      else { return "" }
      return items[position]
    }
    let value = variables[name] ?? arrays[name]?.first
    let operators = [(":-", true), (":=", true), (":+", true), ("-", false), ("=", false), ("+", false)]
    for (operator_, needsValue) in operators where rest.hasPrefix(operator_) {
      let alternative = substitute(String(rest.dropFirst(operator_.count)))
      let isSet = needsValue ? !(value ?? "").isEmpty : value != nil
      if operator_.hasSuffix("+") { return isSet ? alternative : "" }
      return isSet ? value ?? "" : alternative
    }
    return value ?? ""
  }

  /// `$NAME` and `${…}` inside a word of a `${…}` form.
  private func substitute(_ text: String) -> String {
    guard text.contains("$") else { return text }
    var inner = ShellTokenizer(variables: variables)
    inner.arrays = arrays
    inner.characters = Array(text)
    while inner.index < inner.characters.count {
      let character = inner.characters[inner.index]
      inner.index += 1
      if character == "$" { inner.expandParameter() } else { inner.word.append(character) }
    }
    return inner.word
  }

  private static func startsName(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character == "_")
  }

  private static func continuesName(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber || character == "_")
  }
}
