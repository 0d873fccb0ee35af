/// The horizontal pod autoscaler (upstream `horizontal.go`, `replica_calculator.go`): every
/// 15 s it reads its target's scale and its pods' metrics, proposes
/// ceil(ready pods × usage / target) per metric (no change within the 0.1 tolerance), takes the
/// largest, stabilises it (scale-down: the highest proposal of the last 300 s), limits the rate
/// with the scaling policies and the min/max, and writes the target's replicas.
final class HorizontalPodAutoscalerController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var recommendations: [String: [(replicas: Int, at: Millis)]] = [:]
  private var scaleEvents: [String: [(change: Int, at: Millis)]] = [:]
  /// Each autoscaler's next sync, so one ticker runs per autoscaler.
  private var ticking: Set<String> = []

  static let syncPeriod: Millis = 15_000
  static let tolerance = 0.1
  static let cpuInitializationPeriod: Millis = 300_000
  static let delayOfInitialReadinessStatus: Millis = 30_000
  /// metrics-server's resolution: a sample covers this window before its timestamp.
  static let metricWindow: Millis = 15_000

  init(cluster: Cluster) { self.cluster = cluster }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    guard let autoscaler = event.object as? HorizontalPodAutoscaler else { return }
    let uid = autoscaler.metadata.uid
    if event.type == .deleted {
      ticking.remove(uid)
      recommendations[uid] = nil
      scaleEvents[uid] = nil
    } else if ticking.insert(uid).inserted {
      // The first sync comes at once, then one every period.
      tick(autoscaler.key, uid: uid, at: cluster.now)
    }
  }

  private func tick(_ key: ObjectKey, uid: String, at time: Millis) {
    cluster.clock.schedule(at: time) { [self] in
      guard self.ticking.contains(uid), let autoscaler = self.store.horizontalPodAutoscalers[key],
        autoscaler.metadata.uid == uid
      else { return }
      self.reconcile(autoscaler)
      self.tick(key, uid: uid, at: time + HorizontalPodAutoscalerController.syncPeriod)
    }
  }

  func reconcile(_ autoscaler: HorizontalPodAutoscaler) {
    let now = cluster.now
    var status = autoscaler.status
    status.observedGeneration = autoscaler.metadata.generation
    let spec = autoscaler.spec
    let namespace = autoscaler.metadata.namespace
    let target = "\(spec.targetKind)/\(spec.targetName)"
    guard let (current, selector) = scale(of: autoscaler) else {
      let resource = ResourceKind.named(spec.targetKind)?.qualifiedPlural ?? spec.targetKind
      let message =
        "the HPA controller was unable to get the target's current scale: \(resource) \"\(spec.targetName)\" not found"
      setCondition(&status, "AbleToScale", "False", "FailedGetScale", message)
      event(autoscaler, "Warning", "FailedGetScale", "\(resource) \"\(spec.targetName)\" not found")
      write(autoscaler, status)
      return
    }
    setCondition(
      &status, "AbleToScale", "True", "SucceededGetScale",
      "the HPA controller was able to get the target's current scale")
    status.currentReplicas = current.spec
    // Upstream `recordInitialRecommendation`: the current size counts as a recent
    // recommendation, so nothing scales down within the window after the autoscaler appears.
    if recommendations[autoscaler.metadata.uid] == nil {
      recommendations[autoscaler.metadata.uid] = [(current.spec, now)]
    }
    var desired: Int
    var reason: String
    if current.spec == 0 && spec.minReplicas != 0 {
      setCondition(
        &status, "ScalingActive", "False", "ScalingDisabled",
        "scaling is disabled since the replica count of the target is zero")
      status.desiredReplicas = 0
      write(autoscaler, status)
      return
    } else if current.spec > spec.maxReplicas {
      desired = spec.maxReplicas
      reason = "Current number of replicas above Spec.MaxReplicas"
    } else if current.spec < spec.minReplicas {
      desired = spec.minReplicas
      reason = "Current number of replicas below Spec.MinReplicas"
    } else {
      let pods = store.pods.list(namespace: namespace).filter { selector.matches($0.metadata.labels) }
      let usage = cluster.usage(of: pods)
      var proposals: [Proposal] = []
      do {
        for metric in spec.metrics {
          proposals.append(
            try propose(metric, pods: pods, usage: usage, current: current.spec, target: target))
        }
      } catch MetricProblem.failed(let failure, let message) {
        setCondition(
          &status, "ScalingActive", "False", failure,
          "the HPA was unable to compute the replica count: \(message)")
        event(autoscaler, "Warning", failure, message)
        status.currentMetrics = []
        write(autoscaler, status)
        return
      } catch {
        return
      }
      status.currentMetrics = proposals.map {
        (
          $0.metric.resource, $0.utilization,
          $0.metric.resource == "cpu"
            ? Quantity.cpu(millis: $0.averageValue) : Quantity.bytes($0.averageValue)
        )
      }
      let best = proposals.max { $0.replicas < $1.replicas }!
      setCondition(
        &status, "ScalingActive", "True", "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count from \(best.metric.reasonName)")
      desired = best.replicas
      // As upstream: the reason follows the metrics' proposal, and stays empty when that equals
      // the current size (a stabilised recommendation may still move it).
      reason =
        best.replicas > current.spec
        ? "\(best.metric.reasonName) above target"
        : best.replicas < current.spec ? "All metrics below target" : ""
      desired = normalize(autoscaler, &status, current: current.spec, desired: desired, now: now)
    }
    status.desiredReplicas = desired
    if desired != current.spec {
      rescale(autoscaler, to: desired)
      status.lastScaleTime = now
      scaleEvents[autoscaler.metadata.uid, default: []].append((desired - current.spec, now))
      event(autoscaler, "Normal", "SuccessfulRescale", "New size: \(desired); reason: \(reason)")
      setCondition(
        &status, "AbleToScale", "True", "SucceededRescale",
        "the HPA controller was able to update the target scale to \(desired)")
    }
    write(autoscaler, status)
  }

  /// The target's desired and current replicas, and its selector.
  private func scale(of autoscaler: HorizontalPodAutoscaler) -> (
    (spec: Int, status: Int), LabelSelector
  )? {
    let namespace = autoscaler.metadata.namespace
    let name = autoscaler.spec.targetName
    switch autoscaler.spec.targetKind {
    case "Deployment":
      guard let target = store.deployments.get(namespace, name),
        let selector = try? target.spec.selector.selector()
      else { return nil }
      return ((target.spec.replicas, target.status.replicas), selector)
    case "ReplicaSet":
      guard let target = store.replicaSets.get(namespace, name),
        let selector = try? target.spec.selector.selector()
      else { return nil }
      return ((target.spec.replicas, target.status.replicas), selector)
    default: return nil
    }
  }

  private func rescale(_ autoscaler: HorizontalPodAutoscaler, to replicas: Int) {
    let key = ObjectKey(namespace: autoscaler.metadata.namespace, name: autoscaler.spec.targetName)
    switch autoscaler.spec.targetKind {
    case "Deployment":
      store.modify(Deployment.self, key) {
        $0.spec.replicas = replicas
        $0.metadata.generation += 1
      }
    case "ReplicaSet":
      store.modify(ReplicaSet.self, key) {
        $0.spec.replicas = replicas
        $0.metadata.generation += 1
      }
    default: break
    }
  }

  /// Upstream `normalizeDesiredReplicasWithBehaviors`: stabilisation windows, then the rate
  /// limits of the policies, then min and max, each with its ScalingLimited condition.
  private func normalize(
    _ autoscaler: HorizontalPodAutoscaler, _ status: inout HorizontalPodAutoscalerStatus,
    current: Int, desired: Int, now: Millis
  ) -> Int {
    let uid = autoscaler.metadata.uid
    let spec = autoscaler.spec
    guard spec.hasBehavior else {
      return normalizeWithoutBehavior(autoscaler, &status, current: current, desired: desired, now: now)
    }
    var up = desired
    var down = desired
    let upCutoff = now - Millis(spec.scaleUp.stabilizationWindowSeconds) * 1000
    let downCutoff = now - Millis(spec.scaleDown.stabilizationWindowSeconds) * 1000
    for recommendation in recommendations[uid] ?? [] {
      if recommendation.at > upCutoff { up = min(up, recommendation.replicas) }
      if recommendation.at > downCutoff { down = max(down, recommendation.replicas) }
    }
    var stabilized = current
    if stabilized < up { stabilized = up }
    if stabilized > down { stabilized = down }
    let longest = max(spec.scaleUp.stabilizationWindowSeconds, spec.scaleDown.stabilizationWindowSeconds)
    recommendations[uid, default: []].removeAll { $0.at <= now - Millis(longest) * 1000 }
    recommendations[uid, default: []].append((desired, now))
    if stabilized != desired {
      let (reason, message) =
        stabilized > desired
        ? (
          "ScaleDownStabilized",
          "recent recommendations were higher than current one, applying the highest recent recommendation"
        )
        : (
          "ScaleUpStabilized",
          "recent recommendations were lower than current one, applying the lowest recent recommendation"
        )
      setCondition(&status, "AbleToScale", "True", reason, message)
    } else {
      setCondition(
        &status, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
    }
    var result = stabilized
    if stabilized > current {
      var limit = max(scaleLimit(spec.scaleUp, uid: uid, current: current, up: true, now: now), current)
      if spec.maxReplicas > limit {
        setCondition(
          &status, "ScalingLimited", "True", "ScaleUpLimit",
          "the desired replica count is increasing faster than the maximum scale rate")
      } else {
        limit = spec.maxReplicas
        setCondition(
          &status, "ScalingLimited", "True", "TooManyReplicas",
          "the desired replica count is more than the maximum replica count")
      }
      if result > limit { result = limit } else { desiredWithinRange(&status) }
    } else if stabilized < current {
      var limit = min(scaleLimit(spec.scaleDown, uid: uid, current: current, up: false, now: now), current)
      if spec.minReplicas < limit {
        setCondition(
          &status, "ScalingLimited", "True", "ScaleDownLimit",
          "the desired replica count is decreasing faster than the maximum scale rate")
      } else {
        limit = spec.minReplicas
        setCondition(
          &status, "ScalingLimited", "True", "TooFewReplicas",
          "the desired replica count is less than the minimum replica count")
      }
      if result < limit { result = limit } else { desiredWithinRange(&status) }
    } else {
      desiredWithinRange(&status)
    }
    return result
  }

  /// Upstream `normalizeDesiredReplicas`, for an autoscaler without `behavior`: the highest
  /// recommendation of the last 300 s, then at most max(2 × current, 4), then min and max.
  private func normalizeWithoutBehavior(
    _ autoscaler: HorizontalPodAutoscaler, _ status: inout HorizontalPodAutoscalerStatus,
    current: Int, desired: Int, now: Millis
  ) -> Int {
    let uid = autoscaler.metadata.uid
    let window = Millis(ScalingRules.defaultScaleDown.stabilizationWindowSeconds) * 1000
    recommendations[uid, default: []].removeAll { $0.at <= now - window }
    let stabilized = (recommendations[uid] ?? []).map(\.replicas).reduce(desired, max)
    recommendations[uid, default: []].append((desired, now))
    if stabilized != desired {
      setCondition(
        &status, "AbleToScale", "True", "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation"
      )
    } else {
      setCondition(
        &status, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
    }
    let spec = autoscaler.spec
    let scaleUpLimit = max(2 * current, 4)
    let (maximum, limiting, why) =
      spec.maxReplicas > scaleUpLimit
      ? (
        scaleUpLimit, "ScaleUpLimit",
        "the desired replica count is increasing faster than the maximum scale rate"
      )
      : (
        spec.maxReplicas, "TooManyReplicas",
        "the desired replica count is more than the maximum replica count"
      )
    if stabilized < spec.minReplicas {
      setCondition(
        &status, "ScalingLimited", "True", "TooFewReplicas",
        "the desired replica count is less than the minimum replica count")
      return spec.minReplicas
    }
    if stabilized > maximum {
      setCondition(&status, "ScalingLimited", "True", limiting, why)
      return maximum
    }
    desiredWithinRange(&status)
    return stabilized
  }

  private func desiredWithinRange(_ status: inout HorizontalPodAutoscalerStatus) {
    setCondition(
      &status, "ScalingLimited", "False", "DesiredWithinRange",
      "the desired count is within the acceptable range")
  }

  /// The most (or fewest) replicas the policies allow now, counted from the replicas at the
  /// start of each policy's period.
  private func scaleLimit(_ rules: ScalingRules, uid: String, current: Int, up: Bool, now: Millis)
    -> Int
  {
    if rules.selectPolicy == "Disabled" { return current }
    var proposals: [Int] = []
    for policy in rules.policies {
      let since = now - Millis(policy.periodSeconds) * 1000
      let changes = (scaleEvents[uid] ?? []).filter { $0.at > since }
      let added = changes.filter { $0.change > 0 }.reduce(0) { $0 + $1.change }
      let removed = changes.filter { $0.change < 0 }.reduce(0) { $0 - $1.change }
      let start = current - added + removed
      if up {
        proposals.append(
          policy.type == "Pods"
            ? start + policy.value
            : Int((Double(start) * (1 + Double(policy.value) / 100)).rounded(.up)))
      } else {
        proposals.append(
          policy.type == "Pods"
            ? start - policy.value : Int(Double(start) * (1 - Double(policy.value) / 100)))
      }
    }
    guard !proposals.isEmpty else { return current }
    // `Max` picks the policy allowing the biggest change.
    let biggest = rules.selectPolicy != "Min"
    return up
      ? (biggest ? proposals.max()! : proposals.min()!)
      : (biggest ? proposals.min()! : proposals.max()!)
  }

  private func setCondition(
    _ status: inout HorizontalPodAutoscalerStatus, _ type: String, _ value: String,
    _ reason: String, _ message: String
  ) {
    let now = cluster.now
    if let index = status.conditions.firstIndex(where: { $0.type == type }) {
      if status.conditions[index].status != value {
        status.conditions[index].lastTransitionTime = now
      }
      status.conditions[index].status = value
      status.conditions[index].reason = reason
      status.conditions[index].message = message
    } else {
      status.conditions.append(
        AutoscalerCondition(
          type: type, status: value, lastTransitionTime: now, reason: reason, message: message))
    }
  }

  private func write(_ autoscaler: HorizontalPodAutoscaler, _ status: HorizontalPodAutoscalerStatus) {
    store.modify(HorizontalPodAutoscaler.self, autoscaler.key) { $0.status = status }
  }

  private func event(
    _ autoscaler: HorizontalPodAutoscaler, _ type: String, _ reason: String, _ message: String
  ) {
    cluster.recorder.record(
      autoscaler, type, reason, message, source: "horizontal-pod-autoscaler")
  }
}
