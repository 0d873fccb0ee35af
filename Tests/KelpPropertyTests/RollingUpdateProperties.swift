import PropertyBased
import Testing

@testable import KelpCluster

/// `maxSurge` or `maxUnavailable` as written: an integer or a percentage.
enum IntOrPercent: Sendable, CustomStringConvertible {
  case int(Int)
  case percent(Int)

  var json: JSONValue {
    switch self {
    case .int(let n): .int(Int64(n))
    case .percent(let p): .string("\(p)%")
    }
  }

  var isZero: Bool {
    switch self {
    case .int(let n): n == 0
    case .percent(let p): p == 0
    }
  }

  /// Upstream `intstr.GetScaledValueFromIntOrPercent`: percentages of `total`, rounded up or down.
  func resolved(total: Int, roundUp: Bool) -> Int {
    switch self {
    case .int(let n): return n
    case .percent(let p):
      let scaled = p * total
      return roundUp ? (scaled + 99) / 100 : scaled / 100
    }
  }

  var description: String {
    switch self {
    case .int(let n): "\(n)"
    case .percent(let p): "\(p)%"
    }
  }
}

struct GeneratedRollout: Sendable, CustomStringConvertible {
  var replicas: Int
  var maxSurge: IntOrPercent
  var maxUnavailable: IntOrPercent
  /// How long a new pod takes to become Ready.
  var readyAfterSeconds: Int

  /// Upstream `deploymentutil.ResolveFenceposts`: surge rounds up, unavailability down, and
  /// when both come to 0 one pod may be unavailable so the rollout can progress.
  var bounds: (surge: Int, unavailable: Int) {
    let surge = maxSurge.resolved(total: replicas, roundUp: true)
    let unavailable = maxUnavailable.resolved(total: replicas, roundUp: false)
    return (surge, surge == 0 && unavailable == 0 ? 1 : unavailable)
  }

  var description: String {
    "replicas \(replicas), maxSurge \(maxSurge), maxUnavailable \(maxUnavailable), ready after \(readyAfterSeconds)s → bounds \(bounds)"
  }
}

enum RolloutGen {
  static let intOrPercent = Gen.frequency(
    (1, Gen.int(in: 0...4).map { IntOrPercent.int($0) }.eraseToAny()),
    (1, pick([0, 1, 10, 25, 33, 50, 75, 100]).map { IntOrPercent.percent($0) }.eraseToAny()),
  )

  /// Validation refuses maxSurge and maxUnavailable both 0, and maxUnavailable above 100%.
  static let rollout = zip(Gen.int(in: 1...12), intOrPercent, intOrPercent, pick([0, 0, 5, 20]))
    .map { GeneratedRollout(replicas: $0, maxSurge: $1, maxUnavailable: $2, readyAfterSeconds: $3) }
    .filter { !($0.maxSurge.isZero && $0.maxUnavailable.isZero) }
}

@Suite struct RollingUpdateProperties {
  func deployment(_ rollout: GeneratedRollout, image: String) -> JSONValue {
    [
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
      "spec": [
        "replicas": .int(Int64(rollout.replicas)), "selector": ["matchLabels": ["app": "web"]],
        "strategy": [
          "type": "RollingUpdate",
          "rollingUpdate": [
            "maxSurge": rollout.maxSurge.json, "maxUnavailable": rollout.maxUnavailable.json,
          ],
        ],
        "template": [
          "metadata": [
            "labels": ["app": "web"],
            "annotations": ["kelp.dev/ready-after": .string("\(rollout.readyAfterSeconds)s")],
          ],
          "spec": ["containers": [["name": "c", "image": .string(image)]]],
        ],
      ],
    ]
  }

  /// The Deployment's pods: not being deleted, not finished (upstream `FilterActivePods`).
  func activePods(_ cluster: Cluster) -> [Pod] {
    cluster.store.pods.list(namespace: "default").filter {
      $0.metadata.deletionTimestamp == nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }
  }

  /// What Kubernetes promises for a RollingUpdate (docs, "Rolling Update Deployment"): at most
  /// replicas + maxSurge pods exist, and at least replicas − maxUnavailable are available, at
  /// every write to the store while the virtual clock advances second by second through an
  /// image change; and the rollout finishes with every pod on the new image.
  @Test func aRolloutStaysWithinSurgeAndUnavailability() async {
    var surgeReached = 0
    var unavailabilityReached = 0
    await forAll(RolloutGen.rollout, count: 150, seed: 0x5EED_0020) { rollout in
      let cluster = Cluster(seed: 11)
      for index in 1...3 { try cluster.addNode("node-\(index)", cpu: .cpu(millis: 16_000)) }
      try cluster.apply(deployment(rollout, image: "nginx:1.25"))
      cluster.advance(by: 120_000)
      let (surge, unavailable) = rollout.bounds
      var most = 0
      var fewestAvailable = Int.max
      var firstBreach: String?
      cluster.store.watch { event in
        guard event.object is Pod || event.object is ReplicaSet else { return }
        let pods = self.activePods(cluster)
        let available = pods.filter { $0.status.condition("Ready")?.status == "True" }.count
        most = max(most, pods.count)
        fewestAvailable = min(fewestAvailable, available)
        if firstBreach == nil
          && (pods.count > rollout.replicas + surge || available < rollout.replicas - unavailable)
        {
          firstBreach =
            "at \(cluster.now)ms: \(pods.count) pods, \(available) available: "
            + pods.map { "\($0.metadata.name) \($0.spec.containers[0].image) \($0.status.phase)" }
            .joined(separator: ", ")
        }
      }
      try #require(activePods(cluster).count == rollout.replicas)
      try cluster.apply(deployment(rollout, image: "nginx:1.27"))
      for _ in 0..<600 { cluster.advance(by: 1_000) }
      try #require(firstBreach == nil, "\(firstBreach ?? "")")
      try #require(most <= rollout.replicas + surge)
      try #require(fewestAvailable >= rollout.replicas - unavailable)
      let pods = activePods(cluster)
      try #require(pods.count == rollout.replicas)
      try #require(pods.allSatisfy { $0.spec.containers[0].image == "nginx:1.27" })
      if surge > 0 && most == rollout.replicas + surge { surgeReached += 1 }
      if unavailable > 0 && fewestAvailable == max(rollout.replicas - unavailable, 0) {
        unavailabilityReached += 1
      }
    }
    // The bounds are tight: rollouts use the whole surge, and the whole unavailability budget.
    #expect(surgeReached > 50)
    #expect(unavailabilityReached > 50)
  }
}
