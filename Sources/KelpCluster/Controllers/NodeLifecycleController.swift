/// The node lifecycle controller and the taint eviction controller of kube-controller-manager:
/// a node that stops posting status goes `Unknown` after the grace period and gets the
/// `unreachable` taints; pods on it are marked not ready, and evicted when their toleration of
/// the NoExecute taint runs out (300 s by default). Also keeps the `unschedulable` taint in step
/// with `spec.unschedulable`.
final class NodeLifecycleController {
  /// The cluster owns this component and its clock, so it always outlives it; unsafe skips the
  /// checked load on every access.
  unowned(unsafe) let cluster: Cluster
  /// When each down node last posted status.
  var silentSince: [String: Millis] = [:]
  /// Pending evictions, by pod, so a recovery can cancel them.
  var evictionGeneration: [ObjectKey: Int] = [:]

  /// `node-monitor-grace-period`, 50 s in v1.32.
  static let gracePeriod: Millis = 50_000

  init(cluster: Cluster) { self.cluster = cluster }

  var store: ObjectStore { cluster.store }
  var clock: VirtualClock { cluster.clock }

  static func healthyConditions(at time: Millis) -> [NodeCondition] {
    [
      NodeCondition(
        type: "MemoryPressure", status: "False", lastHeartbeatTime: time, lastTransitionTime: time,
        reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available"),
      NodeCondition(
        type: "DiskPressure", status: "False", lastHeartbeatTime: time, lastTransitionTime: time,
        reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure"),
      NodeCondition(
        type: "PIDPressure", status: "False", lastHeartbeatTime: time, lastTransitionTime: time,
        reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available"),
      NodeCondition(
        type: "Ready", status: "True", lastHeartbeatTime: time, lastTransitionTime: time,
        reason: "KubeletReady", message: "kubelet is posting ready status"),
    ]
  }

  /// The NoExecute taints of each node that has any; most of the time there are none.
  var noExecuteTaints: [String: [Taint]] = [:]

  /// The taint eviction controller, level-triggered: when a node's NoExecute taints change,
  /// every pod on it is evicted on the new schedule (or spared, if none is left); a pod bound to
  /// a tainted node is evicted on the same schedule.
  func handle(_ event: WatchEvent) {
    if let node = event.object as? Node {
      let name = node.metadata.name
      let taints = event.type == .deleted ? [] : node.taints.filter { $0.effect == "NoExecute" }
      guard taints != (noExecuteTaints[name] ?? []) else { return }
      noExecuteTaints[name] = taints.isEmpty ? nil : taints
      for pod in podsOn(name) {
        if evictionGeneration.removeValue(forKey: pod.key) != nil && taints.isEmpty {
          cluster.recorder.record(
            pod, "Normal", "TaintManagerEviction",
            "Cancelling deletion of Pod \(pod.metadata.namespace)/\(pod.metadata.name)",
            source: "taint-eviction-controller")
        }
        if !taints.isEmpty { scheduleEviction(pod, taints: taints) }
      }
      return
    }
    guard !noExecuteTaints.isEmpty, event.type != .deleted, let pod = event.object as? Pod,
      !pod.spec.nodeName.isEmpty, let taints = noExecuteTaints[pod.spec.nodeName],
      evictionGeneration[pod.key] == nil, pod.metadata.deletionTimestamp == nil
    else { return }
    scheduleEviction(pod, taints: taints)
  }

  // MARK: - A node goes silent

  func nodeWentSilent(_ name: String) {
    let since = clock.now
    silentSince[name] = since
    clock.schedule(at: since + NodeLifecycleController.gracePeriod) { [self] in
      guard self.silentSince[name] == since else { return }
      self.markUnknown(name, lastHeartbeat: since)
    }
  }

  private func markUnknown(_ name: String, lastHeartbeat: Millis) {
    let now = clock.now
    guard
      let node = store.modify(
        Node.self, ObjectKey(namespace: "", name: name),
        { node in
          for index in node.status.conditions.indices {
            node.status.conditions[index].status = "Unknown"
            node.status.conditions[index].reason = "NodeStatusUnknown"
            node.status.conditions[index].message = "Kubelet stopped posting node status."
            node.status.conditions[index].lastTransitionTime = now
            node.status.conditions[index].lastHeartbeatTime = lastHeartbeat
          }
          node.taints.removeAll { $0.key == Taint.unreachableKey || $0.key == Taint.notReadyKey }
          node.taints.append(Taint(key: Taint.unreachableKey, effect: "NoSchedule", timeAdded: now))
        })
    else { return }
    updateDisruptionMode()
    cluster.recorder.record(
      node, "Normal", "NodeNotReady", "Node \(name) status is now: NodeNotReady",
      source: "node-controller")
    for pod in podsOn(name) where pod.status.condition("Ready")?.status != "False" {
      // MarkPodsNotReady: only the Ready condition's status changes; the phase stays as last
      // reported. (The taint's watch event has scheduled the evictions.)
      store.modify(Pod.self, pod.key) { pod in
        if let index = pod.status.conditions.firstIndex(where: { $0.type == "Ready" }) {
          pod.status.conditions[index].status = "False"
          pod.status.conditions[index].lastTransitionTime = now
        }
      }
      cluster.recorder.record(
        pod, "Warning", "NodeNotReady", "Node is not ready", source: "node-controller")
    }
  }

  private func podsOn(_ node: String) -> [Pod] {
    store.pods.unordered.filter { $0.spec.nodeName == node && $0.metadata.deletionTimestamp == nil }
      .sorted { $0.key < $1.key }
  }

  /// Taint eviction: the shortest toleration of the NoExecute taints decides when; a pod that
  /// does not tolerate one is evicted at once; a toleration without seconds keeps it forever.
  private func scheduleEviction(_ pod: Pod, taints: [Taint]) {
    var delay: Millis? = nil
    for taint in taints {
      guard let toleration = pod.spec.tolerations.first(where: { $0.tolerates(taint) }) else {
        delay = 0
        break
      }
      if let seconds = toleration.tolerationSeconds {
        let wait = max(0, Millis(seconds) * 1000 - (clock.now - (taint.timeAdded ?? clock.now)))
        delay = min(delay ?? wait, wait)
      }
    }
    guard let delay else { return }
    let generation = (evictionGeneration[pod.key] ?? 0) + 1
    evictionGeneration[pod.key] = generation
    let key = pod.key
    let uid = pod.metadata.uid
    clock.schedule(after: delay) { [self] in
      guard self.evictionGeneration[key] == generation,
        let current = self.store.pods[key], current.metadata.uid == uid
      else { return }
      self.evictionGeneration[key] = nil
      self.evict(current)
    }
  }

  private func evict(_ pod: Pod) {
    let now = clock.now
    cluster.recorder.record(
      pod, "Normal", "TaintManagerEviction",
      "Marking for deletion Pod \(pod.metadata.namespace)/\(pod.metadata.name)",
      source: "taint-eviction-controller")
    // Deleted first, so the watch sees a pod on its way out and schedules nothing more.
    cluster.deletePod(pod.key, gracePeriod: nil)
    store.modify(Pod.self, pod.key) { pod in
      pod.status.setCondition(
        "DisruptionTarget", "True", at: now, reason: "DeletionByTaintManager",
        message: "Taint manager: deleting due to NoExecute taint")
      Kubelet.sortConditions(&pod.status)
    }
  }

  // MARK: - The node comes back

  func nodeRecovered(_ name: String) {
    silentSince[name] = nil
    let now = clock.now
    let wasUnknown = store.nodes.get("", name).map { !$0.isReady } ?? false
    guard
      let node = store.modify(
        Node.self, ObjectKey(namespace: "", name: name),
        { node in
          let transitions = Dictionary(
            uniqueKeysWithValues: node.status.conditions.map { ($0.type, $0.lastTransitionTime) })
          node.status.conditions = NodeLifecycleController.healthyConditions(at: now)
          if !wasUnknown {
            for index in node.status.conditions.indices {
              node.status.conditions[index].lastTransitionTime =
                transitions[node.status.conditions[index].type] ?? now
            }
          }
          node.taints.removeAll { $0.key == Taint.unreachableKey || $0.key == Taint.notReadyKey }
        })
    else { return }
    if wasUnknown {
      cluster.recorder.record(
        node, "Normal", "NodeReady", "Node \(name) status is now: NodeReady", source: "kubelet",
        host: name)
    }
    updateDisruptionMode()
  }

  /// Upstream's full disruption: when every node is not ready, the controller suspects itself
  /// (or the network) rather than the nodes, and evicts nothing: unreachable nodes keep only the
  /// NoSchedule taint. As soon as one node is ready again, the silent nodes get their NoExecute
  /// taint, and the toleration countdown starts then.
  private func updateDisruptionMode() {
    let nodes = store.nodes.list()
    let fullDisruption = !nodes.isEmpty && nodes.allSatisfy { !$0.isReady }
    let now = clock.now
    for node in nodes where silentSince[node.metadata.name] != nil && !node.isReady {
      let tainted = node.taints.contains {
        $0.key == Taint.unreachableKey && $0.effect == "NoExecute"
      }
      if fullDisruption && tainted {
        store.modify(Node.self, node.key) { node in
          node.taints.removeAll { $0.key == Taint.unreachableKey && $0.effect == "NoExecute" }
        }
      } else if !fullDisruption && !tainted {
        store.modify(Node.self, node.key) { node in
          node.taints.append(Taint(key: Taint.unreachableKey, effect: "NoExecute", timeAdded: now))
        }
      }
    }
  }

  /// The `node.kubernetes.io/unschedulable:NoSchedule` taint follows `spec.unschedulable`.
  func syncUnschedulableTaint(_ name: String) {
    let now = clock.now
    store.modify(Node.self, ObjectKey(namespace: "", name: name)) { node in
      let has = node.taints.contains { $0.key == Taint.unschedulableKey }
      if node.unschedulable && !has {
        node.taints.append(Taint(key: Taint.unschedulableKey, effect: "NoSchedule", timeAdded: now))
      } else if !node.unschedulable && has {
        node.taints.removeAll { $0.key == Taint.unschedulableKey }
      }
    }
  }
}
