import PropertyBased
import Testing

@testable import KelpCluster

struct GeneratedNode: Sendable, CustomStringConvertible {
  var cpuMillis: Int64
  var memoryMi: Int64
  var pods: Int
  var labels: [String: String]
  var taints: [Taint]

  var description: String {
    "node(cpu \(cpuMillis)m, memory \(memoryMi)Mi, pods \(pods), labels \(labels), taints \(taints.map(\.description)))"
  }
}

struct GeneratedPod: Sendable, CustomStringConvertible {
  var cpuMillis: Int64?
  var memoryMi: Int64?
  var nodeSelector: [String: String]
  var tolerations: [Toleration]
  /// Virtual milliseconds to let pass before creating the next pod.
  var pause: Int
  /// An earlier pod (by number) to delete before creating this one, freeing its room.
  var deleteFirst: Int?

  var description: String {
    let tolerated = tolerations.map { "\($0.key) \($0.operator) \($0.value):\($0.effect)" }
    return
      "pod(cpu \(cpuMillis.map { "\($0)m" } ?? "-"), memory \(memoryMi.map { "\($0)Mi" } ?? "-"), selector \(nodeSelector), tolerations \(tolerated), then \(pause)ms\(deleteFirst.map { ", after deleting pod-\($0)" } ?? ""))"
  }
}

/// Upstream `Toleration.ToleratesTaint`, written out again so the property does not trust
/// Kelp's copy: an empty effect or key matches any; `Exists` ignores the value.
func referenceTolerates(_ toleration: Toleration, _ taint: Taint) -> Bool {
  if !toleration.effect.isEmpty && toleration.effect != taint.effect { return false }
  if !toleration.key.isEmpty && toleration.key != taint.key { return false }
  return toleration.operator == "Exists" || toleration.value == taint.value
}

