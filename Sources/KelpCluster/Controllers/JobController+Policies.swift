/// Indexed Jobs, the pod failure policy and the success policy (upstream
/// `indexed_job_utils.go`, `pod_failure_policy.go`, `success_policy.go`).
extension JobController {
  enum PolicyVerdict: Equatable {
    case failJob(String), failIndex, ignore, count
  }

  /// The first rule of the pod failure policy that matches a failed pod decides; no rule, or no
  /// policy, counts the failure.
  static func policyVerdict(_ job: Job, _ pod: Pod) -> PolicyVerdict {
    let name = "\(pod.metadata.namespace)/\(pod.metadata.name)"
    for (position, rule) in job.spec.podFailurePolicy.enumerated() {
      var matched: String?
      if let op = rule.exitCodeOperator {
        let statuses = pod.status.initContainerStatuses + pod.status.containerStatuses
        for status in statuses where rule.containerName == nil || rule.containerName == status.name {
          guard case .terminated(let code, _, _, _, _) = status.state, code != 0 else { continue }
          let listed = rule.exitCodes.contains(code)
          if (op == "In" && listed) || (op == "NotIn" && !listed) {
            matched =
              "Container \(status.name) for pod \(name) failed with exit code \(code) matching \(rule.action) rule at index \(position)"
            break
          }
        }
      } else {
        for pattern in rule.podConditions
        where pod.status.conditions.contains(where: {
          $0.type == pattern.type && $0.status == pattern.status
        }) {
          matched =
            "Pod \(name) has condition \(pattern.type) matching \(rule.action) rule at index \(position)"
          break
        }
      }
      guard let message = matched else { continue }
      switch rule.action {
      case "FailJob": return .failJob(message)
      case "FailIndex": return .failIndex
      case "Ignore": return .ignore
      default: return .count
      }
    }
    return .count
  }

  /// The Job succeeds: a success policy rule is met, or every index (every completion) has
  /// succeeded. An Indexed Job whose indexes are all done but some failed fails instead, which
  /// `finish` is told through the FailureTarget path.
  func successReason(_ job: Job, active: [Pod]) -> (String, String)? {
    let status = job.status
    if job.spec.isIndexed {
      for (position, rule) in job.spec.successPolicy.enumerated() {
        // Without succeededIndexes the rule is about every index.
        let done = rule.succeededIndexes.map { status.completedIndexes.intersection($0).count }
          ?? status.completedIndexes.count
        let needed = rule.succeededCount ?? rule.succeededIndexes?.count ?? (job.spec.completions ?? 0)
        if done >= needed {
          return ("SuccessPolicy", "Matched rules at index \(position)")
        }
      }
      let total = job.spec.completions ?? 0
      if status.completedIndexes.count >= total {
        return ("CompletionsReached", "Reached expected number of succeeded pods")
      }
      return nil
    }
    if let completions = job.spec.completions {
      return status.succeeded >= completions
        ? ("CompletionsReached", "Reached expected number of succeeded pods") : nil
    }
    return status.succeeded > 0 && active.isEmpty
      ? ("CompletionsReached", "Reached expected number of succeeded pods") : nil
  }

  /// Indexed: one pod per pending index (neither succeeded nor failed nor running), lowest
  /// first, within parallelism; duplicates and pods of finished indexes go.
  func manageIndexes(_ job: Job, _ active: inout [Pod], now: Millis) {
    let completions = job.spec.completions ?? 0
    let failed = job.status.failedIndexes ?? []
    var seen: Set<Int> = []
    var extra: [Pod] = []
    for pod in active.sorted(by: { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }) {
      guard let index = JobController.index(of: pod), index < completions,
        !job.status.completedIndexes.contains(index), !failed.contains(index),
        seen.insert(index).inserted
      else {
        extra.append(pod)
        continue
      }
    }
    if !extra.isEmpty {
      remove(extra, of: job)
      active.removeAll { pod in extra.contains { $0.metadata.uid == pod.metadata.uid } }
    }
    let holding = job.spec.podReplacementPolicy == "Failed" ? job.status.terminating : 0
    var room = min(job.spec.parallelism - active.count - holding, WorkQueue.burstReplicas)
    guard room > 0 else { return }
    var wake: Millis?
    let record = backoff[job.metadata.uid] ?? (0, 0)
    for index in 0..<completions {
      if room == 0 { break }
      guard !seen.contains(index), !job.status.completedIndexes.contains(index),
        !failed.contains(index)
      else { continue }
      // Per index with backoffLimitPerIndex; otherwise the Job's failures since a success.
      let history =
        job.spec.backoffLimitPerIndex != nil
        ? indexBackoff[job.metadata.uid]?[index] ?? (0, 0) : record
      let readyAt = history.last + JobController.backoffDelay(failures: history.failures)
      if history.failures > 0 && readyAt > now {
        wake = min(wake ?? readyAt, readyAt)
        continue
      }
      create(for: job, index: index)
      room -= 1
    }
    if let wake { queue.add(job.key, at: wake) }
    active = store.pods.owned(by: job.metadata.uid).filter(JobController.isActive)
  }
}
