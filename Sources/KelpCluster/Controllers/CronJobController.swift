/// The CronJob controller (upstream `cronjob_controllerv2.go`): at each scheduled time it
/// creates a Job named `<cronjob>-<minutes since the Unix epoch>`, honouring suspend,
/// startingDeadlineSeconds and the concurrency policy, keeps `status.active` in step with its
/// Jobs, and deletes finished Jobs beyond the history limits. Between runs it sleeps on the
/// virtual clock until the next scheduled time, so an idle day costs one wake-up per run.
final class CronJobController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!
  /// The wake-up already on the clock for each CronJob, so passes do not pile up timers.
  private var wakeUps: [ObjectKey: Millis] = [:]

  static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
  /// Upstream requeues 100 ms after the scheduled time.
  static let nextScheduleDelta: Millis = 100

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let cronJob as CronJob:
      if event.type == .deleted { wakeUps[cronJob.key] = nil } else { queue.add(cronJob.key) }
    case let job as Job:
      if let owner = job.metadata.controller, owner.kind == "CronJob" {
        queue.add(ObjectKey(namespace: job.metadata.namespace, name: owner.name))
      }
    default: break
    }
  }

  static func jobName(_ cronJob: CronJob, scheduledAt time: Millis) -> String {
    let unixMinutes = (Timestamp.epochUnixSeconds * 1000 + time) / 60_000
    return "\(cronJob.metadata.name)-\(unixMinutes)"
  }

  func reconcile(_ key: ObjectKey) {
    guard var cronJob = store.cronJobs[key], cronJob.metadata.deletionTimestamp == nil else {
      return
    }
    let now = cluster.now
    let uid = cronJob.metadata.uid
    let jobs = store.jobs.owned(by: uid)
    var status = cronJob.status
    for name in status.active {
      guard let job = jobs.first(where: { $0.metadata.name == name }) else {
        status.active.removeAll { $0 == name }
        event(cronJob, "Normal", "MissingJob", "Active job went missing: \(name)")
        continue
      }
      guard job.status.isFinished else { continue }
      status.active.removeAll { $0 == name }
      let outcome = job.status.condition("Complete") != nil ? "Complete" : "Failed"
      event(cronJob, "Normal", "SawCompletedJob", "Saw completed job: \(name), status: \(outcome)")
      if outcome == "Complete", let completed = job.status.completionTime {
        status.lastSuccessfulTime = max(status.lastSuccessfulTime ?? completed, completed)
      }
    }
    defer {
      // Upstream cleans up the history after the sync, and does not requeue a suspended
      // CronJob: its update wakes it.
      cleanUpFinished(cronJob, jobs)
      store.modify(CronJob.self, key) { $0.status = status }
      if !cronJob.spec.suspend, let next = cronJob.spec.schedule.next(after: now) {
        wake(key, at: next + CronJobController.nextScheduleDelta)
      }
    }
    if cronJob.spec.suspend { return }

    var earliest = status.lastScheduleTime ?? cronJob.metadata.creationTimestamp
    if let deadline = cronJob.spec.startingDeadlineSeconds {
      earliest = max(earliest, now - Millis(deadline) * 1000)
    }
    let (due, missed) = cronJob.spec.schedule.mostRecent(after: earliest, notAfter: now)
    if missed > 100 {
      event(
        cronJob, "Warning", "TooManyMissedTimes",
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
      )
    }
    guard let scheduled = due else { return }
    if let deadline = cronJob.spec.startingDeadlineSeconds,
      scheduled + Millis(deadline) * 1000 < now
    {
      event(
        cronJob, "Warning", "MissSchedule",
        "Missed scheduled time to start a job: \(Timestamp.rfc1123(scheduled))")
      return
    }
    let name = CronJobController.jobName(cronJob, scheduledAt: scheduled)
    if status.active.contains(name) || jobs.contains(where: { $0.metadata.name == name }) {
      return
    }
    if cronJob.spec.concurrencyPolicy == "Forbid" && !status.active.isEmpty {
      event(
        cronJob, "Normal", "JobAlreadyActive",
        "Not starting job because prior execution is running and concurrency policy is Forbid")
      return
    }
    if cronJob.spec.concurrencyPolicy == "Replace" {
      for running in status.active {
        try? cluster.deleteObject(.job, running, namespace: key.namespace, cascade: .background)
        event(cronJob, "Normal", "SuccessfulDelete", "Deleted job \(running)")
      }
      status.active = []
    }
    cronJob.status = status
    // A failed creation leaves lastScheduleTime, so the run is tried again.
    if create(name, for: cronJob, scheduledAt: scheduled) {
      status.active.append(name)
      status.lastScheduleTime = scheduled
    }
  }

  private func create(_ name: String, for cronJob: CronJob, scheduledAt time: Millis) -> Bool {
    var metadata = ObjectMeta(name: name, namespace: cronJob.metadata.namespace)
    metadata.labels = cronJob.spec.jobLabels
    metadata.annotations = cronJob.spec.jobAnnotations
    metadata.annotations[CronJobController.scheduledTimestampAnnotation] =
      cronJob.spec.schedule.localRFC3339(time)
    metadata.ownerReferences = [
      OwnerReference(
        apiVersion: "batch/v1", kind: "CronJob", name: cronJob.metadata.name,
        uid: cronJob.metadata.uid, controller: true, blockOwnerDeletion: true)
    ]
    do {
      try cluster.apply(
        Job(metadata: metadata, spec: cronJob.spec.jobSpec).encoded(serverFields: false),
        createOnly: true, settle: false)
      event(cronJob, "Normal", "SuccessfulCreate", "Created job \(name)")
      return true
    } catch {
      event(cronJob, "Warning", "FailedCreate", "Error creating job: \(error.kubectlMessage)")
      return false
    }
  }

  /// Finished Jobs beyond the history limits go, oldest start first (upstream `byJobStartTime`).
  private func cleanUpFinished(_ cronJob: CronJob, _ jobs: [Job]) {
    for (outcome, limit) in [
      ("Complete", cronJob.spec.successfulJobsHistoryLimit),
      ("Failed", cronJob.spec.failedJobsHistoryLimit),
    ] {
      let finished = jobs.filter { $0.status.condition(outcome) != nil }.sorted { a, b in
        switch (a.status.startTime, b.status.startTime) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.metadata.name < b.metadata.name
        }
      }
      guard finished.count > limit else { continue }
      for job in finished.prefix(finished.count - limit) {
        try? cluster.deleteObject(
          .job, job.metadata.name, namespace: job.metadata.namespace, cascade: .background)
        event(cronJob, "Normal", "SuccessfulDelete", "Deleted job \(job.metadata.name)")
      }
    }
  }

  private func wake(_ key: ObjectKey, at time: Millis) {
    guard wakeUps[key] != time else { return }
    wakeUps[key] = time
    cluster.clock.schedule(at: time) { [self] in
      guard self.wakeUps[key] == time else { return }
      self.wakeUps[key] = nil
      self.queue.add(key)
    }
  }

  private func event(_ cronJob: CronJob, _ type: String, _ reason: String, _ message: String) {
    cluster.recorder.record(cronJob, type, reason, message, source: "cronjob-controller")
  }
}
