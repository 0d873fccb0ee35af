import KelpCluster
import KelpLisp

/// The faults a script injects, one table: node loss and partition, node pressure, pod kills,
/// crashes and OOM, failing probes, broken and slow images; and the node maintenance verbs.
/// Each takes the common options of `FaultInjection.swift` (`:at`, `:for`, `:selector`,
/// `:mode`, `:value`).
extension ClusterSession {
  func faultBuiltins() -> [Builtin] {
    faultKinds.map(faultBuiltin) + [setLoadBuiltin()]
  }

  /// Every fault by name, for `chaos`.
  var faultKinds: [FaultKind] {
    func node(
      _ name: String, _ doc: String, keywords: [String] = [],
      _ action: @escaping (Cluster, FaultCall) throws(APIError) -> Void,
      undo: ((Cluster, FaultCall) throws(APIError) -> Void)? = nil
    ) -> FaultKind {
      var kind = FaultKind(
        name: name, usage: "(\(name) \"node-2\")", doc: doc, target: .node, keywords: keywords,
        inject: ClusterSession.lifted(name, action))
      if let undo {
        let lifted = ClusterSession.lifted(name, undo)
        kind.undo = { session, call throws(LispError) in _ = try lifted(session, call) }
      }
      return kind
    }
    func kubectlVerb(_ verb: String, _ doc: String, undo: String?) -> FaultKind {
      func run(_ session: ClusterSession, _ verb: String, _ node: String) throws(LispError)
        -> Value
      {
        do throws(KubectlError) {
          return Value(
            try session.kubectl.run(
              arguments: [verb, node]
                + (verb == "drain" ? ["--ignore-daemonsets", "--force"] : [])))
        } catch {
          throw ClusterSession.error(verb, error)
        }
      }
      var kind = FaultKind(
        name: verb, usage: "(\(verb) \"node-1\")", doc: doc, target: .node,
        inject: { session, call throws(LispError) in try run(session, verb, call.target) })
      if let undo {
        kind.undo = { session, call throws(LispError) in _ = try run(session, undo, call.target) }
      }
      return kind
    }
    func signal(_ call: FaultCall, _ name: String) throws(APIError) -> PressureSignal {
      let text = (try? ClusterSession.string(call.options["resource"], name, "resource")) ?? nil
      guard let text, let signal = PressureSignal(rawValue: text) else {
        throw APIError(
          .badRequest, "give :resource \"memory\" or :resource \"disk\" (the node's filesystem)")
      }
      return signal
    }
    func pod(
      _ name: String, _ usage: String, _ doc: String, keywords: [String] = [],
      ownDuration: Bool = false,
      _ action: @escaping (ClusterSession, FaultCall) throws(LispError) -> Void
    ) -> FaultKind {
      FaultKind(
        name: name, usage: usage, doc: doc, target: .pod, keywords: keywords,
        inject: { session, call throws(LispError) in
          try action(session, call)
          return .void
        }, takesItsOwnDuration: ownDuration)
    }
    func image(
      _ name: String, _ usage: String, _ doc: String, keywords: [String] = [],
      _ action: @escaping (Cluster, FaultCall) throws(LispError) -> Void,
      undo: ((Cluster, FaultCall) -> Void)? = nil
    ) -> FaultKind {
      var kind = FaultKind(
        name: name, usage: usage, doc: doc, target: .image, keywords: keywords,
        inject: { session, call throws(LispError) in
          try action(session.cluster, call)
          return .void
        })
      if let undo { kind.undo = { session, call in undo(session.cluster, call) } }
      return kind
    }
    return [
      node(
        "fail-node",
        "The node stops: after 50 s it is NotReady and tainted unreachable; its pods are evicted after their 300 s toleration (unless every node is down). :for brings it back.",
        { cluster, call throws(APIError) in try cluster.failNode(call.target) },
        undo: { cluster, call throws(APIError) in try cluster.recoverNode(call.target) }),
      node(
        "recover-node",
        "The failed node is back: Ready again, taints lifted, its kubelet restarts its pods.",
        { cluster, call throws(APIError) in try cluster.recoverNode(call.target) }),
      node(
        "partition-node",
        "Cuts the node off from the control plane: its pods keep running, but its status goes Unknown after 50 s, its pods are marked not ready and, after 300 s, evicted (they stay Terminating until it heals). :for heals it.",
        { cluster, call throws(APIError) in try cluster.partitionNode(call.target) },
        undo: { cluster, call throws(APIError) in try cluster.healPartition(call.target) }),
      node(
        "heal-partition",
        "The partitioned node reaches the control plane again: Ready, and its kubelet finishes off the pods evicted meanwhile.",
        { cluster, call throws(APIError) in try cluster.healPartition(call.target) }),
      node(
        "delete-node",
        "Deletes the Node object (kubectl delete node): its pods are deleted with it and replaced by their controllers.",
        { cluster, call throws(APIError) in try cluster.deleteNode(call.target) }),
      node(
        "node-pressure",
        "The node runs short of :resource \"memory\" or \"disk\" by :reclaim (default: one pod's worth): the pressure condition, a NoSchedule taint, and the kubelet evicting pods every 10 s in upstream's order (over requests first, then low priority, then most use). :for ends the shortage; the condition clears 5 minutes later.",
        keywords: ["resource", "reclaim"],
        { cluster, call throws(APIError) in
          let amount =
            (try? ClusterSession.string(call.options["reclaim"], "node-pressure", "reclaim"))
            ?? nil
          var bytes: Int64 = 0
          if let amount {
            guard let quantity = try? Quantity(amount) else {
              throw APIError(.badRequest, ":reclaim \"\(amount)\" is not a quantity (\"500Mi\")")
            }
            bytes = quantity.value
          }
          try cluster.nodePressure(
            call.target, try signal(call, "node-pressure"), shortfall: bytes)
        },
        undo: { cluster, call throws(APIError) in
          try cluster.relieveNodePressure(call.target, try signal(call, "node-pressure"))
        }),
      node(
        "relieve-node-pressure",
        "The node's shortage of :resource is over: no more evictions; the condition clears after the 5-minute transition period.",
        keywords: ["resource"],
        { cluster, call throws(APIError) in
          try cluster.relieveNodePressure(call.target, try signal(call, "relieve-node-pressure"))
        }),
      kubectlVerb(
        "cordon", "Marks a node unschedulable (kubectl cordon); returns kubectl's text. :for uncordons it.",
        undo: "uncordon"),
      kubectlVerb("uncordon", "Marks a node schedulable again (kubectl uncordon).", undo: nil),
      kubectlVerb(
        "drain",
        "Cordons a node and evicts its pods (kubectl drain --ignore-daemonsets --force). :for uncordons it.",
        undo: "uncordon"),
      pod(
        "kill-pod", "(kill-pod \"web-x2x9k\" :namespace \"default\")",
        "Deletes a pod at once, as chaos tools' pod-kill does (grace period 0)."
      ) { session, call throws(LispError) in
        do throws(APIError) {
          try session.cluster.killPod(call.target, namespace: call.namespace)
        } catch {
          throw ClusterSession.error("kill-pod", error)
        }
      },
      pod(
        "crash-container",
        "(crash-container \"web-x2x9k\" :container \"app\" :exit-code 1 :namespace \"default\")",
        "The container's process exits with the code (137: OOMKilled); the kubelet restarts it by policy.",
        keywords: ["container", "exit-code"]
      ) { session, call throws(LispError) in
        try session.crash(call, "crash-container", exitCode: nil)
      },
      pod(
        "oom-kill", "(oom-kill \"web-x2x9k\" :container \"app\")",
        "The kernel's OOM killer ends the container (exit 137, reason OOMKilled); the kubelet restarts it by policy.",
        keywords: ["container"]
      ) { session, call throws(LispError) in
        try session.crash(call, "oom-kill", exitCode: 137)
      },
      pod(
        "fail-probe", "(fail-probe \"web-x2x9k\" :probe \"readiness\" :for \"30s\")",
        "The container's :probe (readiness, liveness or startup) fails for :for (default 1m): a failing readiness probe takes the pod out of its Services, a failing liveness probe gets the container restarted.",
        keywords: ["probe", "container"], ownDuration: true
      ) { session, call throws(LispError) in
        let probe = try ClusterSession.string(call.options["probe"], "fail-probe", "probe")
        guard let probe else {
          throw LispError(
            .value, "fail-probe: which probe?", hint: "give :probe \"readiness\" or \"liveness\"")
        }
        let container = try ClusterSession.string(
          call.options["container"], "fail-probe", "container")
        let cluster = session.cluster
        do throws(APIError) {
          try cluster.failProbe(
            call.target, kind: probe, container: container,
            until: cluster.now + (call.duration ?? 60_000), namespace: call.namespace)
        } catch {
          throw ClusterSession.error("fail-probe", error)
        }
      },
      image(
        "break-image", "(break-image \"nginx:9.9\")",
        "From now on pulls of the image fail (ErrImagePull, then ImagePullBackOff). :for fixes it.",
        { cluster, call throws(LispError) in cluster.breakImage(call.target) },
        undo: { cluster, call in cluster.fixImage(call.target) }),
      image(
        "fix-image", "(fix-image \"nginx:9.9\")",
        "Pulls of the image work again (the next back-off retry succeeds).",
        { cluster, call throws(LispError) in cluster.fixImage(call.target) }),
      image(
        "slow-image", "(slow-image \"nginx:1.26\" :delay \"2m\")",
        "Pulls of the image take :delay longer (a slow registry): pods wait in ContainerCreating, rollouts slow down. :for ends it.",
        keywords: ["delay"],
        { cluster, call throws(LispError) in
          guard let delay = try call.options["delay"]?.milliseconds("slow-image", ":delay") else {
            throw LispError(.value, "slow-image: how slow?", hint: "give :delay \"2m\"")
          }
          cluster.slowImage(call.target, by: delay)
        },
        undo: { cluster, call in cluster.slowImage(call.target, by: 0) }),
    ]
  }

