/// The default profile's filters called directly, in `PluginRegistry.filters` order: the same
/// verdicts as running the registry's list, without a dynamic call per plugin per node, which
/// is most of a scheduling cycle on a large cluster. A test checks the two paths agree.
struct DefaultFilters {
  let nodeName: Bool
  let nodeAffinity: Bool
  let nodePorts: Bool

  init(_ pod: PodInfo) {
    nodeName = NodeName().isRelevant(to: pod)
    nodeAffinity = NodeAffinityFilter().isRelevant(to: pod)
    nodePorts = NodePorts().isRelevant(to: pod)
  }

  @inline(__always)
  func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    var status = NodeUnschedulable().filter(pod, node)
    if !status.passed { return status }
    if nodeName {
      status = NodeName().filter(pod, node)
      if !status.passed { return status }
    }
    if !node.taints.isEmpty {
      status = TaintTolerationFilter().filter(pod, node)
      if !status.passed { return status }
    }
    if nodeAffinity {
      status = NodeAffinityFilter().filter(pod, node)
      if !status.passed { return status }
    }
    if nodePorts {
      status = NodePorts().filter(pod, node)
      if !status.passed { return status }
    }
    return NodeResourcesFitFilter().filter(pod, node)
  }
}
