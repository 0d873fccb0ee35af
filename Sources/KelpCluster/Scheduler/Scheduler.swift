/// kube-scheduler: takes pending pods one at a time from its queue, runs the filter plugins over
/// the nodes (stopping once it has found enough feasible ones), scores those, and binds the pod
/// to the best, ties broken by the cluster's seeded random source. A pod that fits nowhere gets
/// a `FailedScheduling` event and waits until the cluster changes.
public final class Scheduler {
  /// The cluster owns this component and its clock, so it always outlives it; unsafe skips the
  /// checked load on every access.
  unowned(unsafe) let cluster: Cluster
  /// Nodes in the order they joined; `position` maps a name to its index.
  var nodes: [NodeInfo] = []

  /// The scheduler's accounting for one node (requested and allocatable), or nil.
  public func nodeInfo(_ name: String) -> NodeInfo? { nodes.first { $0.name == name } }
  var position: [String: Int] = [:]
  /// What each assigned pod holds on its node.
  var assigned: [ObjectKey: (node: String, pod: PodInfo)] = [:]
  var activeQueue: [ObjectKey] = []
  var activeHead = 0
  var queued: Set<ObjectKey> = []
  var unschedulable: [ObjectKey: Attempts] = [:]
  var cycleScheduled = false
  /// Where the next search starts (upstream `nextStartNodeIndex`).
  var nextStartNodeIndex = 0
  /// The plugins that run. Replacing the filters leaves the default profile's direct path.
  public var filters: [any FilterPlugin] = PluginRegistry.filters {
    didSet { usesDefaultFilters = false }
  }
  public var scorers: [any ScorePlugin] = PluginRegistry.scores {
    didSet { usesDefaultScorers = false }
  }
  var usesDefaultFilters = true
  var usesDefaultScorers = true

  struct Attempts {
    var count: Int
    var lastAttempt: Millis
  }

  /// Upstream defaults: back-off 1 s doubling to 10 s; unschedulable pods are retried at the
  /// latest after 5 min (`podMaxInUnschedulablePodsDuration`).
  static let initialBackoff: Millis = 1_000
  static let maxBackoff: Millis = 10_000
  static let maxUnschedulableDuration: Millis = 300_000

  init(cluster: Cluster) { self.cluster = cluster }

  var clock: VirtualClock { cluster.clock }

