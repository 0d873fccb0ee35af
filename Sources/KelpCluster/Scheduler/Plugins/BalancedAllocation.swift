/// Upstream `noderesources` BalancedAllocation: prefers nodes whose CPU and memory would be used
/// in equal shares: `(1 - standard deviation of the fractions) * 100`, from the pods' real
/// requests (no non-zero defaults, unlike LeastAllocated).
public struct BalancedAllocation: ScorePlugin {
  public let name = "NodeResourcesBalancedAllocation"
  public let weight: Int64 = 1

  public func score(_ pod: PodInfo, _ node: NodeInfo) -> Int64 {
    guard node.allocatableCPU > 0, node.allocatableMemory > 0 else { return 0 }
    let cpu = min(1, Double(node.requestedCPU + pod.cpu) / Double(node.allocatableCPU))
    let memory = min(
      1, Double(node.requestedMemory + pod.memory) / Double(node.allocatableMemory))
    // With two resources the standard deviation is half their difference.
    let deviation = abs(cpu - memory) / 2
    return Int64((1 - deviation) * 100)
  }
}
