import ArgumentParser
import Foundation
import KelpCluster
import KelpDSL
import KelpLisp

/// `kelp kubectl ARGS...`: kubectl's command line from the shell, against a simulated cluster
/// kept in a folder (`.kelp-cluster` by default) between calls: the objects you made, as
/// manifests, and the cluster's size, seed and virtual time. Each call rebuilds the cluster
/// from them (the same seed gives the same pod names), runs the command, and saves what it
/// changed.
struct KubectlCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kubectl",
    abstract: "Run a kubectl command against a simulated cluster kept in a folder.",
    discussion: """
      Examples:
        kelp kubectl create deployment web --image=nginx:1.25 --replicas=3
        kelp kubectl --advance 30s get pods -o wide
        kelp kubectl apply -f examples/manifests/
      """)

  @Option(help: "The folder that keeps the cluster between calls.")
  var state = ".kelp-cluster"

  @Option(help: "Run the virtual clock this long (\"30s\", \"5m\") before the command.")
  var advance: String?

  @Option(help: "Nodes of a new cluster.")
  var nodes = 3

  @Option(help: "Seed of a new cluster.")
  var seed = 0

  @Argument(parsing: .captureForPassthrough, help: "kubectl's arguments.")
  var arguments: [String] = []

  struct Saved: Codable {
    var nodes: Int
    var seed: Int
    var milliseconds: Int64
  }

  func run() throws {
    let interpreter = Interpreter()
    let session = ClusterSession.install(into: interpreter)
    let settingsFile = state + "/cluster.json"
    let saved =
      (try? Data(contentsOf: URL(fileURLWithPath: settingsFile))).flatMap {
        try? JSONDecoder().decode(Saved.self, from: $0)
      } ?? Saved(nodes: nodes, seed: seed, milliseconds: 0)
    var setup = "(cluster :nodes \(saved.nodes) :seed \(saved.seed))"
    if ClusterSession.manifestFiles(inFolder: state + "/objects")?.isEmpty == false {
      setup += " (apply-yaml \"\(state)/objects\")"
    }
    setup += " (advance \(Double(saved.milliseconds) / 1000))"
    if let advance { setup += " (advance \"\(advance)\")" }
    do {
      _ = try interpreter.evaluate(setup, file: "<kelp kubectl>")
    } catch {
      StandardStreams.writeError("kelp kubectl: cannot rebuild the cluster in \(state): \(error)\n")
      throw ExitCode(1)
    }
    var status: Int32 = 0
    do {
      let output = try session.runKubectl(arguments)
      print(output, terminator: "")
    } catch {
      StandardStreams.writeError(error.description + "\n")
      status = 1
    }
    try save(session, Saved(nodes: saved.nodes, seed: saved.seed, milliseconds: session.cluster.now))
    throw ExitCode(status)
  }

  /// Writes the objects and settings back: the folder holds exactly what the cluster has.
  private func save(_ session: ClusterSession, _ settings: Saved) throws {
    let manager = FileManager.default
    let objects = state + "/objects"
    try? manager.removeItem(atPath: objects)
    try manager.createDirectory(atPath: objects, withIntermediateDirectories: true)
    for manifest in session.cluster.userManifests() {
      try manifest.manifest.yamlText.write(
        toFile: objects + "/" + manifest.fileName, atomically: true, encoding: .utf8)
    }
    try JSONEncoder().encode(settings).write(to: URL(fileURLWithPath: state + "/cluster.json"))
  }
}
