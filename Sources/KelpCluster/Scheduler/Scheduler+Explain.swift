/// `(explain-scheduling POD)`: every node's filter verdict and score for a pod, as the scheduler
/// would judge it now, without binding it.
extension Scheduler {
  public struct NodeVerdict: Sendable {
    public var node: String
    /// The first filter that refused the node and its verdict; nil when every filter passed.
    public var failedFilter: (plugin: String, status: FilterStatus)?
    /// Normalized score per plugin (before weights), for nodes that passed.
    public var scores: [(plugin: String, score: Int64, weight: Int64)] = []
    public var total: Int64 = 0
  }

  /// A pod the scheduler already placed is judged as if it were not there yet.
  public func explain(_ pod: Pod) -> [NodeVerdict] {
    var unplaced = pod
    if let placed = assigned[pod.key], let index = position[placed.node] {
      nodes[index].add(placed.pod, sign: -1)
      unplaced.spec.nodeName = ""
    }
    defer {
      if let placed = assigned[pod.key], let index = position[placed.node] {
        nodes[index].add(placed.pod)
      }
    }
    let info = PodInfo(pod: unplaced)
    var verdicts: [NodeVerdict] = []
    var feasible: [Int] = []
    for (index, node) in nodes.enumerated() {
      var verdict = NodeVerdict(node: node.name)
      for plugin in filters {
        let status = plugin.filter(info, node)
        if status != .success {
          verdict.failedFilter = (plugin.name, status)
          break
        }
      }
      if verdict.failedFilter == nil { feasible.append(index) }
      verdicts.append(verdict)
    }
    for plugin in scorers {
      var scores = feasible.map { plugin.score(info, nodes[$0]) }
      plugin.normalize(&scores)
      for (position, index) in feasible.enumerated() {
        verdicts[index].scores.append((plugin.name, scores[position], plugin.weight))
        verdicts[index].total += scores[position] * plugin.weight
      }
    }
    return verdicts
  }

  /// The verdicts as a table: one row per node.
  public func explanation(_ pod: Pod) -> String {
    let verdicts = explain(pod)
    let anyPassed = verdicts.contains { $0.failedFilter == nil }
    var text = "NODE\tFILTERS"
    if anyPassed {
      text += "\t" + scorers.map { "\($0.name)(x\($0.weight))" }.joined(separator: "\t") + "\tTOTAL"
    }
    text += "\n"
    // Nodes that passed first, the filtered ones after: their reasons are one long cell, and
    // below the score rows they leave those columns aligned.
    let ordered = verdicts.filter { $0.failedFilter == nil } + verdicts.filter { $0.failedFilter != nil }
    for verdict in ordered {
      if let failed = verdict.failedFilter {
        text +=
          "\(verdict.node)\t\(failed.plugin): \(failed.status.reasons.joined(separator: ", "))\n"
      } else {
        text +=
          "\(verdict.node)\tpassed\t"
          + verdict.scores.map { String($0.score) }.joined(separator: "\t")
          + "\t\(verdict.total)\n"
      }
    }
    let best = verdicts.filter { $0.failedFilter == nil }.map(\.total).max()
    var summary = TabWriter.get.format(text)
    if let best {
      let winners = verdicts.filter { $0.failedFilter == nil && $0.total == best }.map(\.node)
      summary +=
        winners.count == 1
        ? "highest score: \(winners[0])\n"
        : "highest score shared by \(winners.joined(separator: ", ")): the scheduler picks one at random (seeded)\n"
    } else {
      var diagnosis = Diagnosis(total: verdicts.count)
      for verdict in verdicts {
        if let failed = verdict.failedFilter { diagnosis.count(failed.status) }
      }
      summary += diagnosis.message + "\n"
    }
    return summary
  }
}