  // MARK: - Watch

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let pod as Pod: podChanged(pod, removed: event.type == .deleted)
    case let node as Node: nodeChanged(node, removed: event.type == .deleted)
    // A claim that binds may make a waiting pod schedulable.
    case is PersistentVolumeClaim: retryUnschedulable()
    default: break
    }
  }

  private func podChanged(_ pod: Pod, removed: Bool) {
    let key = pod.key
    let holds =
      !removed && !pod.spec.nodeName.isEmpty && pod.status.phase != .succeeded
      && pod.status.phase != .failed
    if let previous = assigned[key], !holds || previous.node != pod.spec.nodeName {
      assigned[key] = nil
      if let index = position[previous.node] { nodes[index].add(previous.pod, sign: -1) }
      retryUnschedulable()
    }
    if holds && assigned[key] == nil {
      let info = PodInfo(pod: pod)
      assigned[key] = (pod.spec.nodeName, info)
      if let index = position[pod.spec.nodeName] { nodes[index].add(info) }
    }
    if removed {
      unschedulable[key] = nil
      unschedulableSpecs[key] = nil
      pendingAttempts[key] = nil
      queued.remove(key)
      return
    }
    guard pod.spec.nodeName.isEmpty, pod.metadata.deletionTimestamp == nil,
      pod.spec.schedulerName == "default-scheduler"
    else { return }
    if let waiting = unschedulable[key] {
      // A change to the pod itself (a toleration added, a selector fixed) may make it fit:
      // retried at once, as upstream's queue does for pod updates. Its own status is no news.
      guard unschedulableSpecs[key] != pod.spec || unschedulableLabels[key] != pod.metadata.labels
      else { return }
      unschedulable[key] = nil
      pendingAttempts[key] = waiting
    }
    enqueue(key)
  }

  private func nodeChanged(_ node: Node, removed: Bool) {
    let name = node.metadata.name
    if removed {
      guard let index = position[name] else { return }
      nodes.remove(at: index)
      position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
      return
    }
    if let index = position[name] {
      let info = nodes[index]
      let before = (
        info.labels, info.taints, info.unschedulable, info.allocatableCPU, info.allocatableMemory,
        info.allocatableScalars
      )
      info.refresh(from: node)
      if before.0 != info.labels || before.1 != info.taints || before.2 != info.unschedulable
        || before.3 != info.allocatableCPU || before.4 != info.allocatableMemory
        || before.5 != info.allocatableScalars
      {
        retryUnschedulable()
      }
    } else {
      position[name] = nodes.count
      let info = NodeInfo(node: node)
      for (_, entry) in assigned where entry.node == name { info.add(entry.pod) }
      nodes.append(info)
      retryUnschedulable()
    }
  }

  // MARK: - Queue

  func enqueue(_ key: ObjectKey) {
    guard !queued.contains(key) else { return }
    queued.insert(key)
    activeQueue.append(key)
    guard !cycleScheduled else { return }
    cycleScheduled = true
    clock.schedule(at: clock.now) { [self] in self.runCycles() }
  }

  /// A cluster event that may make unschedulable pods fit: each is retried when its back-off
  /// ends.
  func retryUnschedulable() {
    guard !unschedulable.isEmpty else { return }
    let waiting = unschedulable.sorted { $0.key < $1.key }
    unschedulable.removeAll()
    for (key, attempts) in waiting {
      let backoff = min(
        Scheduler.initialBackoff << min(attempts.count - 1, 10), Scheduler.maxBackoff)
      let due = attempts.lastAttempt + backoff
      pendingAttempts[key] = attempts
      clock.schedule(at: due) { [self] in
        guard self.pendingAttempts[key] != nil else { return }
        self.enqueue(key)
      }
    }
  }

  var pendingAttempts: [ObjectKey: Attempts] = [:]
  /// What an unschedulable pod looked like when it failed, to tell its updates from status.
  var unschedulableSpecs: [ObjectKey: PodSpec] = [:]
  var unschedulableLabels: [ObjectKey: [String: String]] = [:]

  private func runCycles() {
    cycleScheduled = false
    while activeHead < activeQueue.count {
      let key = activeQueue[activeHead]
      activeHead += 1
      queued.remove(key)
      scheduleOne(key)
    }
    activeQueue.removeAll(keepingCapacity: true)
    activeHead = 0
  }

  // MARK: - One pod

  private func scheduleOne(_ key: ObjectKey) {
    guard let pod = cluster.store.pods[key], pod.spec.nodeName.isEmpty,
      pod.metadata.deletionTimestamp == nil
    else {
      pendingAttempts[key] = nil
      return
    }
    let info = PodInfo(pod: pod)
    let outcome: Outcome
    if let problem = cluster.volumeBindingProblem(pod, nodes: nodes.count) {
      outcome = .failure(Diagnosis(total: nodes.count, preFilterMessage: problem))
    } else {
      outcome = findNode(for: info)
    }
    switch outcome {
    case .success(let nodeName):
      pendingAttempts[key] = nil
      cluster.bind(key, to: nodeName)
    case .failure(let diagnosis):
      var attempts = pendingAttempts.removeValue(forKey: key) ?? Attempts(count: 0, lastAttempt: 0)
      attempts.count += 1
      attempts.lastAttempt = clock.now
      unschedulable[key] = attempts
      unschedulableSpecs[key] = pod.spec
      unschedulableLabels[key] = pod.metadata.labels
      cluster.markUnschedulable(key, message: diagnosis.message)
      let attemptNumber = attempts.count
      clock.schedule(after: Scheduler.maxUnschedulableDuration) { [self] in
        guard let waiting = self.unschedulable[key], waiting.count == attemptNumber else {
          return
        }
        self.unschedulable[key] = nil
        self.pendingAttempts[key] = waiting
        self.enqueue(key)
      }
    }
  }

  /// Upstream `numFeasibleNodesToFind` with the adaptive default percentage.
  static func feasibleNodesToFind(_ total: Int) -> Int {
    if total < 100 { return total }
    let percentage = max(5, 50 - total / 125)
    return max(100, total * percentage / 100)
  }

  enum Outcome {
    case success(String)
    case failure(Diagnosis)
  }

  private func findNode(for pod: PodInfo) -> Outcome {
    let total = nodes.count
    guard total > 0 else { return .failure(Diagnosis(total: 0)) }
    let wanted = Scheduler.feasibleNodesToFind(total)
    let filters = self.filters.filter { $0.isRelevant(to: pod) }
    let defaults = usesDefaultFilters ? DefaultFilters(pod) : nil
    var feasible: [Int] = []
    feasible.reserveCapacity(wanted)
    var diagnosis = Diagnosis(total: total)
    var processed = 0
    while processed < total && feasible.count < wanted {
      let index = (nextStartNodeIndex + processed) % total
      processed += 1
      let node = nodes[index]
      let status = defaults?.filter(pod, node) ?? Scheduler.runFilters(filters, pod, node)
      if status.passed {
        feasible.append(index)
      } else {
        diagnosis.count(status)
      }
    }
    nextStartNodeIndex = (nextStartNodeIndex + processed) % total
    guard !feasible.isEmpty else {
      return .failure(diagnosis)
    }
    if feasible.count == 1 { return .success(nodes[feasible[0]].name) }
    let totals = score(pod, feasible)
    // Upstream `selectHost`: the highest score, ties broken uniformly at random.
    var best = 0
    var ties = 0
    for candidate in totals.indices {
      if totals[candidate] > totals[best] {
        best = candidate
        ties = 1
      } else if totals[candidate] == totals[best] {
        ties += 1
        if candidate != best && cluster.identities.int(below: ties) == 0 { best = candidate }
      }
    }
    return .success(nodes[feasible[best]].name)
  }

  /// The first failing filter's status, or success.
  static func runFilters(_ filters: [any FilterPlugin], _ pod: PodInfo, _ node: NodeInfo)
    -> FilterStatus
  {
    for plugin in filters {
      let status = plugin.filter(pod, node)
      if !status.passed { return status }
    }
    return .success
  }

  /// Weighted sum of every score plugin, after each plugin's normalization.
  func score(_ pod: PodInfo, _ candidates: [Int]) -> [Int64] {
    if usesDefaultScorers { return DefaultScores.totals(pod, candidates.map { nodes[$0] }) }
    var totals = [Int64](repeating: 0, count: candidates.count)
    for plugin in scorers where plugin.isRelevant(to: pod) {
      var scores = candidates.map { plugin.score(pod, nodes[$0]) }
      plugin.normalize(&scores)
      for index in totals.indices { totals[index] += scores[index] * plugin.weight }
    }
    return totals
  }
}

