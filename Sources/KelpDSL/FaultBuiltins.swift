import KelpCluster
import KelpLisp

/// Faults a script injects: node loss, pod kills, crashes, broken images; and the node
/// maintenance verbs.
extension ClusterSession {
  func faultBuiltins() -> [Builtin] {
    func nodeFault(
      _ name: String, _ doc: String, _ action: @escaping (Cluster, String) throws(APIError) -> Void
    ) -> Builtin {
      Builtin(
        name, "(\(name) \"node-2\")", doc,
        unary: { node throws(LispError) in
          let nodeName = try Arguments.string(node, name, "node")
          do throws(APIError) {
            try action(self.cluster, nodeName)
          } catch {
            throw ClusterSession.error(name, error)
          }
          return .void
        })
    }
    func kubectlVerb(_ verb: String, _ doc: String) -> Builtin {
      Builtin(
        verb, "(\(verb) \"node-1\")", doc,
        unary: { node throws(LispError) in
          let name = try Arguments.string(node, verb, "node")
          do throws(KubectlError) {
            return Value(
              try self.kubectl.run(
                arguments: [verb, name]
                  + (verb == "drain" ? ["--ignore-daemonsets", "--force"] : [])))
          } catch {
            throw ClusterSession.error(verb, error)
          }
        })
    }
    return [
      nodeFault(
        "fail-node",
        "The node stops: after 50 s it is NotReady and tainted unreachable; its pods are evicted after their 300 s toleration (unless every node is down).",
        { cluster, node throws(APIError) in try cluster.failNode(node) }),
      nodeFault(
        "recover-node",
        "The failed node is back: Ready again, taints lifted, its kubelet restarts its pods.",
        { cluster, node throws(APIError) in try cluster.recoverNode(node) }),
      kubectlVerb("cordon", "Marks a node unschedulable (kubectl cordon); returns kubectl's text."),
      kubectlVerb("uncordon", "Marks a node schedulable again (kubectl uncordon)."),
      kubectlVerb(
        "drain", "Cordons a node and evicts its pods (kubectl drain --ignore-daemonsets --force)."),
      Builtin(
        "kill-pod", "(kill-pod \"web-x2x9k\" :namespace \"default\")",
        "Deletes a pod at once, as chaos tools' pod-kill does (grace period 0).", arity: 1...3
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "kill-pod", "pod")
        let options = try Arguments.keywords(args[1...], "kill-pod", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "kill-pod")
        do throws(APIError) {
          try self.cluster.killPod(name, namespace: namespace)
        } catch {
          throw ClusterSession.error("kill-pod", error)
        }
        return .void
      },
      Builtin(
        "crash-container",
        "(crash-container \"web-x2x9k\" :container \"app\" :exit-code 1 :namespace \"default\")",
        "The container's process exits with the code (137: OOMKilled); the kubelet restarts it by policy.",
        arity: 1...7
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "crash-container", "pod")
        let options = try Arguments.keywords(
          args[1...], "crash-container", allowed: ["container", "exit-code", "namespace"])
        let container = try ClusterSession.string(
          options["container"], "crash-container", "container")
        let code = try ClusterSession.int(options["exit-code"], "crash-container", "exit-code") ?? 1
        let namespace = try ClusterSession.namespace(options, "crash-container")
        do throws(APIError) {
          try self.cluster.crashContainer(
            name, container: container, exitCode: code, namespace: namespace)
        } catch {
          throw ClusterSession.error("crash-container", error)
        }
        return .void
      },
      Builtin(
        "set-load", "(set-load \"Deployment\" \"web\" 90 :namespace \"default\")",
        "Puts a CPU load on a workload: PERCENT of its pods' CPU requests at its current ready count. The demand stays as it scales, shared by its ready pods; `kubectl top` and autoscalers see it.",
        arity: 3...5
      ) { args throws(LispError) in
        let kindName = try Arguments.string(args[0], "set-load", "kind")
        let name = try Arguments.string(args[1], "set-load", "name")
        let percent = try Arguments.double(args[2], "set-load", "percent")
        guard percent >= 0 && percent <= 100_000 else {
          throw LispError(
            .value, "set-load: the percentage must be between 0 and 100000, got \(percent)",
            hint: "(set-load \"Deployment\" \"web\" 90) puts 90 % of the pods' CPU requests on them")
        }
        let options = try Arguments.keywords(args[3...], "set-load", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "set-load")
        guard let kind = ResourceKind.named(kindName) else {
          throw LispError(.value, "set-load: the server doesn't have a resource type \"\(kindName)\"")
        }
        do throws(APIError) {
          try self.cluster.setLoad(kind, name, namespace: namespace, percent: percent)
        } catch {
          throw ClusterSession.error("set-load", error)
        }
        return .void
      },
      Builtin(
        "break-image", "(break-image \"nginx:9.9\")",
        "From now on pulls of the image fail (ErrImagePull, then ImagePullBackOff).",
        unary: { image throws(LispError) in
          self.cluster.breakImage(try Arguments.string(image, "break-image", "image"))
          return .void
        }),
      Builtin(
        "fix-image", "(fix-image \"nginx:9.9\")",
        "Pulls of the image work again (the next back-off retry succeeds).",
        unary: { image throws(LispError) in
          self.cluster.fixImage(try Arguments.string(image, "fix-image", "image"))
          return .void
        }),
    ]
  }
}
