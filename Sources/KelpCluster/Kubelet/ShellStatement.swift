/// A statement's words without its redirections, and where its output goes.
struct ShellRedirection: Equatable {
  var words: [String]
  /// The file its output goes to (`/dev/null` discards it), or nil for the output stream.
  var target: String?
  var append = false
  /// `>&2`: the output goes to the error stream.
  var toErrors = false
}

/// One statement of a script, and when it runs: always (after `;`, a newline, `&` or a pipe),
/// only when the last one succeeded (after `&&`) or only when it failed (after `||`); and
/// whether its output is piped into the next.
struct ShellStatement: Equatable {
  enum Condition: Equatable {
    case always, afterSuccess, afterFailure
  }
  /// The words, where `$?` stands as `ShellStatement.lastStatus` until the statement runs.
  var words: [String]
  var condition = Condition.always
  /// Followed by `|`: its output is the next statement's input.
  var pipesInto = false

  static let lastStatus: Character = "\u{E000}"

  func runs(after status: Int) -> Bool {
    switch condition {
    case .always: true
    case .afterSuccess: status == 0
    case .afterFailure: status != 0
    }
  }

  /// The words as the shell runs them after a statement that ended with `status`.
  func words(after status: Int) -> [String] {
    words.map { word in
      word.contains(ShellStatement.lastStatus)
        ? word.split(separator: ShellStatement.lastStatus, omittingEmptySubsequences: false)
          .joined(separator: String(status)) : word
    }
  }
}
