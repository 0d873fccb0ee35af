import Testing

@testable import KelpCluster

/// The rollout budget, checked after every write to the store rather than at a few sampled
/// times: with 10 replicas and the defaults (maxSurge 25 % → 3, maxUnavailable 25 % → 2), a
/// RollingUpdate never has more than 13 pods nor fewer than 8 available; Recreate has no new pod
/// while an old one exists.
@Suite struct RolloutBoundsTests {
  func deployment(_ image: String, strategy: String = "RollingUpdate") -> JSONValue {
    [
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
      "spec": [
        "replicas": 10, "selector": ["matchLabels": ["app": "web"]],
        "strategy": ["type": .string(strategy)],
        "template": [
          "metadata": ["labels": ["app": "web"]],
          "spec": ["containers": [["name": "c", "image": .string(image)]]],
        ],
      ],
    ]
  }

  /// Pods that count toward the Deployment: not being deleted, not finished.
  func activePods(_ cluster: Cluster) -> [Pod] {
    cluster.store.pods.list(namespace: "default").filter {
      $0.metadata.deletionTimestamp == nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }
  }

  @Test func aRollingUpdateStaysWithinSurgeAndUnavailability() throws {
    let cluster = Cluster(seed: 3)
    for index in 1...4 { try cluster.addNode("node-\(index)") }
    try cluster.apply(deployment("nginx:1.25"))
    cluster.advance(by: 120_000)
    var most = 0
    var fewestAvailable = Int.max
    var writes = 0
    cluster.store.watch { event in
      guard event.object is Pod || event.object is ReplicaSet else { return }
      writes += 1
      let pods = self.activePods(cluster)
      most = max(most, pods.count)
      fewestAvailable = min(
        fewestAvailable, pods.filter { $0.status.condition("Ready")?.status == "True" }.count)
    }
    try cluster.apply(deployment("nginx:1.27"))
    cluster.advance(by: 600_000)
    let pods = activePods(cluster)
    #expect(pods.count == 10)
    #expect(pods.allSatisfy { $0.spec.containers[0].image == "nginx:1.27" })
    #expect(writes > 50)
    #expect(most == 13)
    #expect(fewestAvailable == 8)
  }

  @Test func recreateStartsNoNewPodWhileAnOldOneExists() throws {
    let cluster = Cluster(seed: 3)
    for index in 1...4 { try cluster.addNode("node-\(index)") }
    try cluster.apply(deployment("nginx:1.25", strategy: "Recreate"))
    cluster.advance(by: 120_000)
    var overlap = false
    cluster.store.watch { event in
      guard event.object is Pod else { return }
      let images = Set(
        cluster.store.pods.list(namespace: "default").map { $0.spec.containers[0].image })
      if images.count > 1 { overlap = true }
    }
    try cluster.apply(deployment("nginx:1.27", strategy: "Recreate"))
    cluster.advance(by: 600_000)
    #expect(!overlap)
    #expect(activePods(cluster).map { $0.spec.containers[0].image } == Array(repeating: "nginx:1.27", count: 10))
  }
}

@Suite struct SlowStartTests {
  @Test func batchesDoubleAndStopAfterABatchWithAFailure() {
    var calls = 0
    let created = WorkQueue.slowStartBatch(10) {
      calls += 1
      return calls != 3
    }
    // Batches of 1 and 2: the second holds the failure, so the 4-batch is never tried.
    #expect(calls == 3)
    #expect(created == 2)
    calls = 0
    #expect(WorkQueue.slowStartBatch(10) { calls += 1; return true } == 10)
    #expect(calls == 10)
  }
}
