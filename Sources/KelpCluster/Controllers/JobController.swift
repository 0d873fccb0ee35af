/// The Job controller (upstream `job_controller.go`): keeps min(parallelism, completions −
/// succeeded) pods active (for an Indexed Job, one per pending index), counts each finished pod
/// once, applies the pod failure policy, recreates failed pods after a back-off of 10 s doubling
/// to 10 min, and ends the Job with `Complete` (completions reached, or a success policy met) or
/// `Failed` (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy, FailedIndexes,
/// MaxFailedIndexesExceeded). Also the TTL-after-finished controller, which deletes finished Jobs.
final class JobController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  var queue: WorkQueue!
  /// Pods already counted in a Job's totals (upstream tracks this with the
  /// `batch.kubernetes.io/job-tracking` finalizer).
  var counted: Set<String> = []
  /// Pods that vanished before finishing, with their index, counted as failed at the next pass.
  var vanished: [String: [Int?]] = [:]
  /// Upstream's in-memory back-off record: failures since the last success, and when the last
  /// one happened; per index too, for backoffLimitPerIndex.
  var backoff: [String: (failures: Int, last: Millis)] = [:]
  var indexBackoff: [String: [Int: (failures: Int, last: Millis)]] = [:]
  /// Finished Jobs whose TTL deletion is on the clock.
  private var expiring: Set<String> = []

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
      if event.type == .deleted {
        backoff[job.metadata.uid] = nil
        indexBackoff[job.metadata.uid] = nil
        vanished[job.metadata.uid] = nil
      } else {
        queue.add(job.key)
      }
    case let pod as Pod:
      guard let owner = pod.metadata.controller, owner.kind == "Job" else { return }
      let key = ObjectKey(namespace: pod.metadata.namespace, name: owner.name)
      if event.type == .deleted {
        if counted.remove(pod.metadata.uid) == nil, pod.status.phase != .succeeded,
          pod.status.phase != .failed
        {
          vanished[owner.uid, default: []].append(JobController.index(of: pod))
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

  /// Running or about to: not finished and not being deleted.
  static func isActive(_ pod: Pod) -> Bool {
    pod.metadata.deletionTimestamp == nil && pod.status.phase != .succeeded
      && pod.status.phase != .failed
  }

  static func index(of pod: Pod) -> Int? {
    pod.metadata.annotations[Job.completionIndexAnnotation].flatMap { Int($0) }
  }

  func reconcile(_ key: ObjectKey) {
    guard var job = store.jobs[key], job.metadata.deletionTimestamp == nil else { return }
    let now = cluster.now
    if job.status.isFinished {
      scheduleExpiry(job)
      return
    }
    let pods = store.pods.owned(by: job.metadata.uid)
    let failJob = countFinished(&job, pods, now: now)
    var active = pods.filter(JobController.isActive)
    job.status.terminating = pods.filter {
      $0.metadata.deletionTimestamp != nil && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }.count

    // Upstream syncJob's order: a success or failure already decided stays decided; then a
    // FailJob rule, the back-off limit, the deadline, the failed indexes; then success.
    if let met = job.status.conditions.first(where: {
      $0.type == "SuccessCriteriaMet" && $0.status == "True"
    }) {
      finish(&job, &active, succeeded: (met.reason, met.message))
      return
    }
    if let target = job.status.conditions.first(where: {
      $0.type == "FailureTarget" && $0.status == "True"
    }) {
      finish(&job, &active, failed: (target.reason, target.message))
      return
    }
    if let failJob {
      finish(&job, &active, failed: failJob)
      return
    }

    if job.spec.suspend {
      remove(active, of: job)
      if job.status.condition("Suspended") == nil {
        setCondition(&job, "Suspended", "True", "JobSuspended", "Job suspended")
        event(job, "Normal", "Suspended", "Job suspended")
      }
      write(&job, active: [])
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
      if now < end { queue.add(key, at: end) }
    }

    if let failure = failureReason(job, pods, start: start, now: now) {
      finish(&job, &active, failed: failure)
      return
    }
    if let success = successReason(job, active: active) {
      finish(&job, &active, succeeded: success)
      return
    }
    if job.spec.isIndexed {
      manageIndexes(job, &active, now: now)
    } else {
      manage(job, &active, now: now)
    }
    write(&job, active: active)
  }

  /// Counts the pods that finished since the last pass, applying the pod failure policy to the
  /// failed ones; returns the FailJob verdict if a rule gave one.
  private func countFinished(_ job: inout Job, _ pods: [Pod], now: Millis) -> (String, String)? {
    let uid = job.metadata.uid
    var record = backoff[uid] ?? (0, 0)
    var failJob: (String, String)?
    func countFailure(index: Int?) {
      job.status.failed += 1
      record = (record.failures + 1, now)
      guard let index else { return }
      let previous = indexBackoff[uid]?[index] ?? (0, 0)
      indexBackoff[uid, default: [:]][index] = (previous.failures + 1, now)
      if let limit = job.spec.backoffLimitPerIndex, previous.failures + 1 > limit {
        job.status.failedIndexes = (job.status.failedIndexes ?? []).union([index])
      }
    }
    for pod in pods where !counted.contains(pod.metadata.uid) {
      if pod.status.phase == .succeeded {
        counted.insert(pod.metadata.uid)
        if job.spec.isIndexed, let index = JobController.index(of: pod) {
          job.status.completedIndexes.insert(index)
          job.status.succeeded = job.status.completedIndexes.count
        } else if !job.spec.isIndexed {
          job.status.succeeded += 1
        }
        record = (0, record.last)
      } else if pod.status.phase == .failed {
        counted.insert(pod.metadata.uid)
        let index = JobController.index(of: pod)
        switch JobController.policyVerdict(job, pod) {
        case .ignore: break
        case .failJob(let message):
          job.status.failed += 1
          failJob = failJob ?? ("PodFailurePolicy", message)
        case .failIndex:
          job.status.failed += 1
          if let index { job.status.failedIndexes = (job.status.failedIndexes ?? []).union([index]) }
        case .count: countFailure(index: index)
        }
      }
    }
    for index in vanished.removeValue(forKey: uid) ?? [] { countFailure(index: index) }
    backoff[uid] = record
    return failJob
  }

  /// BackoffLimitExceeded, DeadlineExceeded, MaxFailedIndexesExceeded or FailedIndexes.
  private func failureReason(_ job: Job, _ pods: [Pod], start: Millis, now: Millis)
    -> (String, String)?
  {
    if job.status.failed > job.spec.backoffLimit || pastBackoffLimitOnFailure(job, pods) {
      return ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    }
    if let deadline = job.spec.activeDeadlineSeconds, now >= start + Millis(deadline) * 1000 {
      return ("DeadlineExceeded", "Job was active longer than specified deadline")
    }
    if let limit = job.spec.maxFailedIndexes, (job.status.failedIndexes?.count ?? 0) > limit {
      return (
        "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes"
      )
    }
    if job.spec.isIndexed, let failed = job.status.failedIndexes, !failed.isEmpty,
      failed.union(job.status.completedIndexes).count >= (job.spec.completions ?? 0)
    {
      return ("FailedIndexes", "Job has failed indexes")
    }
    return nil
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

  /// Stops the active pods, which then count as failed, and writes FailureTarget, then Failed
  /// once none is terminating.
  private func finish(_ job: inout Job, _ active: inout [Pod], failed failure: (String, String)) {
    job.status.failed += active.count
    stop(&active, of: &job)
    if job.status.condition("FailureTarget") == nil {
      setCondition(&job, "FailureTarget", "True", failure.0, failure.1)
    }
    if job.status.terminating == 0 {
      setCondition(&job, "Failed", "True", failure.0, failure.1)
      event(job, "Warning", failure.0, failure.1)
    }
    write(&job, active: active)
  }

  /// Stops what still runs and writes SuccessCriteriaMet, then Complete once none is stopping.
  private func finish(_ job: inout Job, _ active: inout [Pod], succeeded success: (String, String)) {
    stop(&active, of: &job)
    if job.status.condition("SuccessCriteriaMet") == nil {
      setCondition(&job, "SuccessCriteriaMet", "True", success.0, success.1)
    }
    if job.status.terminating == 0 {
      setCondition(&job, "Complete", "True", success.0, success.1)
      job.status.completionTime = cluster.now
      event(job, "Normal", "Completed", "Job completed")
    }
    write(&job, active: active)
  }

  /// NonIndexed: how many pods should run now, and their creation after the back-off.
  private func manage(_ job: Job, _ active: inout [Pod], now: Millis) {
    let wanted: Int
    if let completions = job.spec.completions {
      wanted = max(0, min(completions - job.status.succeeded, job.spec.parallelism))
    } else {
      wanted = job.status.succeeded > 0 ? active.count : job.spec.parallelism
    }
    // With podReplacementPolicy Failed, a pod still stopping holds its place.
    let holding = job.spec.podReplacementPolicy == "Failed" ? job.status.terminating : 0
    if active.count > wanted {
      let victims = ReplicaSetController.victims(active, count: active.count - wanted, now: now)
      remove(victims, of: job)
      active.removeAll { pod in victims.contains { $0.metadata.uid == pod.metadata.uid } }
    } else if active.count + holding < wanted {
      let record = backoff[job.metadata.uid] ?? (0, 0)
      let readyAt = record.last + JobController.backoffDelay(failures: record.failures)
      if record.failures > 0 && readyAt > now {
        queue.add(job.key, at: readyAt)
      } else {
        WorkQueue.slowStartBatch(min(wanted - active.count - holding, WorkQueue.burstReplicas)) {
          create(for: job, index: nil)
        }
        active = store.pods.owned(by: job.metadata.uid).filter(JobController.isActive)
      }
    }
  }

  @discardableResult
  func create(for job: Job, index: Int?) -> Bool {
    var metadata = ObjectMeta(name: "", namespace: job.metadata.namespace)
    metadata.generateName = job.metadata.name + "-" + (index.map { "\($0)-" } ?? "")
    metadata.labels = job.spec.template.labels
    metadata.annotations = job.spec.template.annotations
    var spec = job.spec.template.spec
    if let index {
      // Upstream's Indexed pods: the index as annotation and label, the hostname
      // `<job>-<index>`, and JOB_COMPLETION_INDEX from the annotation in every container.
      metadata.annotations[Job.completionIndexAnnotation] = String(index)
      metadata.labels[Job.completionIndexAnnotation] = String(index)
      let failures = indexBackoff[job.metadata.uid]?[index]?.failures ?? 0
      if job.spec.backoffLimitPerIndex != nil {
        metadata.annotations[Job.indexFailureCountAnnotation] = String(failures)
      }
      spec.passthrough["hostname"] = .string("\(job.metadata.name)-\(index)")
      let variable = EnvVar(
        name: "JOB_COMPLETION_INDEX",
        valueFrom: [
          "fieldRef": [
            "fieldPath": .string("metadata.annotations['\(Job.completionIndexAnnotation)']")
          ]
        ])
      for position in spec.containers.indices { spec.containers[position].env.append(variable) }
      for position in spec.initContainers.indices {
        spec.initContainers[position].env.append(variable)
      }
    }
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid,
        controller: true, blockOwnerDeletion: true)
    ]
    return cluster.createControlledPod(
      Pod(metadata: metadata, spec: spec), owner: job, source: "job-controller") != nil
  }

  /// Deletes the active pods as the Job ends; the bound ones are terminating until their kubelet
  /// has stopped them, and the terminal condition waits for that (upstream adds the deleted
  /// pods to `terminating` in the same pass).
  private func stop(_ active: inout [Pod], of job: inout Job) {
    remove(active, of: job)
    job.status.terminating += active.filter {
      !$0.spec.nodeName.isEmpty && store.pods[$0.key] != nil
    }.count
    active = []
  }

  /// Pods the controller deletes are counted here, not as failures found later.
  func remove(_ pods: [Pod], of job: Job) {
    for pod in pods {
      counted.insert(pod.metadata.uid)
      cluster.deletePod(pod.key, gracePeriod: nil)
      event(job, "Normal", "SuccessfulDelete", "Deleted pod: \(pod.metadata.name)")
    }
  }

  func event(_ job: Job, _ type: String, _ reason: String, _ message: String) {
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
    guard expiring.insert(uid).inserted else { return }
    let expiry = finished + Millis(ttl) * 1000
    cluster.clock.schedule(at: max(expiry, cluster.now)) { [self] in
      self.expiring.remove(uid)
      guard let current = self.store.jobs[key], current.metadata.uid == uid else { return }
      try? self.cluster.deleteObject(.job, key.name, namespace: key.namespace, cascade: .background)
    }
  }
}