  /// A cluster action as a fault body: the API server's error becomes the DSL's.
  static func lifted(
    _ name: String, _ action: @escaping (Cluster, FaultCall) throws(APIError) -> Void
  ) -> (ClusterSession, FaultCall) throws(LispError) -> Value {
    { session, call throws(LispError) in
      do throws(APIError) {
        try action(session.cluster, call)
      } catch {
        throw ClusterSession.error(name, error)
      }
      return .void
    }
  }

  private func crash(_ call: FaultCall, _ name: String, exitCode: Int?) throws(LispError) {
    let container = try ClusterSession.string(call.options["container"], name, "container")
    let given = try ClusterSession.int(call.options["exit-code"], name, "exit-code")
    let code = exitCode ?? given ?? 1
    do throws(APIError) {
      try cluster.crashContainer(
        call.target, container: container, exitCode: code, namespace: call.namespace)
    } catch {
      throw ClusterSession.error(name, error)
    }
  }

  private func setLoadBuiltin() -> Builtin {
    Builtin(
      "set-load", "(set-load \"Deployment\" \"web\" 90 :memory \"300Mi\" :namespace \"default\")",
      "Puts a load on a workload: PERCENT of its pods' CPU requests at its current ready count (the demand stays as it scales, shared by its ready pods), and with :memory a working set on each pod's main container (past its limit: OOMKilled, again at each restart). `kubectl top` and autoscalers see both.",
      arity: 2...7
    ) { args throws(LispError) in
      let kindName = try Arguments.string(args[0], "set-load", "kind")
      let name = try Arguments.string(args[1], "set-load", "name")
      var rest = args[2...]
      var percent: Double?
      if let first = rest.first, !ClusterSession.isKeyword(first) {
        let given = try Arguments.double(first, "set-load", "percent")
        guard given >= 0 && given <= 100_000 else {
          throw LispError(
            .value, "set-load: the percentage must be between 0 and 100000, got \(given)",
            hint: "(set-load \"Deployment\" \"web\" 90) puts 90 % of the pods' CPU requests on them")
        }
        percent = given
        rest = rest.dropFirst()
      }
      let options = try Arguments.keywords(rest, "set-load", allowed: ["namespace", "memory"])
      let memory = try options["memory"]?.quantity("set-load", ":memory")
      guard percent != nil || memory != nil else {
        throw LispError(
          .value, "set-load: what load?",
          hint: "give a CPU percentage, :memory \"300Mi\", or both")
      }
      let namespace = try ClusterSession.namespace(options, "set-load")
      guard let kind = ResourceKind.named(kindName) else {
        throw LispError(.value, "set-load: the server doesn't have a resource type \"\(kindName)\"")
      }
      do throws(APIError) {
        try self.cluster.setLoad(
          kind, name, namespace: namespace, percent: percent, memoryPerPod: memory?.value)
      } catch {
        throw ClusterSession.error("set-load", error)
      }
      let shown = [percent.map { "\($0)% CPU" }, memory.map { "\($0.description) memory" }]
        .compactMap { $0 }.joined(separator: ", ")
      self.cluster.noteFault("set-load \(kindName) \(name) \(shown)")
      return .void
    }
  }
}

extension ClusterSession {
  static func isKeyword(_ value: Value) -> Bool {
    if case .keyword = value { return true }
    return false
  }
}
