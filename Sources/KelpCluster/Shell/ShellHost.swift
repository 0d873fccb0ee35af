/// What a shell runs on: a container's process as its command describes it (ContainerProgram),
/// or a `kubectl exec` session on the cluster's files (ExecShell). The interpreter runs the
/// language and the builtins; the host runs programs and keeps files, time and output.
protocol ShellHost {
  /// Runs a program that is not a builtin of the shell; what it prints goes into `io`.
  mutating func runProgram(_ words: [String], _ io: inout ShellIO, environment: [String: String])
    -> ShellStep
  /// A file as the process would find it.
  func file(_ path: String) -> ShellFile
  /// Writes a file; the error a shell prints otherwise (`can't create '/x': Read-only file system`).
  mutating func writeFile(_ path: String, _ text: String) -> String?
  /// Output that is neither piped nor redirected: the container's log, or exec's streams.
  mutating func emit(output: String, errors: String)
  /// `sleep`: whether the shell wakes up (nil is `sleep infinity`). `inLoop` tells a sleep in a
  /// loop's body, which keeps a container alive and would block an exec session for good.
  mutating func sleep(_ milliseconds: Millis?, inLoop: Bool) -> Bool
}

/// A command's standard streams: what is piped in, and what it writes.
struct ShellIO {
  var input: String?
  var output = ""
  var errors = ""

  mutating func fail(_ message: String, _ status: Int = 1) -> ShellStep {
    errors += message + "\n"
    return .status(status)
  }
}

enum ShellStep: Equatable {
  case status(Int)
  /// The program runs until it is stopped (a server, `sleep infinity`, `tail -f`).
  case forever
}

enum ShellFile: Equatable {
  case text(String)
  case directory
  case missing
  /// The host cannot tell (a container's volumes before it runs): reads give nothing and
  /// tests pass, as they did before Kelp looked.
  case unknown
}

/// How a script ended.
enum ShellEnd: Equatable {
  case exited(Int)
  case forever
}
