import KelpCluster
import KelpLisp

/// Reading the cluster: pods, nodes, any object, events, and the scheduler's reasoning.
extension ClusterSession {
  func readingBuiltins() -> [Builtin] {
    [
      Builtin(
        "timeline", "(timeline :last 20)",
        "Prints the run as a time-ordered story: every event (repeats included) and every injected fault (FAULT), one line each; :last keeps the newest lines.",
        arity: 0...2
      ) { args throws(LispError) in
        let options = try Arguments.keywords(args[...], "timeline", allowed: ["last"])
        let last = try ClusterSession.int(options["last"], "timeline", "last")
        if let last, last < 0 {
          throw LispError(.value, "timeline: :last must be 0 or more, got \(last)")
        }
        let lines = self.cluster.timeline(last: last)
        self.interpreter.output(lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
        return .void
      },
      Builtin(
        "pods", "(pods :namespace \"default\" :selector \"app=web\" :all-namespaces #t)",
        "Pods as maps with :name :namespace :node :phase :status :ready :restarts :reason :ip :labels :qos.",
        arity: 0...6
      ) { args throws(LispError) in
        let options = try Arguments.keywords(
          args[...], "pods", allowed: ["namespace", "selector", "all-namespaces"])
        let selector = try ClusterSession.selector(options["selector"], "pods")
        let all = options["all-namespaces"]?.isTruthy ?? false
        let namespace = try ClusterSession.namespace(options, "pods")
        let pods = self.cluster.store.pods.list(namespace: all ? nil : namespace)
          .filter { selector.matches($0.metadata.labels) }
        return Value.list(pods.map { self.podSummary($0) })
      },
      Builtin(
        "nodes", "(nodes)",
        "Nodes as maps with :name :status :ready :unschedulable :labels :taints :pods.",
        arity: 0...0
      ) { _ throws(LispError) in
        let pods = self.cluster.store.pods.unordered
        return Value.list(
          self.cluster.store.nodes.list().map { node in
            .map(
              MapBox([
                (.keyword("name"), Value(node.metadata.name)),
                (.keyword("status"), Value(node.isReady ? "Ready" : "NotReady")),
                (.keyword("ready"), .bool(node.isReady)),
                (.keyword("unschedulable"), .bool(node.unschedulable)),
                (.keyword("labels"), ClusterSession.stringMapValue(node.metadata.labels)),
                (.keyword("taints"), Value.list(node.taints.map { Value($0.description) })),
                (
                  .keyword("pods"),
                  .int(pods.filter { $0.spec.nodeName == node.metadata.name }.count)
                ),
              ]))
          })
      },
      Builtin(
        "get-object", "(get-object \"Pod\" \"web\" :namespace \"default\")",
        "The object as a map (:metadata :spec :status), or nil when there is none.", arity: 2...4
      ) { args throws(LispError) in
        let (kind, name, namespace) = try ClusterSession.target(
          args, "get-object", allowed: ["namespace"])
        return self.objectValue(kind.kind, name, kind.namespaced ? namespace : "")
      },
      Builtin(
        "delete-object", "(delete-object \"Pod\" \"web\" :namespace \"default\" :grace-period 30)",
        "Deletes an object as kubectl delete does (pods stop gracefully); returns #t.", arity: 2...8
      ) { args throws(LispError) in
        let (kind, name, namespace) = try ClusterSession.target(
          args, "delete-object", allowed: ["namespace", "grace-period", "cascade"])
        let options = try Arguments.keywords(
          args[2...], "delete-object", allowed: ["namespace", "grace-period", "cascade"])
        var cascade = Cluster.Cascade.background
        if let value = options["cascade"] {
          let mode = try Arguments.string(value, "delete-object", "cascade")
          guard let chosen = Cluster.Cascade(rawValue: mode) else {
            throw LispError(
              .value,
              "delete-object: invalid cascade \"\(mode)\": must be one of background, foreground, orphan"
            )
          }
          cascade = chosen
        }
        let grace = try ClusterSession.int(options["grace-period"], "delete-object", "grace-period")
        do throws(APIError) {
          try self.cluster.delete(
            kind, name, namespace: namespace, gracePeriod: grace, cascade: cascade)
        } catch {
          throw ClusterSession.error("delete-object", error)
        }
        return .true
      },
      Builtin(
        "events", "(events :namespace \"default\" :object \"pod/web\" :reason \"BackOff\")",
        "The event log, oldest first: maps with :time :type :reason :object :namespace :message :count.",
        arity: 0...6
      ) { args throws(LispError) in
        let options = try Arguments.keywords(
          args[...], "events", allowed: ["namespace", "object", "reason"])
        let namespace = try ClusterSession.string(options["namespace"], "events", "namespace")
        let object = try ClusterSession.string(options["object"], "events", "object")
        let reason = try ClusterSession.string(options["reason"], "events", "reason")
        let events = self.cluster.recorder.byLastSeen.filter { event in
          (namespace == nil || event.involvedNamespace == namespace
            || (event.involvedNamespace.isEmpty && namespace == "default"))
            && (object == nil
              || "\(event.involvedKind.lowercased())/\(event.involvedName)" == object)
            && (reason == nil || event.reason == reason)
        }
        return Value.list(events.map { ClusterSession.eventValue($0, redacting: self.cluster) })
      },
      Builtin(
        "secret-value", "(secret-value \"db\" \"password\" :namespace \"default\")",
        "A Secret key's value in clear: the one way to see it, since every other output masks Secret values as ***.",
        arity: 2...4
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "secret-value", "name")
        let key = try Arguments.string(args[1], "secret-value", "key")
        let options = try Arguments.keywords(args[2...], "secret-value", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "secret-value")
        guard self.cluster.store.secrets.get(namespace, name) != nil else {
          throw LispError(.value, "secret-value: \(APIError.notFound(.secret, name).kubectlText)")
        }
        guard let value = self.cluster.secretValue(namespace: namespace, name: name, key: key) else {
          throw LispError(
            .value, "secret-value: Secret \(namespace)/\(name) has no key \"\(key)\"",
            hint: "its keys: \(self.cluster.store.secrets.get(namespace, name)!.data.keys.sorted().joined(separator: ", "))")
        }
        return Value(value)
      },
      Builtin(
        "explain-scheduling", "(explain-scheduling \"web\" :namespace \"default\")",
        "Each node's filter verdict and scores for a pod, as the scheduler would judge it now.",
        arity: 1...3
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "explain-scheduling", "pod")
        let options = try Arguments.keywords(
          args[1...], "explain-scheduling", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "explain-scheduling")
        guard let pod = self.cluster.store.pods.get(namespace, name) else {
          throw LispError(
            .value, "explain-scheduling: \(APIError.notFound(.pod, name).kubectlText)")
        }
        return Value(self.cluster.scheduler.explanation(pod))
      },
    ]
  }

  static func selector(_ value: Value?, _ function: String) throws(LispError) -> LabelSelector {
    guard let value else { return .everything }
    let text = try Arguments.string(value, function, "selector")
    do throws(SelectorError) {
      return try LabelSelector(parsing: text)
    } catch {
      throw LispError(
        .value, "\(function): \(error)", hint: "selectors look like \"app=web,tier!=db\"")
    }
  }

  /// `(f "Kind" "name" :namespace "ns")` → the kind, name and namespace.
  static func target(_ args: [Value], _ function: String, allowed: [String]) throws(LispError)
    -> (ResourceKind, String, String)
  {
    let kindName = try Arguments.string(args[0], function, "kind")
    guard let kind = ResourceKind.named(kindName) else {
      throw LispError(
        .value, "\(function): the server doesn't have a resource type \"\(kindName)\"",
        hint: "Kelp serves " + ResourceKind.all.map(\.kind).joined(separator: ", "))
    }
    let name = try Arguments.string(args[1], function, "name")
    let options = try Arguments.keywords(args[2...], function, allowed: allowed)
    let namespace = try ClusterSession.namespace(options, function)
    return (kind, name, namespace)
  }

  func objectValue(_ kind: String, _ name: String, _ namespace: String) -> Value {
    guard let resource = ResourceKind.named(kind),
      let json = cluster.store.encodedObject(resource, name, namespace: namespace)
    else { return .null }
    return Value(json: json)
  }

  func podSummary(_ pod: Pod) -> Value {
    let ready = pod.status.condition("Ready")?.status == "True"
    return .map(
      MapBox([
        (.keyword("name"), Value(pod.metadata.name)),
        (.keyword("namespace"), Value(pod.metadata.namespace)),
        (.keyword("node"), pod.spec.nodeName.isEmpty ? .null : Value(pod.spec.nodeName)),
        (.keyword("phase"), Value(pod.status.phase.rawValue)),
        (.keyword("status"), Value(pod.displayStatus)),
        (.keyword("ready"), .bool(ready)),
        (.keyword("restarts"), .int(pod.restarts.count)),
        (.keyword("reason"), ClusterSession.reason(pod).map(Value.init) ?? .null),
        (.keyword("ip"), pod.status.podIP.isEmpty ? .null : Value(pod.status.podIP)),
        (.keyword("labels"), ClusterSession.stringMapValue(pod.metadata.labels)),
        (.keyword("qos"), Value(pod.qosClass)),
      ]))
  }

  /// Why the pod is not simply running: the first container's waiting or terminated reason, the
  /// pod's own reason, or why it is not scheduled.
  static func reason(_ pod: Pod) -> String? {
    // A pod the kubelet failed (Evicted, OutOfcpu) says so before its containers' reasons.
    if pod.status.phase == .failed && !pod.status.reason.isEmpty { return pod.status.reason }
    for status in pod.status.initContainerStatuses + pod.status.containerStatuses {
      switch status.state {
      case .waiting(let reason, _) where !reason.isEmpty: return reason
      case .terminated(_, let reason, _, _, _) where !reason.isEmpty: return reason
      default: continue
      }
    }
    if !pod.status.reason.isEmpty { return pod.status.reason }
    if let scheduled = pod.status.condition("PodScheduled"), scheduled.status == "False" {
      return scheduled.reason
    }
    return nil
  }

  static func eventValue(_ event: Event, redacting cluster: Cluster) -> Value {
    .map(
      MapBox([
        (.keyword("time"), event.lastTimestamp.secondsValue),
        (.keyword("type"), Value(event.type)),
        (.keyword("reason"), Value(event.reason)),
        (.keyword("object"), Value("\(event.involvedKind.lowercased())/\(event.involvedName)")),
        (.keyword("namespace"), Value(event.involvedNamespace)),
        (.keyword("message"), Value(cluster.redactingSecrets(event.message))),
        (.keyword("count"), .int(event.count)),
        (.keyword("firstTimestamp"), event.firstTimestamp.secondsValue),
        (.keyword("source"), Value(event.source)),
      ]))
  }
}
