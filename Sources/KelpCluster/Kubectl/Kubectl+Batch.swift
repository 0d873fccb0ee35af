/// `kubectl get` and `describe` for Jobs and CronJobs (upstream `printJob`, `printCronJob`,
/// `JobDescriber`, `CronJobDescriber`).
extension Job: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
      + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
  }

  /// kubectl's STATUS: the first that applies of Complete, Failed, Terminating, Suspended,
  /// FailureTarget, Running.
  var displayStatus: String {
    if status.condition("Complete") != nil { return "Complete" }
    if status.condition("Failed") != nil { return "Failed" }
    if metadata.deletionTimestamp != nil { return "Terminating" }
    if status.condition("Suspended") != nil { return "Suspended" }
    if status.condition("FailureTarget") != nil { return "FailureTarget" }
    return "Running"
  }

  var completionsText: String {
    if let completions = spec.completions { return "\(status.succeeded)/\(completions)" }
    return spec.parallelism > 1
      ? "\(status.succeeded)/1 of \(spec.parallelism)" : "\(status.succeeded)/1"
  }

  func durationText(now: Millis) -> String {
    guard let start = status.startTime else { return "" }
    return DurationText.human((status.completionTime ?? now) - start)
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    var cells = [
      metadata.name, displayStatus, completionsText, durationText(now: kubectl.now),
      kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells += Kubectl.templateColumns(spec.template, spec.selector) }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = kubectl.describeHeader(metadata, selector: spec.selector)
    if let owner = metadata.controller { text += "Controlled By:\t\(owner.kind)/\(owner.name)\n" }
    text += "Parallelism:\t\(spec.parallelism)\n"
    text += "Completions:\t\(spec.completions.map(String.init) ?? "<unset>")\n"
    text += "Completion Mode:\t\(spec.completionMode)\nSuspend:\t\(spec.suspend)\n"
    text += "Backoff Limit:\t\(spec.backoffLimit)\n"
    if let ttl = spec.ttlSecondsAfterFinished { text += "TTL Seconds After Finished:\t\(ttl)\n" }
    if let start = status.startTime {
      text += "Start Time:\t\(Timestamp.rfc1123(start))\n"
      if let completed = status.completionTime {
        text += "Completed At:\t\(Timestamp.rfc1123(completed))\n"
      }
      text += "Duration:\t\(durationText(now: kubectl.now))\n"
    }
    if let deadline = spec.activeDeadlineSeconds {
      text += "Active Deadline Seconds:\t\(deadline)s\n"
    }
    text +=
      "Pods Statuses:\t\(status.active) Active (\(status.ready) Ready) / \(status.succeeded) Succeeded / \(status.failed) Failed\n"
    if spec.isIndexed {
      let completed = IndexRanges.text(status.completedIndexes)
      text += "Completed Indexes:\t\(completed.isEmpty ? "<none>" : completed)\n"
      if let failed = status.failedIndexes {
        text += "Failed Indexes:\t\(failed.isEmpty ? "<none>" : IndexRanges.text(failed))\n"
      }
    }
    text += Kubectl.podTemplateSection(spec.template)
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension CronJob: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]
      + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    var cells = [
      metadata.name, spec.schedule.text, spec.timeZone ?? "<none>", spec.suspend ? "True" : "False",
      String(status.active.count), status.lastScheduleTime.map(kubectl.age) ?? "<none>",
      kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells += Kubectl.templateColumns(spec.jobSpec.template, spec.jobSpec.selector) }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Schedule:\t\(spec.schedule.text)\n"
    text += "Concurrency Policy:\t\(spec.concurrencyPolicy)\nSuspend:\t\(spec.suspend ? "True" : "False")\n"
    text += "Successful Job History Limit:\t\(spec.successfulJobsHistoryLimit)\n"
    text += "Failed Job History Limit:\t\(spec.failedJobsHistoryLimit)\n"
    text += "Starting Deadline Seconds:\t\(spec.startingDeadlineSeconds.map { "\($0)s" } ?? "<unset>")\n"
    text += "Selector:\t<unset>\n"
    text += "Parallelism:\t\(spec.jobSpec.parallelism)\n"
    text += "Completions:\t\(spec.jobSpec.completions.map(String.init) ?? "<unset>")\n"
    text += Kubectl.podTemplateSection(spec.jobSpec.template)
    text += "Last Schedule Time:\t\(status.lastScheduleTime.map(Timestamp.rfc1123) ?? "<unset>")\n"
    text += "Active Jobs:\t\(status.active.isEmpty ? "<none>" : status.active.joined(separator: ", "))\n"
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}
