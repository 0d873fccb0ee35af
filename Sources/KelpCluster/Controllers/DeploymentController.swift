/// The Deployment controller (upstream `deployment_controller.go`, `rolling.go`,
/// `recreate.go`): finds the ReplicaSet whose template is the Deployment's (named
/// `<deployment>-<pod-template-hash>`), creates it when the template changes, and moves replicas
/// from the old ReplicaSets to the new one within maxSurge and maxUnavailable, or all at once for
/// Recreate. Status and the Available/Progressing conditions follow its ReplicaSets.
final class DeploymentController {
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
    case let deployment as Deployment: enqueue(deployment.key)
    case let replicaSet as ReplicaSet:
      if let owner = replicaSet.metadata.controller, owner.kind == "Deployment" {
        enqueue(ObjectKey(namespace: replicaSet.metadata.namespace, name: owner.name))
      }
    case let pod as Pod where event.type == .deleted:
      // Recreate waits for the old pods to be gone, which their ReplicaSet's status cannot say.
      guard let owner = pod.metadata.controller, owner.kind == "ReplicaSet",
        let replicaSet = store.replicaSets.get(pod.metadata.namespace, owner.name),
        let deployment = replicaSet.metadata.controller, deployment.kind == "Deployment"
      else { return }
      enqueue(ObjectKey(namespace: pod.metadata.namespace, name: deployment.name))
    default: break
    }
  }

  func enqueue(_ key: ObjectKey) { queue.add(key) }

  /// Upstream `ComputeHash` rendered by `rand.SafeEncodeString`: FNV-32a of the template, its
  /// decimal digits mapped onto the vowel-free alphabet.
  static func templateHash(_ template: PodTemplate) -> String {
    var hash: UInt32 = 0x811C_9DC5
    for byte in template.encoded(serverFields: false).jsonText.utf8 {
      hash ^= UInt32(byte)
      hash = hash &* 0x0100_0193
    }
    let alphabet = IdentitySource.alphanumerics
    return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
  }

  func reconcile(_ key: ObjectKey) {
    guard let deployment = store.deployments[key], deployment.metadata.deletionTimestamp == nil
    else {
      return
    }
    let uid = deployment.metadata.uid
    let owned = store.replicaSets.owned(by: uid).filter {
      $0.metadata.deletionTimestamp == nil
    }
    let hash = DeploymentController.templateHash(deployment.spec.template)
    var newRS = owned.first { $0.spec.template.labels["pod-template-hash"] == hash }
    let old = owned.filter { $0.metadata.uid != newRS?.metadata.uid }
      .sorted { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }
    if deployment.spec.paused {
      if isScalingEvent(deployment, newRS: newRS, old: old) {
        scaleProportionally(deployment, newRS: newRS, old: old)
      }
      updateStatus(
        key, newRS: newRS.flatMap { store.replicaSets[$0.key] },
        old: old.compactMap { store.replicaSets[$0.key] })
      return
    }
    // Recreate makes its new ReplicaSet only once the old pods are gone (upstream's
    // rolloutRecreate: "avoid scaling up before scaling down").
    if newRS == nil && deployment.spec.strategy == "Recreate" {
      for replicaSet in old where replicaSet.spec.replicas > 0 {
        scale(replicaSet, to: 0, for: deployment)
      }
      if old.contains(where: { !store.pods.owned(by: $0.metadata.uid).isEmpty }) {
        updateStatus(key, newRS: nil, old: old.compactMap { store.replicaSets[$0.key] })
        return
      }
    }
    if newRS == nil {
      newRS = createReplicaSet(for: deployment, hash: hash, revision: nextRevision(old))
    }
    guard var newReplicaSet = newRS else { return }
    // An old template brought back (rollout undo) becomes the newest revision again.
    let latest =
      old.compactMap { Int($0.metadata.annotations[DeploymentController.revisionKey] ?? "") }.max()
      ?? 0
    if let revision = Int(
      newReplicaSet.metadata.annotations[DeploymentController.revisionKey] ?? ""),
      revision < latest,
      let bumped = store.modify(
        ReplicaSet.self, newReplicaSet.key,
        {
          $0.metadata.annotations[DeploymentController.revisionKey] = String(latest + 1)
        })
    {
      newReplicaSet = bumped
    }
    // The Deployment's own annotations (a change-cause) follow it to its new ReplicaSet, as
    // upstream's copyDeploymentAnnotationsToReplicaSet does on every sync.
    let copied = DeploymentController.copiedAnnotations(deployment)
    if copied.contains(where: { newReplicaSet.metadata.annotations[$0.key] != $0.value }),
      let updated = store.modify(
        ReplicaSet.self, newReplicaSet.key,
        { $0.metadata.annotations.merge(copied) { $1 } })
    {
      newReplicaSet = updated
    }
    if let revision = newReplicaSet.metadata.annotations[DeploymentController.revisionKey],
      deployment.metadata.annotations[DeploymentController.revisionKey] != revision
    {
      store.modify(Deployment.self, key) {
        $0.metadata.annotations[DeploymentController.revisionKey] = revision
      }
    }
    if isScalingEvent(deployment, newRS: newReplicaSet, old: old) {
      scaleProportionally(deployment, newRS: newReplicaSet, old: old)
      cleanUp(deployment, old)
      updateStatus(
        key, newRS: store.replicaSets[newReplicaSet.key],
        old: old.compactMap { store.replicaSets[$0.key] })
      return
    }
    if deployment.spec.strategy == "Recreate" {
      recreate(deployment, newReplicaSet, old)
    } else {
      rollingUpdate(deployment, newReplicaSet, old)
    }
    cleanUp(deployment, old)
    updateStatus(
      key, newRS: store.replicaSets[newReplicaSet.key],
      old: old.compactMap { store.replicaSets[$0.key] })
  }

  private func nextRevision(_ old: [ReplicaSet]) -> Int {
    (old.compactMap { Int($0.metadata.annotations[DeploymentController.revisionKey] ?? "") }.max()
      ?? 0) + 1
  }

  /// Annotations a Deployment passes to its ReplicaSets: all but the deployment controller's
  /// own and kubectl's record of the last apply.
  static func copiedAnnotations(_ deployment: Deployment) -> [String: String] {
    deployment.metadata.annotations.filter {
      ![
        revisionKey, "deployment.kubernetes.io/revision-history", desiredReplicasKey,
        maxReplicasKey, "kubectl.kubernetes.io/last-applied-configuration",
      ].contains($0.key)
    }
  }

  static let revisionKey = "deployment.kubernetes.io/revision"
  static let desiredReplicasKey = "deployment.kubernetes.io/desired-replicas"
  static let maxReplicasKey = "deployment.kubernetes.io/max-replicas"

  private func createReplicaSet(for deployment: Deployment, hash: String, revision: Int)
    -> ReplicaSet?
  {
    var template = deployment.spec.template
    template.labels["pod-template-hash"] = hash
    var selector = deployment.spec.selector
    selector.matchLabels["pod-template-hash"] = hash
    var metadata = ObjectMeta(
      name: "\(deployment.metadata.name)-\(hash)", namespace: deployment.metadata.namespace)
    metadata.labels = template.labels
    metadata.annotations = DeploymentController.copiedAnnotations(deployment)
    metadata.annotations.merge([
      DeploymentController.revisionKey: String(revision),
      "deployment.kubernetes.io/desired-replicas": String(deployment.spec.replicas),
      "deployment.kubernetes.io/max-replicas": String(
        deployment.spec.replicas
          + (deployment.spec.maxSurge.scaled(deployment.spec.replicas, roundUp: true) ?? 0)),
    ]) { $1 }
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name,
        uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true)
    ]
    metadata.generation = 1
    var replicaSet = ReplicaSet(
      metadata: metadata,
      spec: ReplicaSetSpec(
        replicas: 0, minReadySeconds: deployment.spec.minReadySeconds, selector: selector,
        template: template))
    replicaSet.status = ReplicaSetStatus()
    guard let created = try? store.create(replicaSet) else {
      return store.replicaSets[replicaSet.key]
    }
    setCondition(
      deployment.key, "Progressing", "True", reason: "NewReplicaSetCreated",
      message: "Created new replica set \"\(created.metadata.name)\"")
    return created
  }

  func scale(_ replicaSet: ReplicaSet, to replicas: Int, for deployment: Deployment) {
    let maxReplicas =
      deployment.spec.replicas
      + (deployment.spec.maxSurge.scaled(deployment.spec.replicas, roundUp: true) ?? 0)
    guard replicaSet.spec.replicas != replicas
      || replicaSet.metadata.annotations[DeploymentController.desiredReplicasKey]
        != String(deployment.spec.replicas)
    else { return }
    let from = replicaSet.spec.replicas
    store.modify(ReplicaSet.self, replicaSet.key) { replicaSet in
      replicaSet.spec.replicas = replicas
      if from != replicas { replicaSet.metadata.generation += 1 }
      replicaSet.metadata.annotations[DeploymentController.desiredReplicasKey] = String(
        deployment.spec.replicas)
      replicaSet.metadata.annotations[DeploymentController.maxReplicasKey] = String(maxReplicas)
    }
    guard from != replicas else { return }
    let direction = replicas > from ? "up" : "down"
    cluster.recorder.record(
      deployment, "Normal", "ScalingReplicaSet",
      "Scaled \(direction) replica set \(replicaSet.metadata.name) from \(from) to \(replicas)",
      source: "deployment-controller")
  }

  /// Recreate: every old pod goes first; the new ReplicaSet scales up once none is left.
  private func recreate(_ deployment: Deployment, _ newRS: ReplicaSet, _ old: [ReplicaSet]) {
    for replicaSet in old { scale(replicaSet, to: 0, for: deployment) }
    let oldPods = old.flatMap { store.pods.owned(by: $0.metadata.uid) }
    guard oldPods.isEmpty else { return }
    scale(newRS, to: deployment.spec.replicas, for: deployment)
  }

  /// Upstream `rolloutRolling`: surge rounds up, unavailability rounds down, both 0 means 1
  /// unavailable; scale the new ReplicaSet up within replicas + maxSurge, and the old ones down
  /// while at least replicas - maxUnavailable pods stay available.
  private func rollingUpdate(_ deployment: Deployment, _ newRS: ReplicaSet, _ old: [ReplicaSet]) {
    let replicas = deployment.spec.replicas
    let surge = deployment.spec.maxSurge.scaled(replicas, roundUp: true) ?? 0
    var unavailable = deployment.spec.maxUnavailable.scaled(replicas, roundUp: false) ?? 0
    if surge == 0 && unavailable == 0 { unavailable = 1 }
    let all = [newRS] + old
    let total = all.reduce(0) { $0 + $1.spec.replicas }
    if newRS.spec.replicas < replicas {
      let room = replicas + surge - total
      if room > 0 {
        scale(
          newRS, to: newRS.spec.replicas + min(room, replicas - newRS.spec.replicas),
          for: deployment)
      }
    } else if newRS.spec.replicas > replicas {
      scale(newRS, to: replicas, for: deployment)
    }
    guard let currentNew = store.replicaSets[newRS.key] else { return }
    let allReplicas = ([currentNew] + old).reduce(0) { $0 + $1.spec.replicas }
    let newUnavailable = currentNew.spec.replicas - currentNew.status.availableReplicas
    var budget = allReplicas - (replicas - unavailable) - max(0, newUnavailable)
    for replicaSet in old where budget > 0 && replicaSet.spec.replicas > 0 {
      let cut = min(budget, replicaSet.spec.replicas)
      scale(replicaSet, to: replicaSet.spec.replicas - cut, for: deployment)
      budget -= cut
    }
  }

  /// Old ReplicaSets with no replicas beyond revisionHistoryLimit are deleted, oldest first.
  private func cleanUp(_ deployment: Deployment, _ old: [ReplicaSet]) {
    let idle = old.filter {
      (store.replicaSets[$0.key]?.spec.replicas ?? 0) == 0 && ($0.status.replicas == 0)
    }
    let extra = idle.count - deployment.spec.revisionHistoryLimit
    guard extra > 0 else { return }
    for replicaSet in idle.prefix(extra) { store.remove(ReplicaSet.self, replicaSet.key) }
  }

  private func updateStatus(_ key: ObjectKey, newRS: ReplicaSet?, old: [ReplicaSet]) {
    guard let deployment = store.deployments[key] else { return }
    let all = (newRS.map { [$0] } ?? []) + old
    let replicas = deployment.spec.replicas
    let unavailableAllowed = deployment.spec.maxUnavailable.scaled(replicas, roundUp: false) ?? 0
    let available = all.reduce(0) { $0 + $1.status.availableReplicas }
    let updated = newRS?.status.replicas ?? 0
    let now = cluster.now
    store.modify(Deployment.self, key) { deployment in
      let progressed =
        deployment.status.updatedReplicas != updated
        || deployment.status.availableReplicas != available
      deployment.status.observedGeneration = deployment.metadata.generation
      deployment.status.replicas = all.reduce(0) { $0 + $1.status.replicas }
      deployment.status.updatedReplicas = updated
      deployment.status.readyReplicas = all.reduce(0) { $0 + $1.status.readyReplicas }
      deployment.status.availableReplicas = available
      deployment.status.unavailableReplicas = max(0, deployment.status.replicas - available)
      let minimumMet =
        available >= replicas - (deployment.spec.strategy == "Recreate" ? 0 : unavailableAllowed)
      DeploymentController.set(
        &deployment.status, "Available", minimumMet ? "True" : "False",
        reason: minimumMet ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        message: minimumMet
          ? "Deployment has minimum availability."
          : "Deployment does not have minimum availability.",
        at: now)
      if let newRS {
        let complete =
          updated == replicas && newRS.status.availableReplicas == replicas
          && old.allSatisfy { $0.status.replicas == 0 }
        if complete {
          DeploymentController.set(
            &deployment.status, "Progressing", "True", reason: "NewReplicaSetAvailable",
            message: "ReplicaSet \"\(newRS.metadata.name)\" has successfully progressed.", at: now)
        } else if deployment.status.conditions.first(where: { $0.type == "Progressing" })?.reason
          != "ProgressDeadlineExceeded"
        {
          DeploymentController.set(
            &deployment.status, "Progressing", "True", reason: "ReplicaSetUpdated",
            message: "ReplicaSet \"\(newRS.metadata.name)\" is progressing.", at: now)
        }
      }
      // Any progress restarts the progress deadline.
      if progressed,
        let index = deployment.status.conditions.firstIndex(where: {
          $0.type == "Progressing" && $0.reason == "ReplicaSetUpdated"
        })
      {
        deployment.status.conditions[index].lastUpdateTime = now
      }
      deployment.status.conditions.sort { $0.type == "Available" && $1.type != "Available" }
    }
    scheduleDeadlineCheck(key)
  }

  private func setCondition(
    _ key: ObjectKey, _ type: String, _ status: String, reason: String, message: String
  ) {
    let now = cluster.now
    store.modify(Deployment.self, key) { deployment in
      DeploymentController.set(
        &deployment.status, type, status, reason: reason, message: message, at: now)
    }
  }

  static func set(
    _ status: inout DeploymentStatus, _ type: String, _ value: String, reason: String,
    message: String,
    at now: Millis
  ) {
    if let index = status.conditions.firstIndex(where: { $0.type == type }) {
      if status.conditions[index].reason == reason && status.conditions[index].status == value {
        return
      }
      if status.conditions[index].status != value {
        status.conditions[index].lastTransitionTime = now
      }
      status.conditions[index].status = value
      status.conditions[index].reason = reason
      status.conditions[index].message = message
      status.conditions[index].lastUpdateTime = now
    } else {
      status.conditions.append(
        DeploymentCondition(
          type: type, status: value, lastUpdateTime: now, lastTransitionTime: now, reason: reason,
          message: message))
    }
  }

  /// progressDeadlineSeconds: a rollout that has not progressed for that long is marked
  /// `Progressing=False ProgressDeadlineExceeded`.
  private func scheduleDeadlineCheck(_ key: ObjectKey) {
    guard let deployment = store.deployments[key],
      let progressing = deployment.status.conditions.first(where: { $0.type == "Progressing" }),
      progressing.reason == "ReplicaSetUpdated" || progressing.reason == "NewReplicaSetCreated"
    else { return }
    let deadline =
      progressing.lastUpdateTime + Millis(deployment.spec.progressDeadlineSeconds) * 1000
    let stamp = progressing.lastUpdateTime
    cluster.clock.schedule(at: deadline) { [self] in
      guard let current = self.store.deployments[key],
        let condition = current.status.conditions.first(where: { $0.type == "Progressing" }),
        condition.lastUpdateTime == stamp, condition.reason != "NewReplicaSetAvailable"
      else { return }
      let newName =
        self.store.replicaSets.owned(by: current.metadata.uid).first {
          $0.spec.template.labels["pod-template-hash"]
              == DeploymentController.templateHash(current.spec.template)
        }?.metadata.name ?? current.metadata.name
      self.setCondition(
        key, "Progressing", "False", reason: "ProgressDeadlineExceeded",
        message: "ReplicaSet \"\(newName)\" has timed out progressing.")
    }
  }
}
