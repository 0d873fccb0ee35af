/// What a container does once started, read from its command, arguments, image and the
/// `kelp.dev/*` pod annotations, so real manifests behave as written: `sleep 3600` runs an hour
/// then exits 0, `exit 1` fails at once, `touch /tmp/healthy; sleep 30; rm -f /tmp/healthy`
/// makes an exec probe pass then fail, and `nginx` serves until stopped.
struct ContainerProgram: Equatable {
  /// nil: runs until stopped.
  var runFor: Millis?
  var exitCode = 0
  /// When a probe of this container starts to pass, counted from its start.
  var readyAfter: Millis = 0
  var memoryUsage: Quantity?
  var cpuUsage: Quantity?
  /// Ports the process binds; a second container binding one of them in the same pod fails.
  var listensOn: [Int] = []
  /// Whether the process stops at SIGTERM; a shell or `sleep` as PID 1 ignores it and is killed
  /// only when the grace period ends.
  var stopsOnTerm = true
  /// Files created (`true`) or removed (`false`), at times after the start.
  var fileChanges: [FileChange] = []
  var logLines: [LogLine] = []
  /// The container's environment as the process sees it: plain values, and the downward API's
  /// pod annotations (how a Job's pods learn their `JOB_COMPLETION_INDEX`).
  var environment: [String: String] = [:]

  struct FileChange: Equatable {
    var at: Millis
    var path: String
    var exists: Bool
    /// What the command wrote there (`echo hi > /data/x`), when it did.
    var content: String?
  }
  struct LogLine: Equatable {
    var at: Millis
    var text: String
  }

  static let century: Millis = 100 * 365 * 86_400_000
  /// How long an interpreter's one-line script runs.
  static let inlineScriptTime: Millis = 5_000
  static let runFor = "kelp.dev/run-for"
  static let exitCodeAnnotation = "kelp.dev/exit-code"
  static let readyAfterAnnotation = "kelp.dev/ready-after"
  static let cpuUsageAnnotation = "kelp.dev/cpu-usage"
  static let memoryUsageAnnotation = "kelp.dev/memory-usage"

  /// Whether a file exists at `elapsed` after the start (for `cat`/`test -e` exec probes).
  func fileExists(_ path: String, at elapsed: Millis) -> Bool {
    var exists = false
    for change in fileChanges where change.path == path && change.at <= elapsed {
      exists = change.exists
    }
    return exists
  }

  /// `environment` is what the kubelet starts the process with (Cluster.environment(of:in:));
  /// without it, the container's plain values and its pod's annotations stand in.
  init(container: Container, annotations: [String: String], environment: [String: String]? = nil) {
    let catalog = ImageCatalog.entry(for: container.image)
    defer { if annotations.isEmpty == false { applyAnnotations(annotations) } }
    self.environment =
      environment ?? ContainerProgram.environment(of: container, annotations: annotations)
    // The kubelet expands `$(VAR)` in command and args before the runtime sees them.
    let words = (container.command + container.args).map {
      VariableReferences.expand($0, self.environment)
    }
    if container.command.isEmpty && (container.args.isEmpty || !catalog.shell) {
      // The image's own entrypoint: a shell exits at once (no terminal); a server serves.
      if catalog.shell {
        runFor = 0
        stopsOnTerm = false
      } else if let port = catalog.port {
        listensOn = [port]
      }
    } else {
      interpret(words)
    }
    for port in container.ports where !listensOn.contains(port.containerPort) {
      listensOn.append(port.containerPort)
    }
  }

  static func environment(of container: Container, annotations: [String: String])
    -> [String: String]
  {
    var environment: [String: String] = [:]
    for variable in container.env {
      guard let source = variable.valueFrom else {
        environment[variable.name] = variable.value
        continue
      }
      let prefix = "metadata.annotations['"
      if let path = source["fieldRef"]?["fieldPath"]?.stringValue, path.hasPrefix(prefix),
        path.hasSuffix("']")
      {
        let key = String(path.dropFirst(prefix.count).dropLast(2))
        environment[variable.name] = annotations[key]
      }
    }
    return environment
  }