/// Why a pod fits nowhere, counted per reason, as `FitError` prints it.
struct Diagnosis {
  var total: Int
  var reasons: [String: Int] = [:]
  /// Nodes that failed for a reason preemption could remove, and nodes where it could not help.
  var resolvableNodes = 0
  var unresolvableNodes = 0
  /// A PreFilter's refusal (VolumeBinding's), which stands for every node.
  var preFilterMessage: String?

  mutating func count(_ status: FilterStatus) {
    for reason in status.reasons { reasons[reason, default: 0] += 1 }
    if case .unschedulable = status { resolvableNodes += 1 } else { unresolvableNodes += 1 }
  }

  /// `0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No
  /// preemption victims found for incoming pod.`
  var message: String {
    guard total > 0 else { return "no nodes available to schedule pods" }
    if let preFilterMessage {
      return "0/\(total) nodes are available: \(preFilterMessage). preemption: 0/\(total) nodes are available: \(total) Preemption is not helpful for scheduling."
    }
    let counted = reasons.map { "\($0.value) \($0.key)" }.sorted()
    var preemption: [String] = []
    if resolvableNodes > 0 {
      preemption.append("\(resolvableNodes) No preemption victims found for incoming pod")
    }
    if unresolvableNodes > 0 {
      preemption.append("\(unresolvableNodes) Preemption is not helpful for scheduling")
    }
    return "0/\(total) nodes are available: " + counted.joined(separator: ", ") + "."
      + " preemption: 0/\(total) nodes are available: "
      + preemption.sorted().joined(separator: ", ")
      + "."
  }
}
