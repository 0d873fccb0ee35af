/// Upstream `noderesources` Fit: the pod's requests (CPU, memory, ephemeral storage and
/// extended resources such as `nvidia.com/gpu`) must fit in what the node has left, and the
/// node must have room for one more pod; a node that does not offer an extended resource has
/// none of it. The score is LeastAllocated: the share of CPU and
/// memory left free after placing the pod, averaged with equal weights.
public struct NodeResourcesFitFilter: FilterPlugin {
  public let name = "NodeResourcesFit"

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    // The common case first, without building a list of reasons.
    if node.podCount < node.allocatablePods
      && (pod.cpu == 0 || node.requestedCPU + pod.cpu <= node.allocatableCPU)
      && (pod.memory == 0 || node.requestedMemory + pod.memory <= node.allocatableMemory)
      && pod.scalars.allSatisfy({ fits($0.key, $0.value, node) })
    {
      return .success
    }
    var reasons: [String] = []
    if node.podCount + 1 > node.allocatablePods { reasons.append("Too many pods") }
    if pod.cpu > 0 && node.requestedCPU + pod.cpu > node.allocatableCPU {
      reasons.append("Insufficient cpu")
    }
    if pod.memory > 0 && node.requestedMemory + pod.memory > node.allocatableMemory {
      reasons.append("Insufficient memory")
    }
    // ephemeral-storage first, then the others by name (upstream walks a map).
    let storageFirst = pod.scalars.keys.sorted { ($0 == "ephemeral-storage" ? "" : $0) < ($1 == "ephemeral-storage" ? "" : $1) }
    for resource in storageFirst where !fits(resource, pod.scalars[resource] ?? 0, node) {
      reasons.append("Insufficient \(resource)")
    }
    return reasons.isEmpty ? .success : .unschedulable(reasons)
  }

  private func fits(_ resource: String, _ amount: Int64, _ node: NodeInfo) -> Bool {
    amount <= (node.allocatableScalars[resource] ?? 0) - (node.requestedScalars[resource] ?? 0)
  }
}

public struct NodeResourcesFitScore: ScorePlugin {
  public let name = "NodeResourcesFit"
  public let weight: Int64 = 1

  public func score(_ pod: PodInfo, _ node: NodeInfo) -> Int64 {
    func leastAllocated(_ requested: Int64, _ capacity: Int64) -> Int64 {
      guard capacity > 0, requested <= capacity else { return 0 }
      return (capacity - requested) * 100 / capacity
    }
    let cpu = leastAllocated(node.nonZeroCPU + pod.nonZeroCPU, node.allocatableCPU)
    let memory = leastAllocated(node.nonZeroMemory + pod.nonZeroMemory, node.allocatableMemory)
    return (cpu + memory) / 2
  }
}