  /// The `kelp.dev/*` annotations override what the command says.
  private mutating func applyAnnotations(_ annotations: [String: String]) {
    if let text = annotations[ContainerProgram.runFor], let duration = try? DurationText.parse(text)
    {
      runFor = duration
    }
    if let text = annotations[ContainerProgram.exitCodeAnnotation], let code = Int(text) {
      exitCode = code
      if runFor == nil { runFor = 0 }
    }
    if let text = annotations[ContainerProgram.readyAfterAnnotation],
      let duration = try? DurationText.parse(text)
    {
      readyAfter = duration
    }
    memoryUsage = annotations[ContainerProgram.memoryUsageAnnotation].flatMap { try? Quantity($0) }
    cpuUsage = annotations[ContainerProgram.cpuUsageAnnotation].flatMap { try? Quantity($0) }
  }

  /// Runs the words of a command line: a shell with `-c SCRIPT`, or one simple command.
  private mutating func interpret(_ words: [String]) {
    guard let first = words.first else { return }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    if ["sh", "bash", "ash", "dash", "zsh"].contains(program) {
      stopsOnTerm = false
      if let flag = words.firstIndex(where: { $0 == "-c" || $0 == "-ec" || $0 == "-xc" }),
        flag + 1 < words.count
      {
        runScript(words[flag + 1])
      } else {
        runFor = 0  // a shell with no script and no terminal exits at once
      }
      return
    }
    var elapsed: Millis = 0
    switch runSimple(words.map { $0 }, elapsed: &elapsed) {
    case .continues(let status):
      runFor = elapsed
      exitCode = status
    case .exits(let status):
      runFor = elapsed
      exitCode = status
    case .forever:
      runFor = nil
    }
  }

  private enum Outcome {
    case continues(Int)
    case exits(Int)
    case forever
  }

  private mutating func runScript(_ script: String) {
    stopsOnTerm = false
    var elapsed: Millis = 0
    var status = 0
    let statements = ShellWords.script(script, environment: environment)
    for (index, statement) in statements.enumerated() where statement.runs(after: status) {
      let words = statement.words(after: status)
      if words.first == "while" || words.first == "until" || words.first == "for" {
        // A loop in a container script is there to keep it alive. Its first pass runs, so the
        // files it writes and the first lines it prints are there; the rest is not repeated.
        for body in statements[(index + 1)...] {
          var bodyWords = body.words(after: status)
          if bodyWords.first == "done" { break }
          if bodyWords.first == "do" { bodyWords.removeFirst() }
          guard body.runs(after: status) else { continue }
          switch runSimple(bodyWords, elapsed: &elapsed) {
          case .continues(let code): status = code
          case .exits, .forever: break
          }
        }
        runFor = nil
        return
      }
      switch runSimple(words, elapsed: &elapsed) {
      case .continues(let code): status = code
      case .exits(let code):
        runFor = elapsed
        exitCode = code
        return
      case .forever:
        runFor = nil
        return
      }
    }
    runFor = elapsed
    exitCode = status
  }

