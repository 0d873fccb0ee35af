import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What one run of `kelp` did.
struct KelpRun: CustomStringConvertible {
  var arguments: [String]
  var status: Int32
  var stdout: String
  var stderr: String
  var timedOut: Bool

  var description: String {
    """
    kelp \(arguments.joined(separator: " ")) → exit \(status)\(timedOut ? " (killed: timed out)" : "")
    --- stdout
    \(stdout)
    --- stderr
    \(stderr)
    """
  }
}

/// Collects what a pipe delivers, on a thread of its own.
private final class PipeReader: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ pipe: Pipe) {
    let handle = pipe.fileHandleForReading
    Thread.detachNewThread { [self] in
      let contents = handle.readDataToEndOfFile()
      lock.withLock { data = contents }
      done.signal()
    }
  }

  func text(waitingAtMost seconds: Double) -> String {
    _ = done.wait(timeout: .now() + seconds)
    return lock.withLock { String(decoding: data, as: UTF8.self) }
  }
}

/// Runs `kelp` with `arguments`, standard input from `stdin` (or /dev/null),
/// and waits for it, killing it after `timeout` seconds.
///
/// The environment is this process's, without NO_COLOR, plus `environment`.
func runKelp(
  _ arguments: [String],
  stdin: String? = nil,
  environment: [String: String] = [:],
  in directory: URL? = nil,
  timeout: Double = 20
) throws -> KelpRun {
  // A program that exits without reading its input must not kill the tests.
  signal(SIGPIPE, SIG_IGN)

  let process = Process()
  process.executableURL = URL(fileURLWithPath: try KelpBinary.path())
  process.arguments = arguments
  var fullEnvironment = ProcessInfo.processInfo.environment
  fullEnvironment["NO_COLOR"] = nil
  fullEnvironment.merge(environment) { $1 }
  process.environment = fullEnvironment
  if let directory { process.currentDirectoryURL = directory }

  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  let input = stdin.map { _ in Pipe() }
  process.standardInput = input ?? FileHandle(forReadingAtPath: "/dev/null")

  let exited = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in exited.signal() }
  try process.run()
  let outputReader = PipeReader(output)
  let errorReader = PipeReader(errors)
  if let input, let stdin {
    try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try? input.fileHandleForWriting.close()
  }

  var timedOut = false
  if exited.wait(timeout: .now() + timeout) == .timedOut {
    timedOut = true
    kill(process.processIdentifier, SIGKILL)
    _ = exited.wait(timeout: .now() + 5)
  }
  return KelpRun(
    arguments: arguments,
    status: process.isRunning ? -1 : process.terminationStatus,
    stdout: outputReader.text(waitingAtMost: 5),
    stderr: errorReader.text(waitingAtMost: 5),
    timedOut: timedOut)
}

/// Signs that the Swift runtime, not Kelp, reported the failure.
private let crashMarkers = [
  "Fatal error", "Stack dump", "Current stack trace", "Segmentation fault", "SIGSEGV",
  "Illegal instruction",
]

private func hasNoCrashMarkers(_ run: KelpRun) -> Bool {
  !crashMarkers.contains { run.stderr.contains($0) || run.stdout.contains($0) }
}

@Suite("The kelp command")
struct CommandLineTests {
  @Test("kelp -e evaluates an expression and prints its value")
  func evaluatesExpression() throws {
    let run = try runKelp(["-e", "(+ 1 2)"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "3\n", "\(run)")
    #expect(run.stderr == "", "\(run)")
  }

  @Test("kelp -e prints strings readably and nothing for a definition")
  func evaluatesExpressionReadably() throws {
    let string = try runKelp(["-e", #"(str "a" "b")"#])
    #expect(string.status == 0, "\(string)")
    #expect(string.stdout == "\"ab\"\n", "\(string)")
    let definition = try runKelp(["-e", "(define x 1)"])
    #expect(definition.status == 0, "\(definition)")
    #expect(definition.stdout == "", "\(definition)")
  }

  @Test("kelp run runs a script file and shows what it prints")
  func runsScript() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "hello.kelp",
      """
      (define (greet who) (str "hello, " who))
      (println (greet "script"))
      (println (* 6 7))
      """)
    let run = try runKelp(["run", script])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "hello, script\n42\n", "\(run)")
    #expect(run.stderr == "", "\(run)")
  }

