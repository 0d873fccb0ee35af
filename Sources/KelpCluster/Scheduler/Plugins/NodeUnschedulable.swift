/// Upstream `nodeunschedulable`: a cordoned node takes only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
public struct NodeUnschedulable: FilterPlugin {
  public let name = "NodeUnschedulable"
  static let reason = "node(s) were unschedulable"

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    guard node.unschedulable else { return .success }
    let taint = Taint(key: Taint.unschedulableKey, effect: "NoSchedule")
    if pod.tolerations.contains(where: { $0.tolerates(taint) }) { return .success }
    return .unschedulableAndUnresolvable([NodeUnschedulable.reason])
  }
}
