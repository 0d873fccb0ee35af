/// Upstream `nodeaffinity`: `nodeSelector` and required node affinity must both match; the
/// score sums the weights of the preferred terms a node matches.
public struct NodeAffinityFilter: FilterPlugin {
  public let name = "NodeAffinity"
  static let reason = "node(s) didn't match Pod's node affinity/selector"

  public func isRelevant(to pod: PodInfo) -> Bool {
    !pod.nodeSelector.isEmpty || !(pod.nodeAffinity?.required.isEmpty ?? true)
  }

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    for (key, value) in pod.nodeSelector where node.labels[key] != value {
      return .unschedulableAndUnresolvable([NodeAffinityFilter.reason])
    }
    if let affinity = pod.nodeAffinity, !affinity.required.isEmpty,
      !affinity.required.contains(where: { $0.matches(labels: node.labels, name: node.name) })
    {
      return .unschedulableAndUnresolvable([NodeAffinityFilter.reason])
    }
    return .success
  }
}

public struct NodeAffinityScore: ScorePlugin {
  public let name = "NodeAffinity"
  public let weight: Int64 = 2

  public func isRelevant(to pod: PodInfo) -> Bool { !(pod.nodeAffinity?.preferred.isEmpty ?? true) }

  public func score(_ pod: PodInfo, _ node: NodeInfo) -> Int64 {
    guard let affinity = pod.nodeAffinity else { return 0 }
    return affinity.preferred.reduce(0) { total, preference in
      preference.term.matches(labels: node.labels, name: node.name)
        ? total + Int64(preference.weight) : total
    }
  }

  public func normalize(_ scores: inout [Int64]) { defaultNormalize(&scores, reverse: false) }
}
