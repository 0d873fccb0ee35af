/// Upstream `tainttoleration`. The filter refuses a node with a NoSchedule or NoExecute taint
/// the pod does not tolerate; the score prefers nodes with fewer untolerated PreferNoSchedule
/// taints.
public struct TaintTolerationFilter: FilterPlugin {
  public let name = "TaintToleration"

  public func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus {
    for taint in node.taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
      if !pod.tolerations.contains(where: { $0.tolerates(taint) }) {
        return .unschedulableAndUnresolvable([
          "node(s) had untolerated taint {\(taint.key): \(taint.value)}"
        ])
      }
    }
    return .success
  }
}

public struct TaintTolerationScore: ScorePlugin {
  public let name = "TaintToleration"
  public let weight: Int64 = 3

  public func score(_ pod: PodInfo, _ node: NodeInfo) -> Int64 {
    var count: Int64 = 0
    for taint in node.taints where taint.effect == "PreferNoSchedule" {
      if !pod.preferNoScheduleTolerations.contains(where: { $0.tolerates(taint) }) { count += 1 }
    }
    return count
  }

  public func normalize(_ scores: inout [Int64]) { defaultNormalize(&scores, reverse: true) }
}
