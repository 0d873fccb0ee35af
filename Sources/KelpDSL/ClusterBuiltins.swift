import KelpCluster
import KelpLisp

/// The cluster half of the DSL: make a cluster, apply objects, move time, read state.
extension ClusterSession {
  func builtins() -> [Builtin] {
    clusterBuiltins() + readingBuiltins() + faultBuiltins() + constructorBuiltins()
      + networkBuiltins() + serviceBuiltins() + assertionBuiltins() + testBuiltins()
      + chaosBuiltins() + manifestBuiltins() + pictureBuiltins()
  }

  private func clusterBuiltins() -> [Builtin] {
    [
      Builtin(
        "cluster", "(cluster :nodes 3 :cpu \"4\" :memory \"8Gi\" :pods 110 :seed 42)",
        "Starts a fresh cluster of nodes node-1, node-2, … and makes it the current one.",
        arity: 0...10
      ) { args throws(LispError) in
        let options = try Arguments.keywords(
          args[...], "cluster", allowed: ["nodes", "cpu", "memory", "pods", "seed"])
        let nodes = try ClusterSession.int(options["nodes"], "cluster", "nodes") ?? 3
        guard (0...10_000).contains(nodes) else {
          throw LispError(.value, "cluster: :nodes must be between 0 and 10000, got \(nodes)")
        }
        let seed = try ClusterSession.int(options["seed"], "cluster", "seed") ?? 0
        let cluster = ClusterSession.makeCluster(
          nodes: nodes, cpu: try options["cpu"]?.quantity("cluster", ":cpu") ?? .cpu(millis: 4000),
          memory: try options["memory"]?.quantity("cluster", ":memory") ?? .bytes(8 << 30),
          seed: UInt64(bitPattern: Int64(seed)),
          pods: try ClusterSession.int(options["pods"], "cluster", "pods") ?? 110)
        self.replace(with: cluster)
        return .void
      },
      Builtin(
        "add-node",
        "(add-node name :cpu \"2\" :memory \"4Gi\" :pods 110 :labels {:disk \"ssd\"} :taints [\"k=v:NoSchedule\"] :extended-resources {\"nvidia.com/gpu\" 4})",
        "Adds a Ready node to the current cluster; :extended-resources are what a device plugin would advertise (its capacity and allocatable).",
        arity: 1...13
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "add-node", "name")
        let options = try Arguments.keywords(
          args[1...], "add-node",
          allowed: ["cpu", "memory", "pods", "labels", "taints", "extended-resources"])
        var extended: [String: Quantity] = [:]
        for (resource, amount) in try options["extended-resources"]?.stringMap(
          "add-node", ":extended-resources") ?? [:]
        {
          guard Cluster.isExtendedResource(resource) else {
            throw LispError(
              .value,
              "add-node: :extended-resources name \(resource) is not an extended resource name",
              hint: "an extended resource is named with a domain, as nvidia.com/gpu or example.com/dongle")
          }
          guard let quantity = try? Quantity(amount) else {
            throw LispError(
              .value, "add-node: :extended-resources \(resource) has \(amount), not a quantity",
              hint: "give a count, as {\"nvidia.com/gpu\" \"4\"}")
          }
          extended[resource] = quantity
        }
        var taints: [Taint] = []
        for taint in try Arguments.sequence(options["taints"] ?? .null, "add-node") {
          taints.append(
            try ClusterSession.taint(try Arguments.string(taint, "add-node", "taint"), "add-node"))
        }
        let cpu = try options["cpu"]?.quantity("add-node", ":cpu") ?? .cpu(millis: 4000)
        let memory = try options["memory"]?.quantity("add-node", ":memory") ?? .bytes(8 << 30)
        let pods = try ClusterSession.int(options["pods"], "add-node", "pods") ?? 110
        let labels = try options["labels"]?.stringMap("add-node", ":labels") ?? [:]
        do throws(APIError) {
          try self.cluster.addNode(
            name, cpu: cpu, memory: memory, pods: pods, labels: labels, taints: taints,
            extendedResources: extended)
        } catch {
          throw ClusterSession.error("add-node", error)
        }
        self.cluster.settle()
        return .void
      },
      Builtin(
        "apply-manifest", "(apply-manifest {:apiVersion \"v1\" :kind \"Pod\" ...})",
        "Creates or updates one object given as a map shaped like its YAML; returns the object.",
        unary: { manifest throws(LispError) in
          let result = try self.apply(manifest, "apply-manifest")
          return self.objectValue(result.resource.kind, result.name, result.namespace)
        }),
      Builtin(
        "advance", "(advance \"90s\")",
        "Runs the virtual clock forward (a duration string or seconds); returns (now).",
        unary: { duration throws(LispError) in
          let delta = try duration.milliseconds("advance", "duration")
          try self.advance(to: self.cluster.now + delta)
          return self.cluster.now.secondsValue
        }),
      Builtin(
        "now", "(now)", "Virtual seconds since the cluster started.", arity: 0...0
      ) { _ throws(LispError) in self.cluster.now.secondsValue },
      Builtin(
        "kubectl", "(kubectl \"get pods -o wide\")",
        "Runs a kubectl command line against the cluster and returns kubectl's output text.",
        unary: { line throws(LispError) in
          let text = try Arguments.string(line, "kubectl", "command line")
          do throws(KubectlError) {
            return Value(try self.kubectl.run(text))
          } catch {
            // The error report says "error:" itself; kubectl's own prefix would double it.
            let message =
              error.message.hasPrefix("error: ") ? String(error.message.dropFirst(7)) : error.message
            throw LispError(.value, message)
          }
        }),
      Builtin(
        "watch-kubectl", "(watch-kubectl \"get pods\" :every \"5s\" :for \"1m\")",
        "Prints a kubectl command's output now and after every interval, advancing the clock (like -w).",
        arity: 1...5
      ) { args throws(LispError) in
        let line = try Arguments.string(args[0], "watch-kubectl", "command line")
        let options = try Arguments.keywords(
          args[1...], "watch-kubectl", allowed: ["every", "for"])
        let every = try options["every"]?.milliseconds("watch-kubectl", ":every") ?? 5_000
        let total = try options["for"]?.milliseconds("watch-kubectl", ":for") ?? 60_000
        guard every > 0 else { throw LispError(.value, "watch-kubectl: :every must be positive") }
        let end = self.cluster.now + total
        while true {
          let text: String
          do throws(KubectlError) {
            text = try self.kubectl.run(line)
          } catch {
            throw LispError(.value, error.message)
          }
          self.interpreter.output("[\(DurationText.goString(self.cluster.now))]\n" + text)
          guard self.cluster.now + every <= end else { break }
          try self.advance(to: self.cluster.now + every)
        }
        return .void
      },
    ]
  }

  /// `key=value:Effect` or `key:Effect`.
  static func taint(_ text: String, _ function: String) throws(LispError) -> Taint {
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    guard parts.count == 2, ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(parts[1])
    else {
      throw LispError(
        .value, "\(function): invalid taint spec: \(text)",
        hint:
          "write taints as key=value:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute")
    }
    let keyValue = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
    return Taint(key: keyValue[0], value: keyValue.count > 1 ? keyValue[1] : "", effect: parts[1])
  }
}
