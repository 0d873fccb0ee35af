import KelpCluster
import KelpLisp

/// The `service` constructor, and the release patterns built on Services: blue/green (switch
/// the selector from one Deployment's pods to the other's) and canary (a second Deployment
/// behind the same Service, its share of traffic set by its share of ready pods).
extension ClusterSession {
  func serviceBuiltins() -> [Builtin] {
    [
      Builtin(
        "service",
        "(service \"web\" :selector {:app \"web\"} :ports [80 {:port 443 :targetPort 8443 :name \"https\"}] :type \"NodePort\")",
        "Creates or updates a Service and returns its manifest. :ports takes numbers or port maps; also :type, :cluster-ip (\"None\" for headless), :external-name, :session-affinity, :namespace, :labels.",
        atLeast: 1
      ) { args throws(LispError) in
        let manifest = try ClusterSession.serviceManifest(args)
        try self.apply(manifest, "service")
        return manifest
      },
      Builtin(
        "blue-green-switch", "(blue-green-switch \"web\" {:version \"green\"} :namespace \"default\")",
        "Blue/green: merges the labels into the Service's selector, so all its traffic moves at once to the pods that carry them; returns the new selector.",
        arity: 2...4
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "blue-green-switch", "service")
        let labels = try args[1].stringMap("blue-green-switch", "labels")
        let options = try Arguments.keywords(args[2...], "blue-green-switch", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "blue-green-switch")
        guard var service = self.cluster.store.services.get(namespace, name) else {
          throw ClusterSession.error("blue-green-switch", APIError.notFound(.service, name))
        }
        service.spec.selector = (service.spec.selector ?? [:]).merging(labels) { _, new in new }
        do throws(ClusterError) {
          try self.cluster.apply(service.encoded(serverFields: false), defaultNamespace: namespace)
        } catch {
          throw ClusterSession.error("blue-green-switch", error)
        }
        return ClusterSession.stringMapValue(service.spec.selector ?? [:])
      },
      Builtin(
        "canary-split", "(canary-split \"web\" \"web-canary\" :percent 10 :replicas 10)",
        "Canary: scales the stable and canary Deployments (behind one Service) so that the canary has PERCENT of REPLICAS (at least one); kube-proxy then sends it about that share of requests. Returns (stable canary).",
        arity: 2...8
      ) { args throws(LispError) in
        let stable = try Arguments.string(args[0], "canary-split", "stable")
        let canary = try Arguments.string(args[1], "canary-split", "canary")
        let options = try Arguments.keywords(
          args[2...], "canary-split", allowed: ["percent", "replicas", "namespace"])
        let percent = try ClusterSession.int(options["percent"], "canary-split", "percent") ?? 10
        let replicas = try ClusterSession.int(options["replicas"], "canary-split", "replicas") ?? 10
        guard (0...100).contains(percent), replicas >= 1 else {
          throw LispError(
            .value, "canary-split: :percent must be 0–100 and :replicas at least 1",
            hint: "(canary-split \"web\" \"web-canary\" :percent 10 :replicas 10)")
        }
        let namespace = try ClusterSession.namespace(options, "canary-split")
        let canaryCount = percent == 0 ? 0 : max(1, (replicas * percent + 50) / 100)
        let stableCount = replicas - canaryCount
        for (name, count) in [(stable, stableCount), (canary, canaryCount)] {
          do throws(KubectlError) {
            _ = try self.kubectl.run(
              arguments: ["scale", "deployment/\(name)", "--replicas=\(count)", "-n", namespace])
          } catch {
            throw ClusterSession.error("canary-split", error)
          }
        }
        return .list([.int(stableCount), .int(canaryCount)])
      },
      Builtin(
        "promote-canary", "(promote-canary \"web\" \"web-canary\" :namespace \"default\")",
        "Canary promoted: the stable Deployment takes the canary's images (a rolling update), and the canary is scaled to 0. To roll back instead, scale the canary to 0.",
        arity: 2...4
      ) { args throws(LispError) in
        let stable = try Arguments.string(args[0], "promote-canary", "stable")
        let canary = try Arguments.string(args[1], "promote-canary", "canary")
        let options = try Arguments.keywords(args[2...], "promote-canary", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "promote-canary")
        guard let source = self.cluster.store.deployments.get(namespace, canary),
          let target = self.cluster.store.deployments.get(namespace, stable)
        else {
          throw LispError(
            .value, "promote-canary: both Deployments must exist in namespace \(namespace)")
        }
        // Containers pair up by position: the canary's may be named after its Deployment.
        let images = zip(target.spec.template.spec.containers, source.spec.template.spec.containers)
          .map { "\($0.name)=\($1.image)" }
        do throws(KubectlError) {
          _ = try self.kubectl.run(
            arguments: ["set", "image", "deployment/\(stable)"] + images + ["-n", namespace])
          _ = try self.kubectl.run(
            arguments: ["scale", "deployment/\(canary)", "--replicas=0", "-n", namespace])
        } catch {
          throw ClusterSession.error("promote-canary", error)
        }
        return .void
      },
    ]
  }

  static func serviceManifest(_ args: [Value]) throws(LispError) -> Value {
    let options = try Arguments.keywords(
      args[1...], "service",
      allowed: [
        "selector", "ports", "type", "cluster-ip", "external-name", "session-affinity",
        "namespace", "labels",
      ])
    var spec: [(Value, Value)] = []
    if let selector = options["selector"] { spec.append((.keyword("selector"), selector)) }
    if let ports = options["ports"] {
      let items = try Arguments.sequence(ports, "service").map { port -> Value in
        if case .map = port { return port }
        return .map(MapBox([(.keyword("port"), port)]))
      }
      spec.append((.keyword("ports"), .vector(VectorBox(items))))
    }
    for (option, field) in [
      ("type", "type"), ("cluster-ip", "clusterIP"), ("external-name", "externalName"),
      ("session-affinity", "sessionAffinity"),
    ] {
      if let value = options[option] { spec.append((.keyword(field), value)) }
    }
    let manifest = try manifest(
      "v1", "Service", args[0], options, spec: spec, labels: options["labels"])
    return manifest
  }
}
