/// The Job controller (upstream `job_controller.go`) for NonIndexed Jobs: keeps
/// min(parallelism, completions − succeeded) pods active, counts each finished pod once,
/// recreates failed pods after a back-off of 10 s doubling to 10 min, and ends the Job with
/// `Complete`, or `Failed` for BackoffLimitExceeded or DeadlineExceeded. Also the TTL-after-
/// finished controller, which deletes finished Jobs.
final class JobController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!
  /// Pods already counted in a Job's succeeded/failed totals (upstream tracks this with the
  /// `batch.kubernetes.io/job-tracking` finalizer).
  private var counted: Set<String> = []
  /// Pods that vanished before finishing, to be counted as failed at the next pass.
  private var vanished: [ObjectKey: Int] = [:]
  /// Upstream's in-memory back-off record: failures since the last success, and when the last
  /// one happened.
  private var backoff: [String: (failures: Int, last: Millis)] = [:]

  static let podFailureBackoff: Millis = 10_000
  static let maxPodFailureBackoff: Millis = 600_000

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let job as Job:
      if event.type == .deleted { backoff[job.metadata.uid] = nil } else { queue.add(job.key) }
    case let pod as Pod:
      guard let owner = pod.metadata.controller, owner.kind == "Job" else { return }
      let key = ObjectKey(namespace: pod.metadata.namespace, name: owner.name)
      if event.type == .deleted {
        if counted.remove(pod.metadata.uid) == nil, pod.status.phase != .succeeded,
          pod.status.phase != .failed
        {
          vanished[key, default: 0] += 1
        }
      }
      queue.add(key)
    default: break
    }
  }

  /// 10 s, doubling per failure since the last success, at most 10 min.
  static func backoffDelay(failures: Int) -> Millis {
    guard failures > 0 else { return 0 }
    var delay = podFailureBackoff
    for _ in 1..<failures {
      delay *= 2
      if delay >= maxPodFailureBackoff { return maxPodFailureBackoff }
    }
    return delay
  }

  func reconcile(_ key: ObjectKey) {
    guard var job = store.jobs[key], job.metadata.deletionTimestamp == nil else { return }
    let now = cluster.now
    let uid = job.metadata.uid
    if job.status.isFinished {
      scheduleExpiry(job)
      return
    }
    let pods = store.pods.owned(by: uid)
    var record = backoff[uid] ?? (0, 0)
    for pod in pods where !counted.contains(pod.metadata.uid) {
      if pod.status.phase == .succeeded {
        counted.insert(pod.metadata.uid)
        job.status.succeeded += 1
        record = (0, record.last)
      } else if pod.status.phase == .failed {
        counted.insert(pod.metadata.uid)
        job.status.failed += 1
        record = (record.failures + 1, now)
      }
    }
    if let lost = vanished.removeValue(forKey: key) {
      job.status.failed += lost
      record = (record.failures + lost, now)
    }
    backoff[uid] = record
    var active = pods.filter {
      $0.metadata.deletionTimestamp == nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }
    job.status.terminating = pods.filter {
      $0.metadata.deletionTimestamp != nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }.count

    if job.spec.suspend {
      remove(active, of: job)
      active = []
      if job.status.condition("Suspended") == nil {
        setCondition(&job, "Suspended", "True", "JobSuspended", "Job suspended")
        event(job, "Normal", "Suspended", "Job suspended")
      }
      write(&job, active: active)
      return
    }
    if job.status.conditions.contains(where: { $0.type == "Suspended" && $0.status == "True" }) {
      setCondition(&job, "Suspended", "False", "JobResumed", "Job resumed")
      event(job, "Normal", "Resumed", "Job resumed")
      job.status.startTime = now
    }
    if job.status.startTime == nil { job.status.startTime = now }
    let start = job.status.startTime ?? now
    if let deadline = job.spec.activeDeadlineSeconds {
      let end = start + Millis(deadline) * 1000
      if now < end { cluster.clock.schedule(at: end) { [self] in self.queue.add(key) } }
    }

    // Why the Job ends now, if it does.
    var failure: (reason: String, message: String)?
    if let deadline = job.spec.activeDeadlineSeconds, now >= start + Millis(deadline) * 1000 {
      failure = ("DeadlineExceeded", "Job was active longer than specified deadline")
    } else if job.status.failed > job.spec.backoffLimit || pastBackoffLimitOnFailure(job, pods) {
      failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    } else if job.status.condition("FailureTarget") != nil,
      let target = job.status.conditions.first(where: { $0.type == "FailureTarget" })
    {
      failure = (target.reason, target.message)
    }
    if let failure {
      remove(active, of: job)
      active = []
      if job.status.condition("FailureTarget") == nil {
        setCondition(&job, "FailureTarget", "True", failure.reason, failure.message)
      }
      // The terminal condition waits until no pod of the Job is still terminating.
      if job.status.terminating == 0 {
        setCondition(&job, "Failed", "True", failure.reason, failure.message)
        event(job, "Warning", failure.reason, failure.message)
      }
      write(&job, active: active)
      return
    }

    let completionsReached: Bool
    if let completions = job.spec.completions {
      completionsReached = job.status.succeeded >= completions
    } else {
      completionsReached = job.status.succeeded > 0 && active.isEmpty
    }
    if completionsReached {
      remove(active, of: job)
      active = []
      let message = "Reached expected number of succeeded pods"
      if job.status.condition("SuccessCriteriaMet") == nil {
        setCondition(&job, "SuccessCriteriaMet", "True", "CompletionsReached", message)
      }
      if job.status.terminating == 0 {
        setCondition(&job, "Complete", "True", "CompletionsReached", message)
        job.status.completionTime = now
        event(job, "Normal", "Completed", "Job completed")
      }
      write(&job, active: active)
      return
    }

    // How many pods should be running now.
    let wanted: Int
    if let completions = job.spec.completions {
      wanted = max(0, min(completions - job.status.succeeded, job.spec.parallelism))
    } else {
      wanted = job.status.succeeded > 0 ? active.count : job.spec.parallelism
    }
    if active.count > wanted {
      let victims = ReplicaSetController.victims(active, count: active.count - wanted, now: now)
      remove(victims, of: job)
      active.removeAll { pod in victims.contains { $0.metadata.uid == pod.metadata.uid } }
    } else if active.count < wanted {
      let readyAt = record.last + JobController.backoffDelay(failures: record.failures)
      if record.failures > 0 && readyAt > now {
        cluster.clock.schedule(at: readyAt) { [self] in self.queue.add(key) }
      } else {
        WorkQueue.slowStartBatch(wanted - active.count) { create(for: job) }
        active = store.pods.owned(by: uid).filter {
          $0.metadata.deletionTimestamp == nil
            && $0.status.phase != .succeeded && $0.status.phase != .failed
        }
      }
    }
    write(&job, active: active)
  }

  /// With restartPolicy OnFailure the kubelet restarts containers in place; upstream counts
  /// those restarts against the limit.
  private func pastBackoffLimitOnFailure(_ job: Job, _ pods: [Pod]) -> Bool {
    guard job.spec.template.spec.restartPolicy == .onFailure else { return false }
    let restarts = pods.filter { $0.status.phase == .running || $0.status.phase == .pending }
      .reduce(0) { total, pod in
        total
          + (pod.status.containerStatuses + pod.status.initContainerStatuses).reduce(0) {
            $0 + $1.restartCount
          }
      }
    return job.spec.backoffLimit == 0 ? restarts > 0 : restarts >= job.spec.backoffLimit
  }

  private func create(for job: Job) -> Bool {
    var metadata = ObjectMeta(name: "", namespace: job.metadata.namespace)
    metadata.generateName = job.metadata.name + "-"
    metadata.labels = job.spec.template.labels
    metadata.annotations = job.spec.template.annotations
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid,
        controller: true, blockOwnerDeletion: true)
    ]
    return cluster.createControlledPod(
      Pod(metadata: metadata, spec: job.spec.template.spec), owner: job, source: "job-controller")
      != nil
  }

  /// Pods the controller deletes itself are not failures of the Job.
  private func remove(_ pods: [Pod], of job: Job) {
    for pod in pods {
      counted.insert(pod.metadata.uid)
      cluster.deletePod(pod.key, gracePeriod: nil)
      event(job, "Normal", "SuccessfulDelete", "Deleted pod: \(pod.metadata.name)")
    }
  }

  private func event(_ job: Job, _ type: String, _ reason: String, _ message: String) {
    cluster.recorder.record(job, type, reason, message, source: "job-controller")
  }

  private func setCondition(
    _ job: inout Job, _ type: String, _ status: String, _ reason: String, _ message: String
  ) {
    let now = cluster.now
    if let index = job.status.conditions.firstIndex(where: { $0.type == type }) {
      if job.status.conditions[index].status != status {
        job.status.conditions[index].lastTransitionTime = now
      }
      job.status.conditions[index].status = status
      job.status.conditions[index].reason = reason
      job.status.conditions[index].message = message
      job.status.conditions[index].lastProbeTime = now
    } else {
      job.status.conditions.append(
        JobCondition(
          type: type, status: status, lastProbeTime: now, lastTransitionTime: now, reason: reason,
          message: message))
    }
  }

  private func write(_ job: inout Job, active: [Pod]) {
    job.status.active = active.count
    job.status.ready = active.filter { $0.status.condition("Ready")?.status == "True" }.count
    let status = job.status
    if let written = store.modify(Job.self, job.key, { $0.status = status }), status.isFinished {
      scheduleExpiry(written)
    }
  }

  /// The TTL-after-finished controller: a finished Job with `ttlSecondsAfterFinished` is
  /// deleted, with its pods, that long after it finished.
  private func scheduleExpiry(_ job: Job) {
    guard let ttl = job.spec.ttlSecondsAfterFinished,
      let finished = job.status.conditions.first(where: {
        ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True"
      })?.lastTransitionTime
    else { return }
    let key = job.key
    let uid = job.metadata.uid
    let expiry = finished + Millis(ttl) * 1000
    cluster.clock.schedule(at: max(expiry, cluster.now)) { [self] in
      guard let current = self.store.jobs[key], current.metadata.uid == uid else { return }
      try? self.cluster.deleteObject(.job, key.name, namespace: key.namespace, cascade: .background)
    }
  }
}
