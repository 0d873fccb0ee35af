/// The scheduling framework's two extension points Kelp runs, as in kube-scheduler: a filter
/// says whether a pod may go on a node (and why not, in upstream's words); a score ranks the
/// nodes that pass, 0…100, with the plugin's default weight.
public protocol FilterPlugin: Sendable {
  var name: String { get }
  /// Upstream's PreFilter `Skip`: whether the plugin has anything to check for this pod at all
  /// (NodePorts skips a pod without host ports). Skipped plugins pass every node.
  func isRelevant(to pod: PodInfo) -> Bool
  func filter(_ pod: PodInfo, _ node: NodeInfo) -> FilterStatus
}

public protocol ScorePlugin: Sendable {
  var name: String { get }
  var weight: Int64 { get }
  /// Upstream's PreScore `Skip`: a skipped plugin adds 0 to every node.
  func isRelevant(to pod: PodInfo) -> Bool
  func score(_ pod: PodInfo, _ node: NodeInfo) -> Int64
  /// Rescales raw scores to 0…100 (upstream `NormalizeScore`); most plugins need nothing.
  func normalize(_ scores: inout [Int64])
}

extension ScorePlugin {
  public func normalize(_ scores: inout [Int64]) {}
  public func isRelevant(to pod: PodInfo) -> Bool { true }
}

extension FilterPlugin {
  public func isRelevant(to pod: PodInfo) -> Bool { true }
}

public enum FilterStatus: Equatable, Sendable {
  case success
  /// The node does not fit now; preemption might help.
  case unschedulable([String])
  /// Nothing short of changing the node or the pod will help.
  case unschedulableAndUnresolvable([String])

  /// Cheaper than `== .success`, which compares payloads.
  @inline(__always)
  public var passed: Bool {
    if case .success = self { return true }
    return false
  }

  public var reasons: [String] {
    switch self {
    case .success: return []
    case .unschedulable(let reasons), .unschedulableAndUnresolvable(let reasons): return reasons
    }
  }
}

/// Upstream `helper.DefaultNormalizeScore`: scale so the highest is 100, optionally reversed.
func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
  let highest = scores.max() ?? 0
  if highest == 0 {
    if reverse { for index in scores.indices { scores[index] = 100 } }
    return
  }
  for index in scores.indices {
    var score = 100 * scores[index] / highest
    if reverse { score = 100 - score }
    scores[index] = score
  }
}

/// The default plugin set of kube-scheduler v1.32 that Kelp simulates, in upstream's order.
public enum PluginRegistry {
  public static let filters: [any FilterPlugin] = [
    NodeUnschedulable(), NodeName(), TaintTolerationFilter(), NodeAffinityFilter(), NodePorts(),
    NodeResourcesFitFilter(),
  ]
  public static let scores: [any ScorePlugin] = [
    TaintTolerationScore(), NodeAffinityScore(), NodeResourcesFitScore(), BalancedAllocation(),
  ]
}