  private mutating func runSimple(_ statement: [String], elapsed: inout Millis) -> Outcome {
    let redirection = ShellWords.redirect(statement)
    let (words, target, append) = (redirection.words, redirection.target, redirection.append)
    // `> file`: what echo or printf print goes into the file instead of the log; another
    // command's output is not simulated, so its file is created empty.
    let printed = ShellWords.printed(words)
    if target == "/dev/null" {
      if printed != nil { return .continues(0) }
    } else if let target {
      let text = printed ?? ""
      let before =
        append ? fileChanges.last(where: { $0.path == target })?.content ?? "" : ""
      fileChanges.append(
        FileChange(at: elapsed, path: target, exists: true, content: before + text))
      if printed != nil { return .continues(0) }
    }
    guard let first = words.first else { return .continues(0) }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    let rest = Array(words.dropFirst())
    switch program {
    case "sleep":
      // `sleep` as PID 1 has no SIGTERM handler: it is killed when the grace period ends.
      stopsOnTerm = false
      guard let amount = rest.first else { return .continues(1) }
      if amount == "infinity" || amount == "inf" { return .forever }
      guard let seconds = Self.sleepSeconds(amount) else { return .continues(1) }
      // Anything past a century of virtual time might as well be forever.
      if seconds > ContainerProgram.century - elapsed { return .forever }
      elapsed += seconds
      return .continues(0)
    case "echo", "printf":
      for line in ShellWords.lines(printed ?? "") { logLines.append(LogLine(at: elapsed, text: line)) }
      return .continues(0)
    case "exit":
      return .exits(rest.first.flatMap { Int($0) } ?? 0)
    case "true", ":": return .continues(0)
    case "false": return .continues(1)
    case "touch", "mkdir":
      for path in rest where !path.hasPrefix("-") {
        fileChanges.append(FileChange(at: elapsed, path: path, exists: true))
      }
      return .continues(0)
    case "rm", "rmdir":
      for path in rest where !path.hasPrefix("-") {
        fileChanges.append(FileChange(at: elapsed, path: path, exists: false))
      }
      return .continues(0)
    case "tail" where rest.contains("-f"):
      stopsOnTerm = false
      return .forever
    case _ where program == "printenv" || (program == "env" && rest.isEmpty):
      let lines = ContainerProgram.printedEnvironment(environment, names: rest)
      for line in lines.printed { logLines.append(LogLine(at: elapsed, text: line)) }
      return .continues(lines.status)
    case "cat", "ls", "date", "env", "hostname", "id", "pwd", "cd", "export", "set",
      "uname", "wget", "curl", "nslookup", "ping", "test", "[", "cp", "mv", "chmod", "ln", "dd",
      "rev", "sort", "uniq", "wc", "grep", "head", "tr", "cut", "base64", "sha256sum", "md5sum":
      return .continues(0)
    case "python" where rest.count >= 2 && rest[rest.count - 2] == "-c",
      "python3" where rest.count >= 2 && rest[rest.count - 2] == "-c":
      let outcome = PythonScript(rest[rest.count - 1]).run(environment: environment)
      for line in outcome.printed { logLines.append(LogLine(at: elapsed, text: line)) }
      elapsed += ContainerProgram.inlineScriptTime
      return .continues(outcome.exitCode)
    case _
    where ["perl", "python", "python3", "ruby", "node", "php"].contains(program)
      && rest.contains(where: { ["-e", "-E", "-c", "-le", "-wle", "-we", "-r"].contains($0) }):
      // A one-line script (the documentation's `perl -Mbignum=bpi -wle 'print bpi(2000)'`):
      // computes for a few seconds, then exits 0.
      elapsed += ContainerProgram.inlineScriptTime
      return .continues(0)
    case _ where ContainerProgram.isAssignment(first):
      return .continues(0)
    default:
      // A program Kelp does not know: a server or worker that runs until stopped.
      return .forever
    }
  }

  /// What `printenv NAME…` prints (each value set, status 1 when one is not), or with no
  /// names, as `env` too, every variable as `NAME=value`.
  static func printedEnvironment(_ environment: [String: String], names: [String])
    -> (printed: [String], status: Int)
  {
    guard !names.isEmpty else {
      return (environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }, 0)
    }
    let values = names.compactMap { environment[$0] }
    return (values, values.count == names.count ? 0 : 1)
  }

  /// `NAME=value` (or `items=(a b c)`) as a statement: a shell variable assignment.
  static func isAssignment(_ word: String) -> Bool {
    guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
    return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
      && !(word.first?.isNumber ?? true)
  }

  /// `sleep 30`, `sleep 1.5`, `sleep 2m` (busybox accepts s/m/h/d suffixes).
  static func sleepSeconds(_ text: String) -> Millis? {
    var body = text
    var unit: Double = 1000
    if let last = body.last, "smhd".contains(last) {
      unit = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000][String(last)] ?? 1000
      body.removeLast()
    }
    guard let value = Double(body), value >= 0 else { return nil }
    let milliseconds = value * unit
    guard milliseconds.isFinite else { return century + 1 }
    return milliseconds >= Double(century) ? century + 1 : Millis(milliseconds.rounded())
  }
}