enum SchedulingGen {
  static let taintPool = [
    Taint(key: "dedicated", value: "gpu", effect: "NoSchedule"),
    Taint(key: "dedicated", value: "db", effect: "NoExecute"),
    Taint(key: "spot", effect: "NoExecute"),
    Taint(key: "maintenance", value: "yes", effect: "PreferNoSchedule"),
    Taint(key: "example.com/flaky", value: "true", effect: "NoSchedule"),
  ]
  static let tolerationPool = [
    Toleration(key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule"),
    Toleration(key: "dedicated", operator: "Exists"),
    Toleration(key: "dedicated", operator: "Equal", value: "db"),
    Toleration(key: "spot", operator: "Exists", effect: "NoExecute"),
    Toleration(key: "example.com/flaky", operator: "Equal", value: "false", effect: "NoSchedule"),
    Toleration(operator: "Exists"),
  ]

  static let labels = zip(pick(["", "ssd", "hdd"]), pick(["", "a", "b"])).map { disk, zone in
    var labels: [String: String] = [:]
    if !disk.isEmpty { labels["disk"] = disk }
    if !zone.isEmpty { labels["topology.kubernetes.io/zone"] = zone }
    return labels
  }

  static let node = zip(
    pick([500, 1000, 2000, 4000] as [Int64]), pick([512, 1024, 4096] as [Int64]),
    Gen.int(in: 1...6), labels, Gen.int(in: 0..<taintPool.count).set(ofAtMost: 0...2)
  ).map { cpu, memory, pods, labels, taints in
    GeneratedNode(
      cpuMillis: cpu, memoryMi: memory, pods: pods, labels: labels,
      taints: taints.sorted().map { taintPool[$0] })
  }

  static let pod = zip(
    pick([nil, 100, 250, 500, 1000, 1500] as [Int64?]), pick([nil, 64, 256, 1024] as [Int64?]),
    labels, Gen.int(in: 0..<tolerationPool.count).set(ofAtMost: 0...2),
    pick([0, 0, 0, 1, 1000, 30_000]), Gen.int(in: 0...23).optional(valueRate: 0.2)
  ).map { cpu, memory, selector, tolerations, pause, deleteFirst in
    GeneratedPod(
      cpuMillis: cpu, memoryMi: memory, nodeSelector: selector,
      tolerations: tolerations.sorted().map { tolerationPool[$0] }, pause: pause,
      deleteFirst: deleteFirst)
  }

  static let cluster = zip(node.array(of: 1...5), pod.array(of: 1...24))
}

@Suite struct SchedulerSafetyProperties {
  /// Random nodes (capacity, labels, taints) and random pods (requests, nodeSelector,
  /// tolerations): once the cluster settles, no node holds more than its allocatable cpu, memory
  /// and pod count; every bound pod tolerates its node's NoSchedule and NoExecute taints and
  /// matches its nodeSelector; and a pod left Pending fits no node (the scheduler is not lazy,
  /// also when deleting pods made room).
  @Test func scheduledPodsFitTolerateAndMatchTheirNodes() async {
    var runsWithPendingPods = 0
    var podsOnTaintedNodes = 0
    var podsOnFullNodes = 0
    await forAll(SchedulingGen.cluster, count: 400, seed: 0x5EED_0010) { nodes, pods in
      let cluster = Cluster(seed: 7)
      for (index, node) in nodes.enumerated() {
        try cluster.addNode(
          "node-\(index + 1)", cpu: .cpu(millis: node.cpuMillis),
          memory: .bytes(node.memoryMi << 20), pods: node.pods, labels: node.labels,
          taints: node.taints)
      }
      for (index, generated) in pods.enumerated() {
        if let earlier = generated.deleteFirst, earlier < index {
          try? cluster.delete(.pod, "pod-\(earlier)")
        }
        var pod = Pod(
          metadata: ObjectMeta(name: "pod-\(index)", namespace: "default"),
          spec: PodSpec(containers: [Container(name: "c", image: "nginx:1.25")]))
        if let cpu = generated.cpuMillis {
          pod.spec.containers[0].requests["cpu"] = .cpu(millis: cpu)
        }
        if let memory = generated.memoryMi {
          pod.spec.containers[0].requests["memory"] = .bytes(memory << 20)
        }
        pod.spec.nodeSelector = generated.nodeSelector
        pod.spec.tolerations = generated.tolerations
        try cluster.apply(pod.encoded(serverFields: false))
        cluster.advance(by: Millis(generated.pause))
      }
      cluster.advance(by: 120_000)
      try cluster.checkInvariants()

      let live = cluster.store.pods.list(namespace: "default").filter {
        $0.status.phase != .succeeded && $0.status.phase != .failed
      }
      var used: [String: (cpu: Int64, memory: Int64, pods: Int)] = [:]
      for pod in live where !pod.spec.nodeName.isEmpty {
        let requests = pod.resourceRequests
        let sum = used[pod.spec.nodeName] ?? (0, 0, 0)
        used[pod.spec.nodeName] = (
          sum.cpu + requests.cpuMillis, sum.memory + requests.memoryBytes, sum.pods + 1
        )
      }
      let nodeObjects = Dictionary(
        uniqueKeysWithValues: cluster.store.nodes.list().map { ($0.metadata.name, $0) })
      for (index, node) in nodes.enumerated() {
        let sum = used["node-\(index + 1)"] ?? (0, 0, 0)
        try #require(sum.cpu <= node.cpuMillis, "node-\(index + 1) cpu \(sum.cpu)m")
        try #require(sum.memory <= node.memoryMi << 20, "node-\(index + 1) memory \(sum.memory)")
        try #require(sum.pods <= node.pods, "node-\(index + 1) holds \(sum.pods) pods")
      }
      if live.contains(where: { $0.spec.nodeName.isEmpty }) { runsWithPendingPods += 1 }
      for pod in live {
        let generated = pods[Int(pod.metadata.name.dropFirst(4)) ?? 0]
        let fits = { (name: String, spec: GeneratedNode) -> Bool in
          let requests = pod.resourceRequests
          let alreadyThere = pod.spec.nodeName == name ? requests : (0, 0)
          let sum = used[name] ?? (0, 0, 0)
          return spec.taints.allSatisfy { taint in
            taint.effect == "PreferNoSchedule"
              || generated.tolerations.contains { referenceTolerates($0, taint) }
          }
            && generated.nodeSelector.allSatisfy {
              nodeObjects[name]?.metadata.labels[$0.key] == $0.value
            }
            && sum.cpu - alreadyThere.0 + requests.cpuMillis <= spec.cpuMillis
            && sum.memory - alreadyThere.1 + requests.memoryBytes <= spec.memoryMi << 20
            && sum.pods - (pod.spec.nodeName == name ? 1 : 0) + 1 <= spec.pods
        }
        if pod.spec.nodeName.isEmpty {
          let fitting = nodes.enumerated().filter { fits("node-\($0.offset + 1)", $0.element) }
          try #require(
            fitting.isEmpty,
            "\(pod.metadata.name) is Pending but fits node-\(fitting.map { $0.offset + 1 })")
        } else {
          let index = (Int(pod.spec.nodeName.dropFirst(5)) ?? 1) - 1
          try #require(
            fits(pod.spec.nodeName, nodes[index]),
            "\(pod.metadata.name) does not belong on \(pod.spec.nodeName)")
          if nodes[index].taints.contains(where: { $0.effect != "PreferNoSchedule" }) {
            podsOnTaintedNodes += 1
          }
          if used[pod.spec.nodeName]?.pods == nodes[index].pods { podsOnFullNodes += 1 }
        }
      }
    }
    // The inputs reach the interesting cases: pods left Pending, pods that needed a toleration,
    // nodes filled to their pod limit.
    #expect(runsWithPendingPods > 200)
    #expect(podsOnTaintedNodes > 180)
    #expect(podsOnFullNodes > 160)
  }
}
