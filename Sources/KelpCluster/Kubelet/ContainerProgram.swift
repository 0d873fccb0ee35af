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
  /// without it, the container's plain values and its pod's annotations stand in. `files` are
  /// what the process finds at its start (its volumes), for a script that reads them.
  init(
    container: Container, annotations: [String: String], environment: [String: String]? = nil,
    files: @escaping (String) -> String? = { _ in nil }
  ) {
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
      interpret(words, files: files)
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
    (cpuUsage, memoryUsage) = ContainerProgram.usage(annotations)
  }

  /// The CPU and memory a pod's annotations say its process uses; what metrics read, without
  /// running the command.
  static func usage(_ annotations: [String: String]) -> (cpu: Quantity?, memory: Quantity?) {
    (
      annotations[cpuUsageAnnotation].flatMap { try? Quantity($0) },
      annotations[memoryUsageAnnotation].flatMap { try? Quantity($0) }
    )
  }

  /// Runs the words of a command line: a shell with `-c SCRIPT`, or one program.
  private mutating func interpret(_ words: [String], files: @escaping (String) -> String?) {
    guard let first = words.first else { return }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    var shell = ShellInterpreter(host: ContainerShell(startFiles: files), environment: environment)
    let end: ShellEnd
    if ["sh", "bash", "ash", "dash", "zsh"].contains(program) {
      shell.host.stopsOnTerm = false
      guard let flag = words.firstIndex(where: { $0 == "-c" || $0 == "-ec" || $0 == "-xc" }),
        flag + 1 < words.count
      else {
        runFor = 0  // a shell with no script and no terminal exits at once
        stopsOnTerm = false
        return
      }
      shell.bash = program == "bash"
      end = shell.run(script: words[flag + 1])
    } else {
      end = shell.run(words: words)
    }
    switch end {
    case .exited(let code):
      runFor = shell.host.elapsed
      exitCode = code
    case .forever:
      runFor = nil
    }
    logLines = shell.host.logLines
    fileChanges = shell.host.fileChanges
    stopsOnTerm = shell.host.stopsOnTerm
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
