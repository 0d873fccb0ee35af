/// The replica calculator (upstream `replica_calculator.go`): what one metric proposes.
extension HorizontalPodAutoscalerController {
  struct Proposal {
    var replicas: Int
    var metric: ResourceMetric
    var utilization: Int?
    var averageValue: Int64
  }

  enum MetricProblem: Error {
    case failed(reason: String, message: String)
  }

  /// Upstream `GetResourceReplicas`: pods being deleted or failed are ignored; pending pods and
  /// pods still starting are "unready"; running pods without a sample are "missing". Missing
  /// pods count as 100 % when scaling down and 0 % when scaling up; unready pods as 0 % when
  /// scaling up. A proposal that would turn around after that is no change.
  /// `usage` is the metrics server's sample of `pods`, taken once for all the metrics.
  func propose(
    _ metric: ResourceMetric, pods: [Pod], usage: [ObjectKey: Cluster.PodUsage], current: Int,
    target: String
  ) throws(MetricProblem) -> Proposal {
    let now = cluster.now
    var samples: [ObjectKey: Int64] = [:]
    var requests: [ObjectKey: Int64] = [:]
    var unready: [Pod] = []
    var missing: [Pod] = []
    for pod in pods {
      if pod.metadata.deletionTimestamp != nil || pod.status.phase == .failed
        || pod.status.phase == .succeeded
      {
        continue
      }
      var request: Int64 = 0
      for container in pod.spec.containers {
        guard let value = container.requests[metric.resource] else {
          if metric.averageUtilization != nil {
            throw .failed(
              reason: "FailedGetResourceMetric",
              message:
                "failed to get \(metric.resource) utilization: missing request for \(metric.resource) in container \(container.name) of Pod \(pod.metadata.name)"
            )
          }
          continue
        }
        request += metric.resource == "cpu" ? value.milliValue : value.milliValue / 1000
      }
      requests[pod.key] = request
      if pod.status.phase == .pending {
        unready.append(pod)
        continue
      }
      guard let sample = usage[pod.key] else {
        missing.append(pod)
        continue
      }
      if metric.resource == "cpu", let ready = pod.status.condition("Ready") {
        let start = pod.status.startTime ?? pod.metadata.creationTimestamp
        let isUnready: Bool
        if start + HorizontalPodAutoscalerController.cpuInitializationPeriod > now {
          isUnready =
            ready.status != "True"
            || now < ready.lastTransitionTime + HorizontalPodAutoscalerController.metricWindow
        } else {
          isUnready =
            ready.status != "True"
            && start + HorizontalPodAutoscalerController.delayOfInitialReadinessStatus
              > ready.lastTransitionTime
        }
        if isUnready {
          unready.append(pod)
          continue
        }
      }
      samples[pod.key] = metric.resource == "cpu" ? sample.cpuMillis : sample.memoryBytes
    }
    guard !samples.isEmpty else {
      throw .failed(
        reason: "FailedGetResourceMetric",
        message:
          "failed to get \(metric.resource) utilization: did not receive metrics for targeted pods (pods might be unready)"
      )
    }
    func ratio(_ samples: [ObjectKey: Int64]) -> (Double, Int?, Int64) {
      let total = samples.values.reduce(0, +)
      let average = total / Int64(samples.count)
      if let goal = metric.averageUtilization {
        let requested = samples.keys.reduce(Int64(0)) { $0 + (requests[$1] ?? 0) }
        let utilization = requested > 0 ? Int(total * 100 / requested) : 0
        return (Double(utilization) / Double(goal), utilization, average)
      }
      let goal = metric.averageValue.map {
        metric.resource == "cpu" ? $0.milliValue : $0.milliValue / 1000
      } ?? 1
      return (Double(average) / Double(max(goal, 1)), nil, average)
    }
    let (usageRatio, utilization, average) = ratio(samples)
    let readyCount = samples.count
    let scaleUpWithUnready = !unready.isEmpty && usageRatio > 1
    func proposal(_ replicas: Int) -> Proposal {
      Proposal(replicas: replicas, metric: metric, utilization: utilization, averageValue: average)
    }
    let tolerance = HorizontalPodAutoscalerController.tolerance
    if !scaleUpWithUnready && missing.isEmpty {
      if abs(1 - usageRatio) <= tolerance { return proposal(current) }
      return proposal(Int((usageRatio * Double(readyCount)).rounded(.up)))
    }
    var filled = samples
    for pod in missing {
      filled[pod.key] =
        usageRatio < 1
        ? (metric.averageUtilization != nil ? requests[pod.key] ?? 0 : average) : 0
    }
    if scaleUpWithUnready { for pod in unready { filled[pod.key] = 0 } }
    let (newRatio, _, _) = ratio(filled)
    if abs(1 - newRatio) <= tolerance || (usageRatio < 1 && newRatio > 1)
      || (usageRatio > 1 && newRatio < 1)
    {
      return proposal(current)
    }
    let replicas = Int((newRatio * Double(filled.count)).rounded(.up))
    if (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) {
      return proposal(current)
    }
    return proposal(replicas)
  }
}
