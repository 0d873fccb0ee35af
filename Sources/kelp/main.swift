import ArgumentParser
import Foundation
import KelpCluster
import KelpLisp

#if canImport(Glibc)
  import Glibc
#endif

/// `kelp`: the REPL on a terminal, a script from standard input otherwise; `kelp run FILE`;
/// `kelp -e EXPR`. Exit codes: 0 success, 1 an uncaught Kelp error, 2 a usage error.
struct Kelp: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kelp",
    abstract: "Kelp: a Kubernetes playground you program, in a small Lisp.",
    subcommands: [Run.self, Test.self, NotebookCommand.self, KubectlCommand.self]
  )

  @Option(name: [.customShort("e"), .long], help: "Evaluate an expression and print its value.")
  var eval: String?

  @OptionGroup var limits: Limits

  func run() throws {
    let session = Session(limits: limits, home: ["."])
    if let expression = eval {
      throw ExitCode(session.runExpression(expression))
    }
    if isatty(STDIN_FILENO) != 0 {
      throw ExitCode(session.runREPL())
    }
    throw ExitCode(session.runStandardInput())
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a Kelp script. A first line starting with #! is ignored.")

  @Argument(help: "The script to run.")
  var file: String

  // Everything kelp does not recognize goes to the script, so `kelp run --max-steps 9 f.kelp a -x`
  // limits the run and passes ("a" "-x").
  @Argument(parsing: .allUnrecognized, help: "Arguments for the script: *command-line-args*.")
  var arguments: [String] = []

  @OptionGroup var limits: Limits
  @OptionGroup var replay: Replay
  @OptionGroup var deadline: Deadline

  func run() throws {
    let session = Session(limits: limits, home: [Limits.home(of: file)])
    session.cluster.chaosSeedOverride = replay.chaosSeed
    try deadline.arm()
    throw ExitCode(session.runFile(file, arguments: arguments))
  }
}

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run the tests (deftest) of Kelp files and folders (*_test.kelp and files with deftests).")

  @Argument(help: "Test files or folders.")
  var paths: [String] = ["."]

  @Option(help: "Run only the tests whose name contains this text.")
  var filter: String?

  @Option(help: "The seed of each test's cluster, unless the test sets :seed.")
  var seed: Int?

  @Option(help: "Run only the tests with this tag (:tags); repeat for several.")
  var tag: [String] = []

  @Option(help: "Skip the tests with this tag; repeat for several.")
  var excludeTag: [String] = []

  @Option(help: "Also write a JUnit XML report to this file.")
  var junit: String?

  @OptionGroup var limits: Limits
  @OptionGroup var replay: Replay
  @OptionGroup var deadline: Deadline

  func run() throws {
    let session = Session(limits: limits, home: paths.map(Limits.home(of:)))
    session.cluster.chaosSeedOverride = replay.chaosSeed
    try deadline.arm()
    let selection = Session.TestSelection(filter: filter, tags: tag, excludedTags: excludeTag)
    throw ExitCode(
      session.runTests(paths: paths, selection: selection, seed: seed, junit: junit))
  }
}

/// `--timeout`: a wall-clock limit for `kelp run` and `kelp test`.
struct Deadline: ParsableArguments {
  @Option(help: "Stop after this much wall-clock time (\"30s\", \"2m\"); exit status 124.")
  var timeout: String?

  /// Arms the alarm; a timeout that does not parse is a usage error.
  func arm() throws {
    guard let timeout else { return }
    let milliseconds: Int64
    do {
      milliseconds = try DurationText.parse(timeout)
    } catch {
      throw ValidationError("--timeout wants a duration such as 30s or 2m, got \"\(timeout)\"")
    }
    guard milliseconds > 0 else { throw ValidationError("--timeout must be longer than 0s") }
    SignalHandling.armTimeout(seconds: UInt32(min((milliseconds + 999) / 1000, Int64(UInt32.max))))
    Session.timeoutText = timeout
  }
}

struct Replay: ParsableArguments {
  @Option(help: "Run every (chaos ...) with this seed, as a chaos report's replay line says.")
  var chaosSeed: Int?
}

struct Limits: ParsableArguments {
  @Option(help: "Stop a program after this many procedure calls per top-level form.")
  var maxSteps: Int?

  @Option(help: "Nested calls allowed before \"stack depth exceeded\".")
  var maxDepth: Int?

  @Option(
    help: "Stop a program whose process holds more memory than this (\"512Mi\", \"2Gi\"; default 4Gi or half the machine's).",
    transform: Limits.bytes)
  var maxMemory: Int?

  /// A size written as Kubernetes writes memory (`512Mi`, `2G`, `1000000`).
  static func bytes(_ text: String) throws -> Int {
    guard let quantity = try? Quantity(text), quantity.milliValue > 0 else {
      throw ValidationError("--max-memory wants a size such as 512Mi or 2Gi, got \"\(text)\"")
    }
    return Int(quantity.milliValue / 1000)
  }

  @Option(
    name: .customLong("allow-read"),
    help: ArgumentHelp("Let the script read files under this path too (repeatable).", valueName: "path"))
  var allowRead: [String] = []

  @Option(
    name: .customLong("allow-write"),
    help: ArgumentHelp("Let the script write files under this folder (repeatable).", valueName: "folder"))
  var allowWrite: [String] = []

  @Flag(help: "Lift the sandbox: the script may read and write any file the user can.")
  var trust = false

  /// The interpreter options these limits ask for, for a program whose own folders are `home`
  /// (a script's folder; the working folder for the REPL): it may read there and under the
  /// --allow-read paths, and write only under the --allow-write folders.
  func options(home: [String]) -> Interpreter.Options {
    var options = Interpreter.Options()
    if let maxSteps { options.maxSteps = maxSteps }
    if let maxDepth { options.maxDepth = maxDepth }
    if let maxMemory { options.maxMemory = maxMemory }
    if !trust { options.sandbox = Sandbox(readable: home + allowRead, writable: allowWrite) }
    return options
  }

  /// The folder a script or notebook lives in, which it may read.
  static func home(of path: String) -> String {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return path
    }
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}

/// Parses the command line and maps its outcomes onto Kelp's exit codes.
func kelpMain() -> Int32 {
  do {
    var command = try Kelp.parseAsRoot()
    try command.run()
    return 0
  } catch let exit as ExitCode {
    return exit.rawValue
  } catch {
    let code = Kelp.exitCode(for: error)
    let message = Kelp.fullMessage(for: error)
    if code == .success {
      print(message)
      return 0
    }
    StandardStreams.writeError(message + "\n")
    return 2
  }
}

// Evaluation runs on its own thread (see LargeStack); one malloc arena for all threads keeps glibc
// from growing a per-thread arena with an mprotect call every few pages.
if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
  typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
  let arenaMaximum: Int32 = -8  // M_ARENA_MAX in <malloc.h>
  _ = unsafeBitCast(symbol, to: MallocOption.self)(arenaMaximum, 1)
}
exit(kelpMain())
