/// The ReplicaSet controller (upstream `replica_set.go`): one level-triggered reconcile per
/// ReplicaSet, queued from watch events of the ReplicaSet and of pods. It adopts matching
/// orphans, releases owned pods that no longer match, creates or deletes pods until the active
/// ones number `replicas` (pods being deleted do not count), and writes the status.
final class ReplicaSetController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let replicaSet as ReplicaSet:
      enqueue(replicaSet.key)
    case let pod as Pod:
      if let owner = pod.metadata.controller, owner.kind == "ReplicaSet" {
        enqueue(ObjectKey(namespace: pod.metadata.namespace, name: owner.name))
      } else if event.type != .deleted, pod.metadata.deletionTimestamp == nil {
        // An orphan: any ReplicaSet whose selector matches may adopt it.
        for replicaSet in store.replicaSets.list(namespace: pod.metadata.namespace)
        where (try? replicaSet.spec.selector.selector().matches(pod.metadata.labels)) == true {
          enqueue(replicaSet.key)
        }
      }
    default: break
    }
  }

  private func enqueue(_ key: ObjectKey) { queue.add(key) }

  func reconcile(_ key: ObjectKey) {
    guard let replicaSet = store.replicaSets[key], replicaSet.metadata.deletionTimestamp == nil,
      let selector = try? replicaSet.spec.selector.selector()
    else { return }
    let uid = replicaSet.metadata.uid
    var owned: [Pod] = []
    let candidates = (store.pods.owned(by: uid) + store.pods.orphans(in: key.namespace))
      .sorted { $0.key < $1.key }
    for pod in candidates {
      let ownedHere = pod.metadata.controller?.uid == uid
      let matches = selector.matches(pod.metadata.labels)
      if ownedHere && !matches {
        release(pod)
      } else if ownedHere {
        owned.append(pod)
      } else if matches && pod.metadata.controller == nil && pod.metadata.deletionTimestamp == nil
        && pod.status.phase != .succeeded && pod.status.phase != .failed
      {
        if let adopted = adopt(pod, by: replicaSet) { owned.append(adopted) }
      }
    }
    let active = owned.filter {
      $0.metadata.deletionTimestamp == nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }
    let difference = active.count - replicaSet.spec.replicas
    if difference < 0 {
      WorkQueue.slowStartBatch(min(-difference, WorkQueue.burstReplicas)) {
        create(for: replicaSet)
      }
    } else if difference > 0 {
      for victim in ReplicaSetController.victims(
        active, count: min(difference, WorkQueue.burstReplicas), now: cluster.now)
      {
        cluster.deletePod(victim.key, gracePeriod: nil)
        cluster.recorder.record(
          replicaSet, "Normal", "SuccessfulDelete", "Deleted pod: \(victim.metadata.name)",
          source: "replicaset-controller")
      }
    }
    updateStatus(key, selector: selector)
  }

  private func create(for replicaSet: ReplicaSet) -> Bool {
    var metadata = ObjectMeta(name: "", namespace: replicaSet.metadata.namespace)
    metadata.generateName = replicaSet.metadata.name + "-"
    metadata.labels = replicaSet.spec.template.labels
    metadata.annotations = replicaSet.spec.template.annotations
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "apps/v1", kind: "ReplicaSet", name: replicaSet.metadata.name,
        uid: replicaSet.metadata.uid, controller: true, blockOwnerDeletion: true)
    ]
    return cluster.createControlledPod(
      Pod(metadata: metadata, spec: replicaSet.spec.template.spec), owner: replicaSet,
      source: "replicaset-controller") != nil
  }

  private func adopt(_ pod: Pod, by replicaSet: ReplicaSet) -> Pod? {
    store.modify(Pod.self, pod.key) { pod in
      pod.metadata.ownerReferences.append(
        OwnerReference(
          apiVersion: "apps/v1", kind: "ReplicaSet", name: replicaSet.metadata.name,
          uid: replicaSet.metadata.uid, controller: true, blockOwnerDeletion: true))
    }
  }

  private func release(_ pod: Pod) {
    let uid = pod.metadata.controller?.uid
    store.modify(Pod.self, pod.key) { pod in
      pod.metadata.ownerReferences.removeAll { $0.uid == uid }
    }
  }

  /// Upstream's deletion order (`controller.ActivePods`): unscheduled before scheduled, Pending
  /// before Unknown before Running, not ready before ready, ready for less time first, more
  /// restarts first, newer first.
  static func victims(_ pods: [Pod], count: Int, now: Millis) -> [Pod] {
    func phaseRank(_ phase: PodPhase) -> Int {
      switch phase {
      case .pending: return 0
      case .unknown: return 1
      default: return 2
      }
    }
    func readySince(_ pod: Pod) -> Millis? {
      guard let ready = pod.status.condition("Ready"), ready.status == "True" else { return nil }
      return ready.lastTransitionTime
    }
    let ranked = pods.sorted { a, b in
      if a.spec.nodeName.isEmpty != b.spec.nodeName.isEmpty { return a.spec.nodeName.isEmpty }
      if phaseRank(a.status.phase) != phaseRank(b.status.phase) {
        return phaseRank(a.status.phase) < phaseRank(b.status.phase)
      }
      let readyA = readySince(a)
      let readyB = readySince(b)
      if (readyA == nil) != (readyB == nil) { return readyA == nil }
      if let readyA, let readyB, readyA != readyB { return readyA > readyB }
      if a.restarts.count != b.restarts.count { return a.restarts.count > b.restarts.count }
      if a.metadata.creationTimestamp != b.metadata.creationTimestamp {
        return a.metadata.creationTimestamp > b.metadata.creationTimestamp
      }
      return a.metadata.name < b.metadata.name
    }
    return Array(ranked.prefix(count))
  }

  private func updateStatus(_ key: ObjectKey, selector: LabelSelector) {
    guard let replicaSet = store.replicaSets[key] else { return }
    let uid = replicaSet.metadata.uid
    let active = store.pods.owned(by: uid).filter {
      $0.metadata.deletionTimestamp == nil
        && $0.status.phase != .succeeded && $0.status.phase != .failed
    }
    let now = cluster.now
    let minReady = Millis(replicaSet.spec.minReadySeconds) * 1000
    let templateLabels = replicaSet.spec.template.labels
    var ready = 0
    var available = 0
    var nextAvailable: Millis?
    for pod in active {
      guard let condition = pod.status.condition("Ready"), condition.status == "True" else {
        continue
      }
      ready += 1
      let availableAt = condition.lastTransitionTime + minReady
      if availableAt <= now {
        available += 1
      } else {
        nextAvailable = min(nextAvailable ?? availableAt, availableAt)
      }
    }
    let labelled = active.filter { pod in
      templateLabels.allSatisfy { pod.metadata.labels[$0.key] == $0.value }
    }.count
    store.modify(ReplicaSet.self, key) { replicaSet in
      replicaSet.status.replicas = active.count
      replicaSet.status.fullyLabeledReplicas = labelled
      replicaSet.status.readyReplicas = ready
      replicaSet.status.availableReplicas = available
      replicaSet.status.observedGeneration = replicaSet.metadata.generation
    }
    // A pod becomes available minReadySeconds after it is ready: look again then.
    if let nextAvailable {
      queue.add(key, at: nextAvailable)
    }
  }
}

extension ClusterError {
  /// The message alone, as a controller's event quotes it.
  var kubectlMessage: String {
    switch self {
    case .api(let error): return error.message
    case .manifest(let error): return error.message
    case .unsupported(let message, _): return message
    }
  }
}
