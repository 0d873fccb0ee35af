/// Admission for the batch kinds: the Job's generated selector and labels, and what may change
/// on an existing Job.
extension Cluster {
  func applyJob(_ job: Job, createOnly: Bool) throws(APIError) -> ApplyResult {
    let name = job.metadata.name
    var causes = Validation.nameIsValid(name, kind: "Job").map {
      "metadata.name: Invalid value: \"\(name)\": \($0)"
    }
    if name.isEmpty { causes = ["metadata.name: Required value: name or generateName is required"] }
    causes += Cluster.labelProblems(job.spec.template.labels, path: "spec.template.metadata.labels")
    if job.spec.manualSelector {
      causes += Cluster.selectorProblems(job.spec.selector, job.spec.template.labels)
    } else if !job.spec.selector.isEmpty, store.jobs[job.key] == nil {
      causes.append(
        "spec.selector: Invalid value: \"\(job.spec.selector.encoded.jsonText)\": `selector` will be auto-generated"
      )
    }
    if !causes.isEmpty { throw .invalid(.job, name, causes) }
    if let existing = store.jobs[job.key] {
      if createOnly { throw .alreadyExists(.job, name) }
      return try updateJob(existing, from: job)
    }
    try checkNamespace(job.metadata.namespace, for: .job, name)
    return try createOrUpdate(
      job, \.spec, createOnly: createOnly,
      stamp: { job in
        guard !job.spec.manualSelector else { return }
        Cluster.generateSelector(&job)
      }
    ) { $0.status = JobStatus() }
  }

  /// Upstream `generateSelector`: the pods carry the Job's uid and name under both the new and
  /// the legacy keys; the selector is the uid alone. A Job without labels takes its pods'.
  static func generateSelector(_ job: inout Job) {
    let uid = job.metadata.uid
    let name = job.metadata.name
    for (key, value) in [
      (Job.controllerUIDLabel, uid), (Job.jobNameLabel, name), ("controller-uid", uid),
      ("job-name", name),
    ] {
      job.spec.template.labels[key] = value
    }
    job.spec.selector = SelectorSpec(matchLabels: [Job.controllerUIDLabel: uid])
    if job.metadata.labels.isEmpty { job.metadata.labels = job.spec.template.labels }
  }

  /// A Job's template is fixed once created; parallelism, suspend, the deadlines and the back-off
  /// limit may change.
  private func updateJob(_ existing: Job, from job: Job) throws(APIError) -> ApplyResult {
    var template = job.spec.template
    template.labels.merge(
      existing.spec.template.labels.filter { ["controller-uid", "job-name"].contains($0.key) || $0.key.hasPrefix("batch.kubernetes.io/") }
    ) { mine, _ in mine }
    if template != existing.spec.template {
      throw .invalid(
        .job, job.metadata.name,
        [
          "spec.template: Invalid value: \(job.spec.template.encoded(serverFields: false).jsonText): field is immutable"
        ])
    }
    var updated = existing
    updated.spec.parallelism = job.spec.parallelism
    updated.spec.suspend = job.spec.suspend
    updated.spec.activeDeadlineSeconds = job.spec.activeDeadlineSeconds
    updated.spec.ttlSecondsAfterFinished = job.spec.ttlSecondsAfterFinished
    updated.spec.backoffLimit = job.spec.backoffLimit
    if !job.metadata.labels.isEmpty { updated.metadata.labels = job.metadata.labels }
    updated.metadata.annotations = job.metadata.annotations
    if updated.spec != existing.spec { updated.metadata.generation += 1 }
    guard updated != existing else {
      return ApplyResult(
        resource: .job, name: job.metadata.name, namespace: job.metadata.namespace,
        outcome: .unchanged, warnings: [])
    }
    try store.update(updated)
    return ApplyResult(
      resource: .job, name: job.metadata.name, namespace: job.metadata.namespace,
      outcome: .configured, warnings: [])
  }

  func applyCronJob(_ cronJob: CronJob, createOnly: Bool) throws(APIError) -> ApplyResult {
    let name = cronJob.metadata.name
    try checkNamespace(cronJob.metadata.namespace, for: .cronJob, name)
    var causes = Validation.nameIsValid(name, kind: "CronJob").map {
      "metadata.name: Invalid value: \"\(name)\": \($0)"
    }
    if name.isEmpty { causes = ["metadata.name: Required value: name or generateName is required"] }
    // Job names add 11 characters (`-` and the minutes), and must stay within 63.
    if name.count > 52 {
      causes.append("metadata.name: Invalid value: \"\(name)\": must be no more than 52 characters")
    }
    causes += Cluster.labelProblems(
      cronJob.spec.jobSpec.template.labels, path: "spec.jobTemplate.spec.template.metadata.labels")
    if !causes.isEmpty { throw .invalid(.cronJob, name, causes) }
    return try createOrUpdate(cronJob, \.spec, createOnly: createOnly) {
      $0.status = CronJobStatus()
    }
  }
}
