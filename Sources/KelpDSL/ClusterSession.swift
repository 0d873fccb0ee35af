import KelpCluster
import KelpLisp

/// The cluster a Kelp program drives, and the builtins that reach it. `(cluster ...)` replaces
/// it with a fresh one; until then a default cluster (3 nodes of 4 CPU and 8Gi) is made on
/// first use, so `(kubectl "get nodes")` works straight away in the REPL.
public final class ClusterSession {
  /// Unowned: the interpreter keeps the builtins, which keep the session.
  public unowned let interpreter: Interpreter
  private var current: Cluster?
  /// Under `kelp test`: deftest collects instead of running.
  public var collectingTests = false
  public var collectedTests: [TestCase] = []
  /// The test running now, for chaos's replay command.
  var currentTest: TestCase?
  /// `(before-each ...)` and `(after-each ...)` of the file being loaded, for its next tests.
  var setups: [Value] = []
  var teardowns: [Value] = []
  /// What chaos checks after every event.
  var invariants: [Invariant] = []
  /// `--chaos-seed`: every chaos run uses this seed, whatever its :seed says (a replay).
  public var chaosSeedOverride: Int?
  /// The seed of the default cluster made on first use (a notebook block's `{seed=N}`).
  public var defaultSeed: UInt64 = 0
  /// Pictures in colour with box-drawing characters (a colour terminal); plain ASCII otherwise.
  public var colorPictures = false
  /// Where pictures go as SVG too (an HTML notebook being rendered); nil: text only.
  public var pictureSink: ((String) -> Void)?

  /// Sets up the DSL in `interpreter`: every cluster, fault and kubectl builtin.
  @discardableResult
  public static func install(into interpreter: Interpreter) -> ClusterSession {
    let session = ClusterSession(interpreter: interpreter)
    for builtin in session.builtins() { interpreter.define(builtin) }
    // The assertion macros, written in Kelp over the builtins.
    _ = try? interpreter.evaluate(ClusterSession.assertionMacros, file: "<kelp-dsl>")
    _ = try? interpreter.evaluate(ClusterSession.testMacros, file: "<kelp-dsl>")
    _ = try? interpreter.evaluate(ClusterSession.chaosMacros, file: "<kelp-dsl>")
    return session
  }

  init(interpreter: Interpreter) { self.interpreter = interpreter }

  public var cluster: Cluster {
    if let current { return current }
    let fresh = ClusterSession.makeCluster(
      nodes: 3, cpu: .cpu(millis: 4000), memory: .bytes(8 << 30), seed: defaultSeed)
    current = fresh
    return fresh
  }

  func replace(with cluster: Cluster) { current = cluster }

  static func makeCluster(
    nodes: Int, cpu: Quantity, memory: Quantity, seed: UInt64, pods: Int = 110
  )
    -> Cluster
  {
    let cluster = Cluster(seed: seed)
    for index in stride(from: 1, through: nodes, by: 1) {
      _ = try? cluster.addNode("node-\(index)", cpu: cpu, memory: memory, pods: pods)
    }
    cluster.settle()
    return cluster
  }

  var kubectl: Kubectl {
    var kubectl = Kubectl(cluster: cluster)
    let interpreter = self.interpreter
    kubectl.readFile = { path in
      do {
        return try interpreter.readFileRelative(path, by: "kubectl").text
      } catch let error as LispError where error.kind == .permission {
        throw KubectlError("error: \(error.message)\n  hint: \(error.hint ?? "")")
      } catch {
        throw KubectlError("error: the path \"\(path)\" does not exist")
      }
    }
    kubectl.listFolder = { path in
      let folder = interpreter.resolvePath(path)
      // A folder the sandbox keeps closed is read as a file, which then says why.
      guard (try? interpreter.sandbox.checkRead(folder, by: "kubectl")) != nil else { return nil }
      return ClusterSession.manifestFiles(inFolder: folder)
    }
    return kubectl
  }

  /// kubectl's command line against the current cluster, for `kelp kubectl`: its output, or
  /// its error text.
  public func runKubectl(_ arguments: [String]) throws(KubectlError) -> String {
    try kubectl.run(arguments: arguments)
  }

  /// Runs the clock to `time`, stopping for Ctrl-C.
  func advance(to time: Millis) throws(LispError) {
    var interrupted: LispError?
    let interpreter = self.interpreter
    cluster.clock.run(until: time) {
      do throws(LispError) {
        try interpreter.checkInterrupt()
        return false
      } catch {
        interrupted = error
        return true
      }
    }
    if let interrupted { throw interrupted }
  }

  static func error(_ function: String, _ error: ClusterError) -> LispError {
    switch error {
    case .api(let apiError):
      return LispError(.value, "\(function): \(apiError.kubectlText)")
    case .manifest(let problem):
      return LispError(.value, "\(function): \(problem)")
    case .unsupported(let message, let hint):
      return LispError(.value, "\(function): \(message)", hint: hint)
    }
  }

  /// An optional keyword argument's value, type-checked.
  static func int(_ value: Value?, _ function: String, _ name: String) throws(LispError) -> Int? {
    guard let value else { return nil }
    return try Arguments.int(value, function, name)
  }

  static func string(_ value: Value?, _ function: String, _ name: String) throws(LispError)
    -> String?
  {
    guard let value else { return nil }
    return try Arguments.string(value, function, name)
  }

  /// Applies a manifest built as a map, printing the API server's warnings as kubectl does.
  @discardableResult
  func apply(_ manifest: Value, _ function: String, createOnly: Bool = false) throws(LispError)
    -> Cluster.ApplyResult
  {
    let json = try manifest.json(function)
    let result: Cluster.ApplyResult
    do throws(ClusterError) {
      result = try cluster.apply(json, createOnly: createOnly)
    } catch {
      throw ClusterSession.error(function, error)
    }
    for warning in result.warnings { interpreter.output("Warning: \(warning)\n") }
    return result
  }

  /// `:namespace`, or `default` when it is left out, as kubectl's `-n`.
  static func namespace(_ options: [String: Value], _ function: String) throws(LispError)
    -> String
  {
    try string(options["namespace"], function, "namespace") ?? "default"
  }

  static func error(_ function: String, _ error: APIError) -> LispError {
    LispError(.value, "\(function): \(error.kubectlText)")
  }

  static func error(_ function: String, _ error: Cluster.TrafficError) -> LispError {
    LispError(.value, "\(function): \(error.message)")
  }

  static func error(_ function: String, _ error: KubectlError) -> LispError {
    LispError(.value, "\(function): \(error.message)")
  }
}
