/// Upstream `nodeports`: a host port can be used by one pod per node.
public struct NodePorts: FilterPlugin {
  public let name = "NodePorts"
  static let reason = "node(s) didn't have free ports for the requested pod ports"

  public func isRelevant(to pod: PodInfo) -> Bool { !pod.hostPorts.isEmpty }

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    for port in pod.hostPorts where node.usedHostPorts[port] != nil {
      return .unschedulable([NodePorts.reason])
    }
    return .success
  }
}
