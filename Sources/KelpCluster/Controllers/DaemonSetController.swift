/// The DaemonSet controller (upstream `daemon_controller.go`, `update.go`): one daemon pod on
/// every node the template can run on. Pods are pinned to their node with node affinity on
/// `metadata.name` and placed by the scheduler; nodes that come, go or change are reconciled at
/// once. RollingUpdate replaces old pods node by node within maxUnavailable; OnDelete waits for
/// the user to delete them.
final class DaemonSetController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!

  /// Per DaemonSet and node: how long to wait before deleting the next failed pod, and when
  /// that was decided (upstream `failedPodsBackoff`, 1 s doubling to 15 min).
  private var failedBackoff: [String: (delay: Millis, updated: Millis)] = [:]
  static let initialFailedBackoff: Millis = 1_000
  static let maxFailedBackoff: Millis = 900_000

  static let revisionHashLabel = "controller-revision-hash"
  static let templateGenerationLabel = "pod-template-generation"

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let daemonSet as DaemonSet: queue.add(daemonSet.key)
    case is Node:
      for daemonSet in store.daemonSets.unordered { queue.add(daemonSet.key) }
    case let pod as Pod:
      if let owner = pod.metadata.controller, owner.kind == "DaemonSet" {
        queue.add(ObjectKey(namespace: pod.metadata.namespace, name: owner.name))
      }
    default: break
    }
  }

  /// The tolerations every daemon pod gets (upstream `AddOrUpdateDaemonPodTolerations`), so it
  /// stays on not-ready, unreachable, pressured and cordoned nodes.
  static func daemonTolerations(hostNetwork: Bool) -> [Toleration] {
    var tolerations = [
      Toleration(key: Taint.notReadyKey, operator: "Exists", effect: "NoExecute"),
      Toleration(key: Taint.unreachableKey, operator: "Exists", effect: "NoExecute"),
      Toleration(key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule"),
      Toleration(
        key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule"),
      Toleration(key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule"),
      Toleration(key: Taint.unschedulableKey, operator: "Exists", effect: "NoSchedule"),
    ]
    if hostNetwork {
      tolerations.append(
        Toleration(
          key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule"))
    }
    return tolerations
  }

  /// The template's pod spec as the controller creates it, before pinning to a node.
  static func podSpec(_ daemonSet: DaemonSet) -> PodSpec {
    var spec = daemonSet.spec.template.spec
    for toleration in daemonTolerations(hostNetwork: spec.hostNetwork)
    where !spec.tolerations.contains(where: {
      $0.key == toleration.key && $0.effect == toleration.effect
    }) {
      spec.tolerations.append(toleration)
    }
    return spec
  }

  /// Upstream `NodeShouldRunDaemonPod`: a daemon pod should run where the template's
  /// nodeSelector and required node affinity match and every NoSchedule/NoExecute taint is
  /// tolerated; one already there may continue while its NoExecute taints are tolerated (so a
  /// NotReady node keeps its daemon pod but is not counted as desired).
  static func placement(_ spec: PodSpec, on node: Node) -> (shouldRun: Bool, mayContinue: Bool) {
    let labels = node.metadata.labels
    guard spec.nodeSelector.allSatisfy({ labels[$0.key] == $0.value }) else {
      return (false, false)
    }
    if let required = spec.nodeAffinity?.required, !required.isEmpty,
      !required.contains(where: { $0.matches(labels: labels, name: node.metadata.name) })
    {
      return (false, false)
    }
    func tolerated(_ taint: Taint) -> Bool { spec.tolerations.contains { $0.tolerates(taint) } }
    if node.taints.allSatisfy({ $0.effect == "PreferNoSchedule" || tolerated($0) }) {
      return (true, true)
    }
    return (false, node.taints.allSatisfy { $0.effect != "NoExecute" || tolerated($0) })
  }

  static func shouldRun(_ spec: PodSpec, on node: Node) -> Bool {
    placement(spec, on: node).shouldRun
  }

  /// The node a daemon pod is meant for: the name its affinity pins, or where it is bound.
  static func targetNode(_ pod: Pod) -> String {
    for term in pod.spec.nodeAffinity?.required ?? [] {
      if let field = term.matchFields.first(where: { $0.key == "metadata.name" }),
        field.operator == "In", let name = field.values.first
      {
        return name
      }
    }
    return pod.spec.nodeName
  }

  func reconcile(_ key: ObjectKey) {
    guard let daemonSet = store.daemonSets[key], daemonSet.metadata.deletionTimestamp == nil,
      let selector = try? daemonSet.spec.selector.selector()
    else { return }
    let uid = daemonSet.metadata.uid
    let hash = DeploymentController.templateHash(daemonSet.spec.template)
    var podsByNode: [String: [Pod]] = [:]
    let candidates = (store.pods.owned(by: uid) + store.pods.orphans(in: key.namespace))
      .sorted { $0.key < $1.key }
    for pod in candidates {
      var owned = pod.metadata.controller?.uid == uid
      if !owned, pod.metadata.controller == nil, pod.metadata.deletionTimestamp == nil,
        selector.matches(pod.metadata.labels)
      {
        owned = adopt(pod, by: daemonSet)
      }
      if owned { podsByNode[DaemonSetController.targetNode(pod), default: []].append(pod) }
    }
    let spec = DaemonSetController.podSpec(daemonSet)
    var toCreate: [String] = []
    for node in store.nodes.list() {
      let pods = podsByNode.removeValue(forKey: node.metadata.name) ?? []
      let live = pods.filter { $0.metadata.deletionTimestamp == nil }
      let placement = DaemonSetController.placement(spec, on: node)
      guard placement.mayContinue else {
        for pod in live { delete(pod, of: daemonSet) }
        continue
      }
      // A failed daemon pod is deleted and replaced, at most as often as the back-off allows
      // (upstream: the kubelet may reject every pod, and the two would fight without it).
      for pod in live where pod.status.phase == .failed {
        let backoffKey = daemonSet.metadata.uid + "/" + node.metadata.name
        let now = cluster.now
        if let entry = failedBackoff[backoffKey], now - entry.updated < entry.delay {
          queue.add(key, at: entry.updated + entry.delay)
          continue
        }
        // A back-off not touched for twice the maximum starts over.
        var delay = DaemonSetController.initialFailedBackoff
        if let previous = failedBackoff[backoffKey],
          now - previous.updated <= 2 * DaemonSetController.maxFailedBackoff
        {
          delay = min(previous.delay * 2, DaemonSetController.maxFailedBackoff)
        }
        failedBackoff[backoffKey] = (delay, now)
        cluster.recorder.record(
          daemonSet, "Warning", "FailedDaemonPod",
          "Found failed daemon pod \(key.namespace)/\(pod.metadata.name) on node \(node.metadata.name), will try to kill it",
          source: "daemonset-controller")
        delete(pod, of: daemonSet)
      }
      let running = live.filter { $0.status.phase != .failed }
        .sorted { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }
      if pods.isEmpty {
        if placement.shouldRun { toCreate.append(node.metadata.name) }
      } else if running.count > 1 {
        for extra in running.dropFirst() { delete(extra, of: daemonSet) }
      }
    }
    // Pods for nodes that no longer exist.
    for (_, pods) in podsByNode.sorted(by: { $0.key < $1.key }) {
      for pod in pods where pod.metadata.deletionTimestamp == nil { delete(pod, of: daemonSet) }
    }
    for node in toCreate { create(daemonSet, spec: spec, on: node, hash: hash) }
    if daemonSet.spec.updateStrategy == "RollingUpdate" { rollingUpdate(daemonSet, hash: hash) }
    updateStatus(key, hash: hash)
  }

  private func create(_ daemonSet: DaemonSet, spec: PodSpec, on node: String, hash: String) {
    var spec = spec
    // Upstream replaces the required terms with one that pins the node by name.
    var affinity = spec.nodeAffinity ?? NodeAffinity()
    affinity.required = [
      NodeSelectorTerm(
        matchFields: [
          NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [node])
        ])
    ]
    spec.nodeAffinity = affinity
    var metadata = ObjectMeta(name: "", namespace: daemonSet.metadata.namespace)
    metadata.generateName = daemonSet.metadata.name + "-"
    metadata.labels = daemonSet.spec.template.labels
    metadata.labels[DaemonSetController.revisionHashLabel] = hash
    metadata.labels[DaemonSetController.templateGenerationLabel] = String(
      daemonSet.metadata.generation)
    metadata.annotations = daemonSet.spec.template.annotations
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "apps/v1", kind: "DaemonSet", name: daemonSet.metadata.name,
        uid: daemonSet.metadata.uid, controller: true, blockOwnerDeletion: true)
    ]
    cluster.createControlledPod(
      Pod(metadata: metadata, spec: spec), owner: daemonSet, source: "daemonset-controller")
  }

  private func delete(_ pod: Pod, of daemonSet: DaemonSet) {
    cluster.deletePod(pod.key, gracePeriod: nil)
    cluster.recorder.record(
      daemonSet, "Normal", "SuccessfulDelete", "Deleted pod: \(pod.metadata.name)",
      source: "daemonset-controller")
  }

  private func adopt(_ pod: Pod, by daemonSet: DaemonSet) -> Bool {
    store.modify(Pod.self, pod.key) { pod in
      pod.metadata.ownerReferences.append(
        OwnerReference(
          apiVersion: "apps/v1", kind: "DaemonSet", name: daemonSet.metadata.name,
          uid: daemonSet.metadata.uid, controller: true, blockOwnerDeletion: true))
    } != nil
  }

  /// Whether the pod has been ready for minReadySeconds; if not yet, when it will have been.
  private func availability(_ pod: Pod, minReadySeconds: Int) -> (Bool, Millis?) {
    guard pod.metadata.deletionTimestamp == nil, let ready = pod.status.condition("Ready"),
      ready.status == "True"
    else { return (false, nil) }
    let at = ready.lastTransitionTime + Millis(minReadySeconds) * 1000
    return at <= cluster.now ? (true, nil) : (false, at)
  }

  /// Upstream `rollingUpdate` with maxSurge 0: old pods that are not available go first, then
  /// available ones while fewer than maxUnavailable nodes lack an available pod. The new pod
  /// comes when the old one is gone.
  private func rollingUpdate(_ daemonSet: DaemonSet, hash: String) {
    let uid = daemonSet.metadata.uid
    var byNode: [String: [Pod]] = [:]
    for pod in store.pods.owned(by: uid) {
      byNode[DaemonSetController.targetNode(pod), default: []].append(pod)
    }
    let spec = DaemonSetController.podSpec(daemonSet)
    let desired = store.nodes.list().filter { DaemonSetController.shouldRun(spec, on: $0) }
    let budget = daemonSet.spec.maxUnavailable.scaled(desired.count, roundUp: true) ?? 1
    var unavailable = 0
    var oldAvailable: [Pod] = []
    for node in desired {
      let pods = byNode[node.metadata.name] ?? []
      let available = pods.contains {
        availability($0, minReadySeconds: daemonSet.spec.minReadySeconds).0
      }
      if !available { unavailable += 1 }
      for pod in pods
      where pod.metadata.deletionTimestamp == nil
        && pod.metadata.labels[DaemonSetController.revisionHashLabel] != hash
      {
        if available {
          oldAvailable.append(pod)
        } else {
          delete(pod, of: daemonSet)
        }
      }
    }
    for pod in oldAvailable.sorted(by: { $0.metadata.name < $1.metadata.name })
    where unavailable < max(budget, 1) {
      delete(pod, of: daemonSet)
      unavailable += 1
    }
  }

  private func updateStatus(_ key: ObjectKey, hash: String) {
    guard let daemonSet = store.daemonSets[key] else { return }
    let uid = daemonSet.metadata.uid
    let spec = DaemonSetController.podSpec(daemonSet)
    var byNode: [String: [Pod]] = [:]
    for pod in store.pods.owned(by: uid) where pod.metadata.deletionTimestamp == nil {
      byNode[DaemonSetController.targetNode(pod), default: []].append(pod)
    }
    var status = DaemonSetStatus()
    var nextAvailable: Millis?
    for node in store.nodes.list() {
      let pods = byNode[node.metadata.name] ?? []
      guard DaemonSetController.shouldRun(spec, on: node) else {
        if !pods.isEmpty { status.numberMisscheduled += 1 }
        continue
      }
      status.desiredNumberScheduled += 1
      guard !pods.isEmpty else { continue }
      status.currentNumberScheduled += 1
      if pods.contains(where: { $0.metadata.labels[DaemonSetController.revisionHashLabel] == hash })
      {
        status.updatedNumberScheduled += 1
      }
      if pods.contains(where: { $0.status.condition("Ready")?.status == "True" }) {
        status.numberReady += 1
      }
      let verdicts = pods.map { availability($0, minReadySeconds: daemonSet.spec.minReadySeconds) }
      if verdicts.contains(where: \.0) {
        status.numberAvailable += 1
      } else if let at = verdicts.compactMap(\.1).min() {
        nextAvailable = min(nextAvailable ?? at, at)
      }
    }
    status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable
    status.observedGeneration = daemonSet.metadata.generation
    store.modify(DaemonSet.self, key) { $0.status = status }
    if let nextAvailable {
      queue.add(key, at: nextAvailable)
    }
  }
}
