/// Scaling a Deployment in the middle of a rollout (upstream `sync.go` `scale`): the change is
/// shared among the active ReplicaSets in proportion to their sizes, so that a rollout scaled
/// from 10 to 30 keeps its old:new ratio instead of growing only the new ReplicaSet.
extension DeploymentController {
  /// A scaling event: an active ReplicaSet was sized for another `replicas` than the
  /// Deployment's now (its `desired-replicas` annotation says which).
  func isScalingEvent(_ deployment: Deployment, newRS: ReplicaSet?, old: [ReplicaSet]) -> Bool {
    let all = (newRS.map { [$0] } ?? []) + old
    return all.filter { $0.spec.replicas > 0 }.contains { replicaSet in
      guard let text = replicaSet.metadata.annotations[DeploymentController.desiredReplicasKey],
        let desired = Int(text)
      else { return false }
      return desired != deployment.spec.replicas
    }
  }

  func scaleProportionally(_ deployment: Deployment, newRS: ReplicaSet?, old: [ReplicaSet]) {
    let all = (newRS.map { [$0] } ?? []) + old
    let active = all.filter { $0.spec.replicas > 0 }
    let replicas = deployment.spec.replicas
    // One active ReplicaSet (or none: the newest) simply takes the whole count.
    if active.count <= 1 {
      let newest =
        active.first ?? newRS
        ?? old.max { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }
      if let newest { scale(newest, to: replicas, for: deployment) }
      return
    }
    // A saturated new ReplicaSet: the old ones go to zero.
    if let newRS, newRS.spec.replicas == replicas,
      newRS.metadata.annotations[DeploymentController.desiredReplicasKey] == String(replicas),
      newRS.status.availableReplicas == replicas
    {
      for replicaSet in old where replicaSet.spec.replicas > 0 {
        scale(replicaSet, to: 0, for: deployment)
      }
      return
    }
    guard deployment.spec.strategy == "RollingUpdate" else { return }
    let surge = deployment.spec.maxSurge.scaled(replicas, roundUp: true) ?? 0
    let allowed = replicas > 0 ? replicas + surge : 0
    let toAdd = allowed - active.reduce(0) { $0 + $1.spec.replicas }
    // Larger first; on equal sizes newer first when growing, older first when shrinking.
    let ordered = active.sorted { a, b in
      if a.spec.replicas != b.spec.replicas { return a.spec.replicas > b.spec.replicas }
      return toAdd > 0
        ? a.metadata.creationTimestamp > b.metadata.creationTimestamp
        : a.metadata.creationTimestamp < b.metadata.creationTimestamp
    }
    var sizes: [Int] = ordered.map(\.spec.replicas)
    var added = 0
    if toAdd != 0 {
      for (index, replicaSet) in ordered.enumerated() {
        let share = proportion(replicaSet, deployment, toAdd: toAdd, added: added)
        sizes[index] += share
        added += share
      }
      // Leftovers go to the largest.
      sizes[0] = max(0, sizes[0] + toAdd - added)
    }
    for (index, replicaSet) in ordered.enumerated() {
      scale(replicaSet, to: sizes[index], for: deployment)
    }
  }

  /// Upstream `GetProportion`: the ReplicaSet's share of the change, from the size it was
  /// given for the Deployment's previous maximum (its `max-replicas` annotation).
  private func proportion(_ replicaSet: ReplicaSet, _ deployment: Deployment, toAdd: Int, added: Int)
    -> Int
  {
    guard replicaSet.spec.replicas > 0, toAdd != 0, toAdd != added else { return 0 }
    let replicas = deployment.spec.replicas
    let fraction: Int
    if replicas == 0 {
      fraction = -replicaSet.spec.replicas
    } else {
      let maxReplicas = replicas + (deployment.spec.maxSurge.scaled(replicas, roundUp: true) ?? 0)
      var before =
        Int(replicaSet.metadata.annotations[DeploymentController.maxReplicasKey] ?? "") ?? 0
      if before == 0 { before = deployment.status.replicas }
      let size = Double(replicaSet.spec.replicas * maxReplicas) / Double(max(before, 1))
      fraction = Int(size.rounded()) - replicaSet.spec.replicas
    }
    let allowed = toAdd - added
    return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
  }
}
