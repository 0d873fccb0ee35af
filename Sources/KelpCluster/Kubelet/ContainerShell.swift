/// The shell's host for a container's own command, run ahead of time: what it prints becomes
/// log lines at the virtual time it prints them, `sleep` moves that time on, files it writes
/// are changes at their times, and a program Kelp does not know is a server that runs until
/// stopped.
struct ContainerShell: ShellHost {
  var elapsed: Millis = 0
  var logLines: [ContainerProgram.LogLine] = []
  var fileChanges: [ContainerProgram.FileChange] = []
  var stopsOnTerm = true
  /// The files the container finds at its start (its volumes), when known.
  let startFiles: (String) -> String?

  /// A loop that sleeps keeps its container alive: its passes are run for the first hour of
  /// the container's life, then it is taken to go on the same way.
  static let loopHorizon: Millis = 3_600_000

  mutating func runProgram(_ words: [String], _ io: inout ShellIO, environment: [String: String])
    -> ShellStep
  {
    guard let first = words.first else { return .status(0) }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    let rest = Array(words.dropFirst())
    switch program {
    case "touch", "mkdir":
      for path in rest where !path.hasPrefix("-") {
        if case .text = file(path) { continue }
        fileChanges.append(ContainerProgram.FileChange(at: elapsed, path: path, exists: true))
      }
      return .status(0)
    case "rm", "rmdir":
      for path in rest where !path.hasPrefix("-") {
        fileChanges.append(ContainerProgram.FileChange(at: elapsed, path: path, exists: false))
      }
      return .status(0)
    case "tail" where rest.contains("-f") || rest.contains("-F"):
      stopsOnTerm = false
      return .forever
    case _ where ["python", "python3"].contains(program) && rest.count >= 2
      && rest[rest.count - 2] == "-c":
      let outcome = PythonScript(rest[rest.count - 1]).run(environment: environment)
      io.output += outcome.printed.map { $0 + "\n" }.joined()
      elapsed += ContainerProgram.inlineScriptTime
      return .status(outcome.exitCode)
    case _
    where ["perl", "python", "python3", "ruby", "node", "php"].contains(program)
      && rest.contains(where: { ["-e", "-E", "-c", "-le", "-wle", "-we", "-r"].contains($0) }):
      // A one-line script (the documentation's `perl -Mbignum=bpi -wle 'print bpi(2000)'`):
      // computes for a few seconds, then exits 0.
      elapsed += ContainerProgram.inlineScriptTime
      return .status(0)
    case "ls", "date", "hostname", "id", "pwd", "uname", "wget", "curl", "nslookup", "ping", "cp",
      "mv", "chmod", "chown", "ln", "dd", "sha256sum", "md5sum", "whoami", "nc", "stat", "find",
      "seq", "expr", "basename", "dirname", "which", "du", "df", "ps", "kill", "mount":
      return .status(0)
    default:
      // A program Kelp does not know: a server or worker that runs until stopped.
      return .forever
    }
  }

  func file(_ path: String) -> ShellFile {
    if let change = fileChanges.last(where: { $0.path == path && $0.at <= elapsed }) {
      return change.exists ? .text(change.content ?? "") : .missing
    }
    return startFiles(path).map(ShellFile.text) ?? .unknown
  }

  mutating func writeFile(_ path: String, _ text: String) -> String? {
    fileChanges.append(
      ContainerProgram.FileChange(at: elapsed, path: path, exists: true, content: text))
    return nil
  }

  mutating func emit(output: String, errors: String) {
    for line in ShellText.lines(output) + ShellText.lines(errors) {
      logLines.append(ContainerProgram.LogLine(at: elapsed, text: line))
    }
  }

  mutating func sleep(_ milliseconds: Millis?, inLoop: Bool) -> Bool {
    // `sleep` as PID 1, or a shell, has no SIGTERM handler: killed when the grace period ends.
    stopsOnTerm = false
    guard let milliseconds, milliseconds <= ContainerProgram.century - elapsed else { return false }
    elapsed += milliseconds
    return !(inLoop && elapsed > ContainerShell.loopHorizon)
  }
}
