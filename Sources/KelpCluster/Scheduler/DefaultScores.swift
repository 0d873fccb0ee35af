/// The default profile's scores computed directly, one pass over the nodes, with each plugin's
/// normalization and weight as `PluginRegistry.scores` has them (see `DefaultFilters`).
enum DefaultScores {
  static func totals(_ pod: PodInfo, _ nodes: [NodeInfo]) -> [Int64] {
    let taint = TaintTolerationScore()
    let affinity = NodeAffinityScore()
    let fit = NodeResourcesFitScore()
    let balanced = BalancedAllocation()
    let scoreAffinity = affinity.isRelevant(to: pod)
    var taints = [Int64](repeating: 0, count: nodes.count)
    var affinities = [Int64](repeating: 0, count: nodes.count)
    var totals = [Int64](repeating: 0, count: nodes.count)
    for (index, node) in nodes.enumerated() {
      if !node.taints.isEmpty { taints[index] = taint.score(pod, node) }
      if scoreAffinity { affinities[index] = affinity.score(pod, node) }
      totals[index] =
        fit.score(pod, node) * fit.weight + balanced.score(pod, node) * balanced.weight
    }
    taint.normalize(&taints)
    if scoreAffinity { affinity.normalize(&affinities) }
    for index in totals.indices {
      totals[index] += taints[index] * taint.weight + affinities[index] * affinity.weight
    }
    return totals
  }
}
