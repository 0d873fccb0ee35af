import KelpLisp

#if canImport(Glibc)
  import Glibc
#endif

extension Session {
  static let prompt = "kelp> "
  static let continuationPrompt = "  ... "

  static var historyPath: String {
    if let path = StandardStreams.environment("KELP_HISTORY") { return path }
    return (StandardStreams.environment("HOME") ?? ".") + "/.kelp_history"
  }

  /// The interactive loop: reads until the forms typed are complete (the reader decides),
  /// evaluates them, prints the value readably. Every error is printed and the loop goes on.
  func runREPL() -> Int32 {
    guard let editor = LineEditor(programName: "kelp", historyPath: Session.historyPath) else {
      StandardStreams.writeError("kelp: cannot start the line editor; reading standard input\n")
      return runStandardInput()
    }
    editor.completer = { [interpreter] prefix in
      interpreter.definedNames.filter { $0.hasPrefix(prefix) }
    }
    cluster.colorPictures = Session.wantsColor(fileDescriptor: STDOUT_FILENO)
    print("Kelp — type ,help for help, Ctrl-D to quit.")
    var pending = ""
    while true {
      fflush(nil)
      switch editor.readLine(prompt: pending.isEmpty ? Session.prompt : Session.continuationPrompt)
      {
      case .endOfFile:
        // The line editor has already ended the line.
        if !pending.isEmpty {
          pending = ""
          continue
        }
        _ = editor.saveHistory()
        return 0
      case .interrupted:
        pending = ""
        continue
      case .line(let line):
        if pending.isEmpty, line.trimmed.hasPrefix(",") {
          editor.addHistory(line)
          if runCommand(line.trimmed) == .quit {
            _ = editor.saveHistory()
            return 0
          }
          continue
        }
        pending += pending.isEmpty ? line : "\n" + line
        if pending.trimmed.isEmpty {
          pending = ""
          continue
        }
        if Reader.isIncomplete(pending) { continue }
        editor.addHistory(pending)
        _ = editor.saveHistory()
        evaluateAndPrint(pending)
        pending = ""
      }
    }
  }

  func evaluateAndPrint(_ source: String) {
    _ = SignalHandling.takeInterrupt()
    do {
      let value = try interpreter.evaluate(source, file: "<repl>")
      fflush(nil)
      if let shown = Session.shown(value) { print(shown, terminator: "") }
    } catch {
      // Ctrl-C was echoed as ^C on the input line: start the report on a line of its own.
      if error.kind == .interrupted { print() }
      report(error)
    }
  }

  enum CommandOutcome { case proceed, quit }

  /// REPL commands: `,help`, `,doc NAME`, `,quit`.
  func runCommand(_ line: String) -> CommandOutcome {
    let words = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
    switch words.first ?? "" {
    case "help", "h", "?":
      print(
        """
        Type a Kelp expression and press Enter; an unfinished form continues on the next line.
          ,doc NAME    the usage and documentation of NAME
          ,help        this text
          ,quit        leave (or press Ctrl-D)
        Tab completes names; Ctrl-C clears the line or stops a running program.
        Try: (define (square x) (* x x))  (map square (range 5))  (doc 'map)
        A cluster: (cluster :nodes 3)  (kubectl "run web --image=nginx:1.25")  (advance "10s")
                   (kubectl "get pods -o wide")  (fail-node "node-1")  (apropos "node")
        """)
    case "doc", "d":
      guard words.count == 2 else {
        print("usage: ,doc NAME")
        return .proceed
      }
      let name = words[1].trimmed
      if let text = interpreter.documentation(for: name) {
        print(text)
      } else {
        evaluateAndPrint("(doc '\(name))")
      }
    case "quit", "q", "exit":
      return .quit
    default:
      print("unknown command ,\(words.first ?? ""); try ,help")
    }
    return .proceed
  }
}
