import PropertyBased
import Testing

@testable import KelpCluster

/// One step of a storage scenario.
enum VolumeStep: Sendable, CustomStringConvertible {
  /// A PersistentVolume `pv-<n>`: size in Gi, class, reclaim policy, optionally pre-bound to
  /// claim `claim-<m>`.
  case createVolume(Int, sizeGi: Int, className: String, policy: String, claimRef: Int?)
  /// A PersistentVolumeClaim `claim-<n>`: request in Gi, class (nil: the default), optionally
  /// asking for volume `pv-<m>`.
  case createClaim(Int, requestGi: Int, className: String?, volume: Int?)
  case deleteVolume(Int)
  case deleteClaim(Int)
  /// Lets the controllers run for a while.
  case wait(Int)

  var description: String {
    switch self {
    case .createVolume(let n, let size, let className, let policy, let claim):
      "pv-\(n)(\(size)Gi, class \(className.debugDescription), \(policy)\(claim.map { ", for claim-\($0)" } ?? ""))"
    case .createClaim(let n, let request, let className, let volume):
      "claim-\(n)(\(request)Gi, class \(className.map(\.debugDescription) ?? "default")\(volume.map { ", volume pv-\($0)" } ?? ""))"
    case .deleteVolume(let n): "delete pv-\(n)"
    case .deleteClaim(let n): "delete claim-\(n)"
    case .wait(let ms): "wait \(ms)ms"
    }
  }
}

enum VolumeGen {
  static let index = Gen.int(in: 0...3)
  static let className = pick(["", "manual", "local-path"])

  static let step = Gen.frequency(
    (
      3,
      zip(
        index, pick([1, 2, 5]), className, pick(["Retain", "Delete"]),
        index.optional(valueRate: 0.2)
      )
      .map { VolumeStep.createVolume($0, sizeGi: $1, className: $2, policy: $3, claimRef: $4) }
      .eraseToAny()
    ),
    (
      3,
      zip(
        index, pick([1, 2, 5]), className.optional(valueRate: 0.8), index.optional(valueRate: 0.2)
      )
      .map { VolumeStep.createClaim($0, requestGi: $1, className: $2, volume: $3) }.eraseToAny()
    ),
    (1, index.map { VolumeStep.deleteVolume($0) }.eraseToAny()),
    (2, index.map { VolumeStep.deleteClaim($0) }.eraseToAny()),
    (1, pick([0, 1_000, 30_000]).map { VolumeStep.wait($0) }.eraseToAny()),
  )
}

@Suite struct VolumeBindingProperties {
  func volume(_ n: Int, sizeGi: Int, className: String, policy: String, claimRef: Int?)
    -> JSONValue
  {
    var spec: JSONValue = [
      "capacity": ["storage": .string("\(sizeGi)Gi")], "accessModes": ["ReadWriteOnce"],
      "persistentVolumeReclaimPolicy": .string(policy), "storageClassName": .string(className),
      "hostPath": ["path": .string("/data/pv-\(n)")],
    ]
    if let claimRef, case .object(var fields) = spec {
      fields["claimRef"] = ["namespace": "default", "name": .string("claim-\(claimRef)")]
      spec = .object(fields)
    }
    return [
      "apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": .string("pv-\(n)")],
      "spec": spec,
    ]
  }

  func claim(_ n: Int, requestGi: Int, className: String?, volume: Int?) -> JSONValue {
    var spec: JSONValue = [
      "accessModes": ["ReadWriteOnce"],
      "resources": ["requests": ["storage": .string("\(requestGi)Gi")]],
    ]
    if case .object(var fields) = spec {
      if let className { fields["storageClassName"] = .string(className) }
      if let volume { fields["volumeName"] = .string("pv-\(volume)") }
      spec = .object(fields)
    }
    return [
      "apiVersion": "v1", "kind": "PersistentVolumeClaim",
      "metadata": ["name": .string("claim-\(n)"), "namespace": "default"], "spec": spec,
    ]
  }

  /// After any sequence of PV and PVC creations and deletions (static volumes of several
  /// classes, a provisioning default class, pre-bound volumes and claims naming a volume), no
  /// volume is bound to two claims: at most one Bound claim names it, a Bound claim's volume
  /// exists and points back at that very claim (by uid), and no two volumes point at one claim.
  @Test func aVolumeIsBoundToAtMostOneClaim() async {
    var staticBindings = 0
    var provisioned = 0
    var released = 0
    await forAll(VolumeGen.step.array(of: 1...30), count: 600, seed: 0x5EED_0030) { steps in
      let cluster = Cluster(seed: 5)
      try cluster.addNode("node-1")
      try cluster.apply([
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": [
          "name": "local-path",
          "annotations": ["storageclass.kubernetes.io/is-default-class": "true"],
        ],
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
      ])
      for (number, step) in steps.enumerated() {
        switch step {
        case .createVolume(let n, let size, let className, let policy, let claimRef):
          _ = try? cluster.apply(
            volume(n, sizeGi: size, className: className, policy: policy, claimRef: claimRef))
        case .createClaim(let n, let request, let className, let volume):
          _ = try? cluster.apply(claim(n, requestGi: request, className: className, volume: volume))
        case .deleteVolume(let n):
          _ = try? cluster.delete(.persistentVolume, "pv-\(n)")
        case .deleteClaim(let n):
          _ = try? cluster.delete(.persistentVolumeClaim, "claim-\(n)")
        case .wait(let ms):
          cluster.advance(by: Millis(ms))
        }
        cluster.settle()
        try checkBindings(cluster, after: number)
      }
      cluster.advance(by: 60_000)
      try checkBindings(cluster, after: steps.count)
      let volumes = cluster.store.persistentVolumes.list()
      staticBindings +=
        volumes.filter { $0.phase == "Bound" && $0.metadata.name.hasPrefix("pv-") }
        .count
      provisioned += volumes.filter { $0.metadata.name.hasPrefix("pvc-") }.count
      released += volumes.filter { $0.phase == "Released" }.count
    }
    // The scenarios bind static volumes, provision, and release.
    #expect(staticBindings > 150)
    #expect(provisioned > 200)
    #expect(released > 30)
  }

  func checkBindings(_ cluster: Cluster, after step: Int) throws {
    let claims = cluster.store.persistentVolumeClaims.list(namespace: "default")
    let volumes = cluster.store.persistentVolumes.list()
    let bound = claims.filter { $0.phase == "Bound" }
    let names = bound.map(\.volumeName)
    try #require(
      Set(names).count == names.count, "after step \(step): claims share a volume: \(names)")
    for claim in bound {
      let volume = volumes.first { $0.metadata.name == claim.volumeName }
      try #require(
        volume != nil,
        "after step \(step): \(claim.metadata.name) is Bound to a missing \(claim.volumeName)")
      try #require(
        volume?.claimRef?.uid == claim.metadata.uid,
        "after step \(step): \(claim.metadata.name) is Bound to \(claim.volumeName), which points at \(String(describing: volume?.claimRef))"
      )
    }
    let claimed = volumes.filter { $0.phase == "Bound" }.compactMap(\.claimRef?.uid)
    try #require(
      Set(claimed).count == claimed.count, "after step \(step): two Bound volumes claim one uid")
  }
}
