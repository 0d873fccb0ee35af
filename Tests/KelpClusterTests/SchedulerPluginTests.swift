import Testing

@testable import KelpCluster

/// Fixtures in the style of kube-scheduler's tests: `makePod().requests(cpu: 500)`.
func makePod(_ name: String = "p") -> Pod {
  Pod(
    metadata: ObjectMeta(name: name, namespace: "default"),
    spec: PodSpec(containers: [Container(name: "c", image: "nginx:1.25")]))
}

func makeNode(_ name: String = "n", cpu: Int64 = 4000, memoryMi: Int64 = 8192) -> Node {
  var node = Node(metadata: ObjectMeta(name: name))
  let capacity: [String: Quantity] = [
    "cpu": .cpu(millis: cpu), "memory": .bytes(memoryMi << 20),
    "pods": Quantity(milliValue: 110_000, format: .decimalSI),
  ]
  node.status.capacity = capacity
  node.status.allocatable = capacity
  return node
}

extension Pod {
  func requests(cpu: Int64? = nil, memoryMi: Int64? = nil) -> Pod {
    var pod = self
    if let cpu { pod.spec.containers[0].requests["cpu"] = .cpu(millis: cpu) }
    if let memoryMi { pod.spec.containers[0].requests["memory"] = .bytes(memoryMi << 20) }
    return pod
  }
  func selecting(_ labels: [String: String]) -> Pod {
    var pod = self
    pod.spec.nodeSelector = labels
    return pod
  }
  func tolerating(_ toleration: Toleration) -> Pod {
    var pod = self
    pod.spec.tolerations.append(toleration)
    return pod
  }
}

extension Node {
  func labelled(_ labels: [String: String]) -> Node {
    var node = self
    node.metadata.labels = labels
    return node
  }
  func tainted(_ taint: Taint) -> Node {
    var node = self
    node.taints.append(taint)
    return node
  }
  func cordoned() -> Node {
    var node = self
    node.unschedulable = true
    return node
  }
}

@Suite struct SchedulerPluginTests {
  struct FilterCase: CustomTestStringConvertible, Sendable {
    let name: String
    let pod: Pod
    let node: Node
    let expected: FilterStatus
    var testDescription: String { name }
  }

  static let filterCases: [FilterCase] = [
    FilterCase(
      name: "a pod that fits passes", pod: makePod().requests(cpu: 500), node: makeNode(),
      expected: .success),
    FilterCase(
      name: "too much CPU is Insufficient cpu", pod: makePod().requests(cpu: 5000),
      node: makeNode(),
      expected: .unschedulable(["Insufficient cpu"])),
    FilterCase(
      name: "too much of both names both", pod: makePod().requests(cpu: 5000, memoryMi: 9000),
      node: makeNode(),
      expected: .unschedulable(["Insufficient cpu", "Insufficient memory"])),
    FilterCase(
      name: "a cordoned node refuses first, whatever else", pod: makePod().requests(cpu: 5000),
      node: makeNode().cordoned(),
      expected: .unschedulableAndUnresolvable(["node(s) were unschedulable"])),
    FilterCase(
      name: "a node selector that does not match", pod: makePod().selecting(["disk": "ssd"]),
      node: makeNode().labelled(["disk": "hdd"]),
      expected: .unschedulableAndUnresolvable(["node(s) didn't match Pod's node affinity/selector"])
    ),
    FilterCase(
      name: "a node selector that matches", pod: makePod().selecting(["disk": "ssd"]),
      node: makeNode().labelled(["disk": "ssd"]), expected: .success),
    FilterCase(
      name: "an untolerated NoSchedule taint", pod: makePod(),
      node: makeNode().tainted(Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")),
      expected: .unschedulableAndUnresolvable(["node(s) had untolerated taint {dedicated: gpu}"])),
    FilterCase(
      name: "a tolerated taint",
      pod: makePod().tolerating(Toleration(key: "dedicated", operator: "Exists")),
      node: makeNode().tainted(Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")),
      expected: .success),
    FilterCase(
      name: "PreferNoSchedule never filters", pod: makePod(),
      node: makeNode().tainted(Taint(key: "spot", effect: "PreferNoSchedule")), expected: .success),
  ]

  @Test(arguments: filterCases)
  func filterVerdicts(_ example: FilterCase) {
    let pod = PodInfo(pod: example.pod)
    let node = NodeInfo(node: example.node)
    let status = Scheduler.runFilters(
      PluginRegistry.filters.filter { $0.isRelevant(to: pod) }, pod, node)
    #expect(status == example.expected)
    // The direct path of the default profile gives the same verdict.
    #expect(DefaultFilters(pod).filter(pod, node) == example.expected)
  }

  @Test func leastAllocatedMatchesUpstreamsWorkedExample() {
    // One node of 4 CPU / 8Gi holding pods that request 1 CPU / 1Gi; the new pod requests
    // nothing, so the 100m / 200Mi defaults count: (72 + 85) / 2 = 78.
    let node = NodeInfo(node: makeNode())
    node.add(PodInfo(pod: makePod("existing").requests(cpu: 1000, memoryMi: 1024)))
    let pod = PodInfo(pod: makePod())
    #expect(NodeResourcesFitScore().score(pod, node) == 78)
    // Balanced allocation uses real requests: |0.25 - 0.125| / 2 = 0.0625 → 93.
    #expect(BalancedAllocation().score(pod, node) == 93)
  }

  @Test func taintTolerationScoreIsReversedAndNormalized() {
    var scores: [Int64] = [0, 1, 2]
    TaintTolerationScore().normalize(&scores)
    #expect(scores == [100, 50, 0])
    var none: [Int64] = [0, 0]
    TaintTolerationScore().normalize(&none)
    #expect(none == [100, 100])
  }

  @Test(arguments: [
    (3, 3), (99, 99), (100, 100), (200, 100), (1000, 420), (5000, 500), (6000, 300),
  ])
  func feasibleNodesToFindFollowsTheAdaptivePercentage(_ nodes: Int, _ expected: Int) {
    #expect(Scheduler.feasibleNodesToFind(nodes) == expected)
  }

  @Test func defaultScoresEqualTheRegistrysWeightedSum() {
    let cluster = Cluster(seed: 1)
    let scheduler = cluster.scheduler!
    var nodes: [NodeInfo] = []
    for index in 0..<6 {
      var node = makeNode("n\(index)", cpu: 2000 + Int64(index) * 500).labelled([
        "zone": index % 2 == 0 ? "a" : "b"
      ])
      if index % 3 == 0 { node = node.tainted(Taint(key: "spot", effect: "PreferNoSchedule")) }
      let info = NodeInfo(node: node)
      info.add(
        PodInfo(
          pod: makePod("x\(index)").requests(cpu: Int64(index) * 100, memoryMi: Int64(index) * 300))
      )
      nodes.append(info)
    }
    scheduler.nodes = nodes
    var pod = makePod().requests(cpu: 250, memoryMi: 256)
    pod.spec.nodeAffinity = NodeAffinity(
      required: [],
      preferred: [
        (
          weight: 40,
          term: NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"])
          ])
        )
      ])
    let info = PodInfo(pod: pod)
    let direct = DefaultScores.totals(info, nodes)
    var generic = [Int64](repeating: 0, count: nodes.count)
    for plugin in PluginRegistry.scores where plugin.isRelevant(to: info) {
      var scores = nodes.map { plugin.score(info, $0) }
      plugin.normalize(&scores)
      for index in generic.indices { generic[index] += scores[index] * plugin.weight }
    }
    #expect(direct == generic)
  }
}
