/// Upstream `nodename`: a pod that names a node in `spec.nodeName` fits only that node.
public struct NodeName: FilterPlugin {
  public let name = "NodeName"
  static let reason = "node(s) didn't match the requested node name"

  public func isRelevant(to pod: PodInfo) -> Bool { !pod.nodeName.isEmpty }

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    pod.nodeName.isEmpty || pod.nodeName == node.name
      ? .success : .unschedulableAndUnresolvable([NodeName.reason])
  }
}
