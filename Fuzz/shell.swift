// libFuzzer target: the container shell (a container's `sh -c` script and `kubectl exec … sh
// -c`) on arbitrary text.
//
// The text is parsed (ShellParser: words, quotes, expansions, redirections, if, loops), then
// run as a busybox container's script (ContainerProgram over ContainerShell: its sleeps, exits,
// files and log lines) and, as bash, by an interpreter on a host that keeps nothing. A syntax
// error is a valid answer; a crash or a hang is a finding. `@testable` because the shell and
// the container program are internal to KelpCluster.
@testable import KelpCluster

private let environment = [
  "HOME": "/root", "HOSTNAME": "web-0", "PATH": "/usr/bin:/bin", "EMPTY": "", "N": "2",
]

private struct Discard: ShellHost {
  mutating func runProgram(_ words: [String], _ io: inout ShellIO, environment: [String: String])
    -> ShellStep
  { words.first == "server" ? .forever : .status(words.count % 3) }
  func file(_ path: String) -> ShellFile { path.hasSuffix("/") ? .directory : .text(path) }
  mutating func writeFile(_ path: String, _ text: String) -> String? { nil }
  mutating func emit(output: String, errors: String) {}
  mutating func sleep(_ milliseconds: Millis?, inLoop: Bool) -> Bool { !inLoop }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var container = Container(name: "fuzz", image: "busybox")
  container.command = ["sh", "-c", text]
  let program = ContainerProgram(container: container, annotations: [:], environment: environment)
  for line in program.logLines where line.at < 0 {
    fatalError("a log line before the start: \(line)")
  }
  var shell = ShellInterpreter(host: Discard(), environment: environment)
  shell.bash = true
  _ = shell.run(script: text)
  return 0
}
