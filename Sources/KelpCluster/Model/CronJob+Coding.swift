extension CronJob {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    CronJob, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "CronJob")
    guard var d = try top.object("spec", goType: "CronJobSpec") else {
      throw ManifestError("spec.schedule: Required value", fieldPath: "spec.schedule")
    }
    let text = try d.string("schedule") ?? ""
    if text.isEmpty {
      throw ManifestError("spec.schedule: Required value", fieldPath: "spec.schedule")
    }
    let timeZone = try d.string("timeZone")
    if let timeZone, timeZone.isEmpty {
      throw ManifestError(
        "spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string",
        fieldPath: "spec.timeZone")
    }
    let schedule: CronSchedule
    do {
      schedule = try CronSchedule(parsing: text, timeZone: timeZone)
    } catch {
      let field = error.message.contains("time zone") ? "spec.timeZone" : "spec.schedule"
      let shown = field == "spec.timeZone" ? (timeZone ?? "") : text
      throw ManifestError(
        "\(field): Invalid value: \"\(shown)\": \(error.message)", fieldPath: field)
    }
    guard var jobTemplate = try d.object("jobTemplate", goType: "JobTemplateSpec") else {
      throw ManifestError("spec.jobTemplate: Required value", fieldPath: "spec.jobTemplate")
    }
    var jobMetadata = ObjectMeta()
    if var meta = try jobTemplate.object("metadata", goType: "ObjectMeta") {
      jobMetadata = try ObjectMeta(decoding: &meta)
    }
    guard var jobSpec = try jobTemplate.object("spec", goType: "JobSpec") else {
      throw ManifestError(
        "spec.jobTemplate.spec.template: Required value",
        fieldPath: "spec.jobTemplate.spec.template")
    }
    var spec = CronJobSpec(schedule: schedule, jobSpec: try JobSpec(decoding: &jobSpec))
    jobTemplate.finish()
    spec.timeZone = timeZone
    spec.jobLabels = jobMetadata.labels
    spec.jobAnnotations = jobMetadata.annotations
    spec.startingDeadlineSeconds = try d.int("startingDeadlineSeconds")
    spec.concurrencyPolicy = try d.string("concurrencyPolicy") ?? "Allow"
    guard ["Allow", "Forbid", "Replace"].contains(spec.concurrencyPolicy) else {
      throw ManifestError(
        "spec.concurrencyPolicy: Unsupported value: \"\(spec.concurrencyPolicy)\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
        fieldPath: "spec.concurrencyPolicy")
    }
    spec.suspend = try d.bool("suspend") ?? false
    spec.successfulJobsHistoryLimit = try d.int("successfulJobsHistoryLimit") ?? 3
    spec.failedJobsHistoryLimit = try d.int("failedJobsHistoryLimit") ?? 1
    for (field, value) in [
      ("startingDeadlineSeconds", spec.startingDeadlineSeconds),
      ("successfulJobsHistoryLimit", spec.successfulJobsHistoryLimit),
      ("failedJobsHistoryLimit", spec.failedJobsHistoryLimit),
    ] {
      if let value, value < 0 {
        throw ManifestError(
          "spec.\(field): Invalid value: \(value): must be greater than or equal to 0",
          fieldPath: "spec.\(field)")
      }
    }
    d.finish()
    top.finish()
    return (CronJob(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "batch/v1")
    out.set("kind", "CronJob")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    if serverFields || self.spec.concurrencyPolicy != "Allow" {
      spec.set("concurrencyPolicy", self.spec.concurrencyPolicy)
    }
    if serverFields || self.spec.failedJobsHistoryLimit != 1 {
      spec.set("failedJobsHistoryLimit", self.spec.failedJobsHistoryLimit)
    }
    var jobMetadata = JSONObjectBuilder()
    jobMetadata.set("annotations", self.spec.jobAnnotations)
    if serverFields { jobMetadata.fields["creationTimestamp"] = .null }
    jobMetadata.set("labels", self.spec.jobLabels)
    spec.fields["jobTemplate"] = [
      "metadata": jobMetadata.value, "spec": self.spec.jobSpec.encoded(serverFields: serverFields),
    ]
    spec.set("schedule", self.spec.schedule.text)
    spec.set("startingDeadlineSeconds", self.spec.startingDeadlineSeconds)
    if serverFields || self.spec.successfulJobsHistoryLimit != 3 {
      spec.set("successfulJobsHistoryLimit", self.spec.successfulJobsHistoryLimit)
    }
    if serverFields || self.spec.suspend { spec.set("suspend", self.spec.suspend) }
    spec.set("timeZone", self.spec.timeZone)
    out.fields["spec"] = spec.value
    guard serverFields else { return out.value }
    var status = JSONObjectBuilder()
    if !self.status.active.isEmpty {
      status.fields["active"] = .array(
        self.status.active.map { name in
          [
            "apiVersion": "batch/v1", "kind": "Job", "name": .string(name),
            "namespace": .string(metadata.namespace),
          ]
        })
    }
    if let time = self.status.lastScheduleTime {
      status.set("lastScheduleTime", Timestamp.rfc3339(time))
    }
    if let time = self.status.lastSuccessfulTime {
      status.set("lastSuccessfulTime", Timestamp.rfc3339(time))
    }
    out.fields["status"] = status.value
    return out.value
  }
}
