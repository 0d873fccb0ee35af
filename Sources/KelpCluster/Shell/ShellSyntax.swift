/// The shell's grammar, as busybox ash reads a container's `sh -c` script: lists of and-or
/// chains of pipelines of commands, where a command is a simple one (words and redirections),
/// `if`, `for`, `while`/`until` or a group. Words keep their quoting, so expansion happens when
/// a command runs (a loop's body sees each item, `$?` the last status).
struct ShellWord: Equatable {
  enum Part: Equatable {
    case literal(String, quoted: Bool)
    /// `$NAME`, `$?` or what is inside `${…}`.
    case parameter(String, quoted: Bool)
    /// What is inside `$((…))`.
    case arithmetic(String, quoted: Bool)
    /// What is inside `$(…)` or backquotes.
    case command(String, quoted: Bool)
  }
  var parts: [Part] = []

  /// The word when it is plain unquoted text, as keywords and assignments are written.
  var plain: String? {
    var text = ""
    for part in parts {
      guard case .literal(let literal, quoted: false) = part else { return nil }
      text += literal
    }
    return text
  }

  /// `NAME=` at the start, unquoted: the name of the variable it assigns.
  var assignedName: String? {
    guard case .literal(let literal, quoted: false) = parts.first,
      let equals = literal.firstIndex(of: "="), equals != literal.startIndex
    else { return nil }
    let name = literal[..<equals]
    guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
      !(name.first?.isNumber ?? true)
    else { return nil }
    return String(name)
  }

  /// The word after its `NAME=`.
  var assignedValue: ShellWord {
    guard case .literal(let literal, quoted: false) = parts.first,
      let equals = literal.firstIndex(of: "=")
    else { return self }
    var value = self
    value.parts[0] = .literal(String(literal[literal.index(after: equals)...]), quoted: false)
    return value
  }
}

/// `> file`, `>> file`, `2> file`, `&> file`, `< file`, `>&2`, `2>&1`.
struct ShellRedirect: Equatable {
  enum Kind: Equatable {
    case write, append, read
    /// `N>&M`: the stream goes where stream M goes.
    case duplicate(Int)
  }
  /// 1 for output, 2 for errors, nil for both (`&>`).
  var stream: Int?
  var kind: Kind
  var target: ShellWord?
}

struct ShellSimpleCommand: Equatable {
  var words: [ShellWord] = []
  var redirects: [ShellRedirect] = []
}

indirect enum ShellCommand: Equatable {
  case simple(ShellSimpleCommand)
  case ifClause(branches: [ShellBranch], otherwise: [ShellAndOr]?)
  /// `for NAME in WORDS; do …; done`.
  case forLoop(name: String, items: [ShellWord], body: [ShellAndOr])
  case whileLoop(condition: [ShellAndOr], body: [ShellAndOr], until: Bool)
  /// `{ …; }`, or `( … )` (a subshell: its assignments do not last).
  case group([ShellAndOr], subshell: Bool)
  /// A compound command with redirections after it (`done > file`, `} 2>&1`).
  case redirected(ShellCommand, [ShellRedirect])
}

struct ShellBranch: Equatable {
  var condition: [ShellAndOr]
  var body: [ShellAndOr]
}

/// Commands joined by pipes; `!` inverts the status.
struct ShellPipeline: Equatable {
  var commands: [ShellCommand]
  var negated = false
}

/// Pipelines joined by `&&` and `||`, left to right.
struct ShellAndOr: Equatable {
  enum Connector: Equatable {
    case and, or
  }
  var first: ShellPipeline
  var rest: [(Connector, ShellPipeline)] = []

  static func == (left: ShellAndOr, right: ShellAndOr) -> Bool {
    left.first == right.first && left.rest.count == right.rest.count
      && zip(left.rest, right.rest).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
  }
}

/// A script that does not parse, in ash's words (`syntax error: unexpected "fi"`).
struct ShellSyntaxError: Error, Equatable {
  var message: String
}
