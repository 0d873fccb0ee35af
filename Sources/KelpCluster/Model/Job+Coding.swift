extension Job {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    Job, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Job")
    guard var d = try top.object("spec", goType: "JobSpec") else {
      throw ManifestError("spec.template: Required value", fieldPath: "spec.template")
    }
    let spec = try JobSpec(decoding: &d)
    top.finish()
    return (Job(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "batch/v1")
    out.set("kind", "Job")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.fields["spec"] = spec.encoded(serverFields: serverFields)
    guard serverFields else { return out.value }
    var status = JSONObjectBuilder()
    if self.status.active > 0 { status.set("active", self.status.active) }
    if let time = self.status.completionTime { status.set("completionTime", Timestamp.rfc3339(time)) }
    status.set("conditions", .array(self.status.conditions.map(\.encoded)))
    if self.status.failed > 0 { status.set("failed", self.status.failed) }
    status.fields["ready"] = .int(Int64(self.status.ready))
    if let time = self.status.startTime { status.set("startTime", Timestamp.rfc3339(time)) }
    if self.status.succeeded > 0 { status.set("succeeded", self.status.succeeded) }
    status.fields["terminating"] = .int(Int64(self.status.terminating))
    status.fields["uncountedTerminatedPods"] = [:]
    out.fields["status"] = status.value
    return out.value
  }
}

extension JobSpec {
  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    guard var template = try d.object("template", goType: "PodTemplateSpec") else {
      throw ManifestError("spec.template: Required value", fieldPath: "spec.template")
    }
    self.template = try PodTemplate(decoding: &template)
    let parallelism = try d.int("parallelism")
    let completions = try d.int("completions")
    self.parallelism = parallelism ?? 1
    self.completions = completions ?? (parallelism == nil ? 1 : nil)
    backoffLimit = try d.int("backoffLimit") ?? 6
    activeDeadlineSeconds = try d.int("activeDeadlineSeconds")
    ttlSecondsAfterFinished = try d.int("ttlSecondsAfterFinished")
    suspend = try d.bool("suspend") ?? false
    manualSelector = try d.bool("manualSelector") ?? false
    if var selector = try d.object("selector", goType: "LabelSelector") {
      self.selector = try SelectorSpec(decoding: &selector)
    }
    let path = d.path.isEmpty ? "spec" : d.path
    for (field, value) in [
      ("parallelism", parallelism), ("completions", completions), ("backoffLimit", backoffLimit),
      ("ttlSecondsAfterFinished", ttlSecondsAfterFinished),
    ] {
      if let value, value < 0 {
        throw ManifestError(
          "\(path).\(field): Invalid value: \(value): must be greater than or equal to 0",
          fieldPath: "\(path).\(field)")
      }
    }
    if let deadline = activeDeadlineSeconds, deadline <= 0 {
      throw ManifestError(
        "\(path).activeDeadlineSeconds: Invalid value: \(deadline): must be greater than or equal to 1",
        fieldPath: "\(path).activeDeadlineSeconds")
    }
    if self.template.spec.restartPolicy == .always {
      throw ManifestError(
        "\(path).template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
        fieldPath: "\(path).template.spec.restartPolicy")
    }
    for unsupported in ["completionMode", "podFailurePolicy", "successPolicy", "backoffLimitPerIndex"]
    where d.fields[unsupported] != nil
      && !(unsupported == "completionMode" && d.fields[unsupported] == .string("NonIndexed"))
    {
      throw ManifestError(
        "not supported: \(path).\(unsupported) (Kelp runs NonIndexed Jobs without pod failure or success policies; see docs/fidelity.md)",
        fieldPath: "\(path).\(unsupported)")
    }
    _ = d.raw("completionMode")
    d.finish()
  }

  func encoded(serverFields: Bool) -> JSONValue {
    var spec = JSONObjectBuilder()
    spec.set("activeDeadlineSeconds", activeDeadlineSeconds)
    if serverFields || backoffLimit != 6 { spec.set("backoffLimit", backoffLimit) }
    if serverFields { spec.set("completionMode", "NonIndexed") }
    spec.set("completions", completions)
    if manualSelector { spec.set("manualSelector", true) }
    if serverFields || parallelism != 1 { spec.set("parallelism", parallelism) }
    if serverFields { spec.set("podReplacementPolicy", "TerminatingOrFailed") }
    if !selector.isEmpty && (serverFields || manualSelector) {
      spec.fields["selector"] = selector.encoded
    }
    if serverFields || suspend { spec.set("suspend", suspend) }
    spec.fields["template"] = template.encoded(serverFields: serverFields)
    spec.set("ttlSecondsAfterFinished", ttlSecondsAfterFinished)
    return spec.value
  }
}