  @Test("The arguments after the script file become *command-line-args*")
  func passesCommandLineArguments() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "args.kelp",
      """
      (println (length *command-line-args*))
      (for-each (lambda (a) (println (str "[" a "]"))) *command-line-args*)
      """)
    let run = try runKelp(["run", script, "alpha", "two words", "--flag", "-x"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "4\n[alpha]\n[two words]\n[--flag]\n[-x]\n", "\(run)")

    let none = try runKelp(["run", script])
    #expect(none.status == 0, "\(none)")
    #expect(none.stdout == "0\n", "\(none)")
  }

  @Test("A #! first line is ignored and the lines after it keep their numbers")
  func ignoresShebang() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "shebang.kelp",
      """
      #!/usr/bin/env kelp run
      (println "after the shebang")
      """)
    let run = try runKelp(["run", script])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "after the shebang\n", "\(run)")
    #expect(run.stderr == "", "\(run)")

    let failing = try folder.write("shebang-error.kelp", "#!/usr/bin/env kelp run\n\n(car 5)\n")
    let error = try runKelp(["run", failing])
    #expect(error.status == 1, "\(error)")
    #expect(error.stderr.hasPrefix("\(failing):3:1: error"), "\(error)")
  }

  @Test("An uncaught error exits 1 and names the file, line and column of the failing form")
  func reportsUncaughtError() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "broken.kelp",
      """
      (println "before")

        (car 5)
      (println "after")
      """)
    let run = try runKelp(["run", script])
    #expect(run.status == 1, "\(run)")
    #expect(run.stdout == "before\n", "\(run)")
    #expect(run.stderr.hasPrefix("\(script):3:3: error"), "\(run)")
    #expect(run.stderr.contains("car: expected a non-empty list, got 5"), "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }

  @Test("An error inside a procedure points at the failing form and shows the call trace")
  func reportsCallTrace() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "trace.kelp",
      """
      (define (first-item xs)
        (car xs))
      (first-item 5)
      """)
    let run = try runKelp(["run", script])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.hasPrefix("\(script):2:3: error"), "\(run)")
    #expect(run.stderr.contains("in first-item at \(script):3:1"), "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }

  @Test("An unbound name gets a hint line")
  func reportsHint() throws {
    let run = try runKelp(["-e", "(begin (define replicas 3) replicaz)"])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("replicaz is not defined"), "\(run)")
    #expect(run.stderr.contains("hint: did you mean `replicas`?"), "\(run)")
  }

  @Test("Without arguments and with stdin not a terminal, kelp runs stdin as a script")
  func runsStandardInput() throws {
    let run = try runKelp([], stdin: "(define x 20)\n(println (+ x 22))\n")
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "42\n", "\(run)")
    #expect(run.stderr == "", "\(run)")

    let failing = try runKelp([], stdin: "(println \"one\")\n(car 5)\n")
    #expect(failing.status == 1, "\(failing)")
    #expect(failing.stdout == "one\n", "\(failing)")
    #expect(failing.stderr.hasPrefix("<stdin>:2:1: error"), "\(failing)")
  }

  @Test("(exit N) ends the program with that code after flushing its output")
  func exitsWithCode() throws {
    let run = try runKelp(
      [], stdin: "(print \"partial line\")\n(exit 3)\n(println \"not reached\")\n")
    #expect(run.status == 3, "\(run)")
    #expect(run.stdout == "partial line", "\(run)")
  }

  @Test(
    "A usage error exits 2",
    arguments: [
      ["--bogus"],
      ["run"],
      ["--max-steps", "many", "-e", "1"],
    ])
  func rejectsBadUsage(arguments: [String]) throws {
    let run = try runKelp(arguments)
    #expect(run.status == 2, "\(run)")
    #expect(run.stdout == "", "\(run)")
    #expect(run.stderr.contains("Usage: kelp") || run.stderr.contains("Error:"), "\(run)")
  }

  @Test("A usage error names what was wrong")
  func explainsUsageError() throws {
    let unknown = try runKelp(["--bogus"])
    #expect(unknown.stderr.contains("--bogus"), "\(unknown)")
    let missing = try runKelp(["run"])
    #expect(missing.stderr.contains("<file>"), "\(missing)")
  }

  @Test("kelp run with a missing file exits 1 and says it cannot read it")
  func reportsMissingFile() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let missing = folder.url.appendingPathComponent("no-such-script.kelp").path
    let run = try runKelp(["run", missing])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("cannot read \(missing)"), "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }

  @Test("--max-steps stops an endless loop with a step budget error")
  func limitsSteps() throws {
    let run = try runKelp(["--max-steps", "1000", "-e", "(let loop () (loop))"])
    #expect(!run.timedOut, "\(run)")
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("step budget"), "\(run)")
  }

  @Test(
    "--max-steps applies to kelp run, given before or after the subcommand",
    arguments: [
      ["--max-steps", "1000", "run", "FILE"],
      ["run", "--max-steps", "1000", "FILE"],
    ])
  func limitsStepsOfScript(arguments: [String]) throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write("loop.kelp", "(let loop () (loop))\n")
    let run = try runKelp(arguments.map { $0 == "FILE" ? script : $0 }, timeout: 10)
    #expect(!run.timedOut, "\(run)")
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("step budget"), "\(run)")
  }

  @Test("Unbounded recursion exits 1 with stack depth exceeded instead of crashing")
  func limitsDepth() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "deep.kelp",
      """
      (define (f n) (+ 1 (f (- n 1))))
      (f 1000000)
      """)
    let run = try runKelp(["run", script])
    #expect(!run.timedOut, "\(run)")
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("stack depth exceeded"), "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }

  @Test("--max-depth lowers the nesting allowed")
  func limitsDepthOption() throws {
    let shallow = try runKelp([
      "--max-depth", "50", "-e", "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (f 100)",
    ])
    #expect(shallow.status == 1, "\(shallow)")
    #expect(shallow.stderr.contains("stack depth exceeded"), "\(shallow)")
    let enough = try runKelp([
      "--max-depth", "500", "-e", "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (f 100)",
    ])
    #expect(enough.status == 0, "\(enough)")
    #expect(enough.stdout == "100\n", "\(enough)")
  }

  @Test(
    "Errors on a pipe carry no colour codes, with or without NO_COLOR", arguments: [false, true])
  func plainErrorsOnPipe(noColor: Bool) throws {
    let run = try runKelp(["-e", "(car 5)"], environment: noColor ? ["NO_COLOR": "1"] : [:])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("error"), "\(run)")
    #expect(!run.stderr.contains("\u{1B}"), "\(run)")
  }

  @Test("NO_COLOR turns off colour even when stderr is a terminal")
  func noColorOnTerminal() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write("broken.kelp", "(car 5)\n")
    let executable = try KelpBinary.path()

    var environment = PseudoTerminal.defaultEnvironment
    environment["NO_COLOR"] = nil
    let coloured = try PseudoTerminal(
      executable: executable, arguments: ["run", script], environment: environment)
    try coloured.readToEnd(timeout: 10)
    #expect(try coloured.waitForExit(timeout: 10) == 1, "\(coloured.output)")
    // The control: on a terminal, errors are coloured by default.
    #expect(coloured.output.contains("\\e["), "\(coloured.output)")

    environment["NO_COLOR"] = "1"
    let plain = try PseudoTerminal(
      executable: executable, arguments: ["run", script], environment: environment)
    try plain.readToEnd(timeout: 10)
    #expect(try plain.waitForExit(timeout: 10) == 1, "\(plain.output)")
    #expect(plain.output.contains("error"), "\(plain.output)")
    #expect(!plain.output.contains("\\e"), "\(plain.output)")
  }

  @Test(
    "A shared contract file runs to the end", arguments: ["language", "core", "workloads", "network"])
  func runsContract(_ part: String) throws {
    let relative = "../shared/contract/\(part).kelp"
    let contract = KelpBinary.repositoryRoot.appendingPathComponent(relative).standardizedFileURL
    guard FileManager.default.fileExists(atPath: contract.path) else {
      Issue.record(
        "this test needs the shared folder next to the repository: \(contract.path) is missing")
      return
    }
    // Run from the contract's folder, as its README says: core.kelp applies pod.yaml beside it.
    let folder = contract.deletingLastPathComponent()
    let run = try runKelp(["run", contract.lastPathComponent], in: folder)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("contract ok: \(part)"), "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }

  @Test("The examples folder can be listed")
  func listsExamples() throws {
    let folder = KelpBinary.repositoryRoot.appendingPathComponent("examples")
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
      // No examples yet: nothing to run.
      return
    }
    #expect(isDirectory.boolValue, "\(folder.path) is not a folder")
    #expect(Self.examples().allSatisfy { $0.hasSuffix(".kelp") })
  }

  /// Every *.kelp under examples/, relative to the repository root.
  static func examples() -> [String] {
    let root = KelpBinary.repositoryRoot
    let folder = root.appendingPathComponent("examples")
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    else {
      return []
    }
    let rootPrefix = root.standardizedFileURL.path + "/"
    return walker.compactMap { $0 as? URL }
      .filter { $0.pathExtension == "kelp" }
      .map { $0.standardizedFileURL.path }
      .map { $0.hasPrefix(rootPrefix) ? String($0.dropFirst(rootPrefix.count)) : $0 }
      .sorted()
  }

  @Test("Every example runs without error", arguments: examples())
  func runsExample(_ example: String) throws {
    let run = try runKelp(["run", example], in: KelpBinary.repositoryRoot)
    #expect(!run.timedOut, "\(run)")
    #expect(run.status == 0, "\(run)")
    #expect(hasNoCrashMarkers(run), "\(run)")
  }
}
