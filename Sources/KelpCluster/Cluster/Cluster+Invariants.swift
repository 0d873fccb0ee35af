/// What must hold after every step of a simulation, checked by the tests (swift-collections'
/// `_checkInvariants` habit): the store's bookkeeping, the clock's order, and the scheduler's
/// node accounting against the store.
extension Cluster {
  public struct InvariantViolation: Error, CustomStringConvertible {
    public let description: String
  }

  public func checkInvariants() throws(InvariantViolation) {
    try store.checkInvariants()
    try clock.checkInvariants()
    try scheduler.checkInvariants()
  }
}

extension ObjectStore {
  func checkInvariants() throws(Cluster.InvariantViolation) {
    var versions: Set<Int> = []
    func check<T: APIObject>(_ table: ObjectTable<T>) throws(Cluster.InvariantViolation) {
      for (key, object) in table.objects {
        guard key == object.key else {
          throw .init(description: "\(T.resource.kind) stored under \(key) is named \(object.key)")
        }
        guard !object.metadata.uid.isEmpty, object.metadata.resourceVersion <= resourceVersion,
          versions.insert(object.metadata.resourceVersion).inserted
        else {
          throw .init(description: "\(T.resource.kind) \(key) has a bad uid or resource version")
        }
        if T.resource.namespaced && namespaces.get("", object.metadata.namespace) == nil {
          throw .init(
            description: "\(T.resource.kind) \(key) lives in a namespace that does not exist")
        }
      }
    }
    try check(pods)
    try check(nodes)
    try check(namespaces)
    try check(replicaSets)
    try check(deployments)
  }
}

extension VirtualClock {
  func checkInvariants() throws(Cluster.InvariantViolation) {
    if let next = nextDueTime, next < now {
      throw .init(description: "an action is due at \(next), before the clock's time \(now)")
    }
  }
}

extension Scheduler {
  /// Each node's requested resources are the sum of the pods bound to it that still run.
  func checkInvariants() throws(Cluster.InvariantViolation) {
    var expected: [String: (cpu: Int64, memory: Int64, pods: Int)] = [:]
    for pod in cluster.store.pods.unordered
    where !pod.spec.nodeName.isEmpty && pod.status.phase != .succeeded
      && pod.status.phase != .failed
    {
      let requests = pod.resourceRequests
      let sum = expected[pod.spec.nodeName] ?? (0, 0, 0)
      expected[pod.spec.nodeName] = (
        sum.cpu + requests.cpuMillis, sum.memory + requests.memoryBytes, sum.pods + 1
      )
    }
    for node in nodes {
      let sum = expected[node.name] ?? (0, 0, 0)
      guard node.requestedCPU == sum.cpu, node.requestedMemory == sum.memory,
        node.podCount == sum.pods
      else {
        throw .init(
          description:
            "scheduler cache for \(node.name): \(node.requestedCPU)m/\(node.requestedMemory)/\(node.podCount) pods, store says \(sum.cpu)m/\(sum.memory)/\(sum.pods)"
        )
      }
    }
    if nodes.count != cluster.store.nodes.count {
      throw .init(
        description: "scheduler knows \(nodes.count) nodes, the store \(cluster.store.nodes.count)")
    }
  }
}
