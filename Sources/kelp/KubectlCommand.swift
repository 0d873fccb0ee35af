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
    /// What kubectl changed on the nodes (label, taint, cordon): they are not manifests.
    var nodeStates: [NodeState]?
  }

  struct NodeState: Codable {
    var name: String
    var labels: [String: String]
    var taints: [[String]]  // key, value, effect
    var unschedulable: Bool
  }

  func run() throws {
    let interpreter = Interpreter()
    let session = ClusterSession.install(into: interpreter)
    let settingsFile = state + "/cluster.json"
    let saved =
      (try? Data(contentsOf: URL(fileURLWithPath: settingsFile))).flatMap {
        try? JSONDecoder().decode(Saved.self, from: $0)
      } ?? Saved(nodes: nodes, seed: seed, milliseconds: 0)
    // The nodes as kubectl left them, then the objects, then the clock.
    var rebuild = ""
    if ClusterSession.manifestFiles(inFolder: state + "/objects")?.isEmpty == false {
      rebuild += "(apply-yaml \"\(state)/objects\")"
    }
    rebuild += " (advance \(Double(saved.milliseconds) / 1000))"
    if let advance { rebuild += " (advance \"\(advance)\")" }
    do {
      _ = try interpreter.evaluate("(cluster :nodes \(saved.nodes) :seed \(saved.seed))")
      restore(saved.nodeStates ?? [], in: session.cluster)
      _ = try interpreter.evaluate(rebuild, file: "<kelp kubectl>")
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
    let nodeStates = session.cluster.store.nodes.list().map { node in
      NodeState(
        name: node.metadata.name, labels: node.metadata.labels,
        taints: node.taints.filter { !$0.key.hasPrefix("node.kubernetes.io/") }.map {
          [$0.key, $0.value, $0.effect]
        }, unschedulable: node.unschedulable)
    }
    try save(
      session,
      Saved(
        nodes: saved.nodes, seed: saved.seed, milliseconds: session.cluster.now,
        nodeStates: nodeStates))
    throw ExitCode(status)
  }

  /// Puts back what kubectl changed on the nodes before the objects are applied again.
  private func restore(_ states: [NodeState], in cluster: Cluster) {
    for state in states {
      _ = cluster.store.modify(Node.self, ObjectKey(namespace: "", name: state.name)) { node in
        node.metadata.labels = state.labels
        node.taints = state.taints.map { Taint(key: $0[0], value: $0[1], effect: $0[2]) }
      }
      if state.unschedulable { _ = try? cluster.setUnschedulable(state.name, true) }
    }
    cluster.settle()
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
