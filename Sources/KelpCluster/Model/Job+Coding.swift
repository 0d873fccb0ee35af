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
    if spec.isIndexed {
      status.set("completedIndexes", IndexRanges.text(self.status.completedIndexes))
    }
    status.set("conditions", .array(self.status.conditions.map(\.encoded)))
    if self.status.failed > 0 { status.set("failed", self.status.failed) }
    if let failed = self.status.failedIndexes { status.set("failedIndexes", IndexRanges.text(failed)) }
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
    try decodePolicies(&d, path: path)
    d.finish()
  }

  func encoded(serverFields: Bool) -> JSONValue {
    var spec = JSONObjectBuilder()
    spec.set("activeDeadlineSeconds", activeDeadlineSeconds)
    let defaultLimit = backoffLimitPerIndex == nil ? 6 : JobSpec.unlimited
    if serverFields || backoffLimit != defaultLimit { spec.set("backoffLimit", backoffLimit) }
    spec.set("backoffLimitPerIndex", backoffLimitPerIndex)
    if serverFields || isIndexed { spec.set("completionMode", completionMode) }
    spec.set("completions", completions)
    if manualSelector { spec.set("manualSelector", true) }
    spec.set("maxFailedIndexes", maxFailedIndexes)
    if serverFields || parallelism != 1 { spec.set("parallelism", parallelism) }
    if !podFailurePolicy.isEmpty {
      spec.fields["podFailurePolicy"] = ["rules": .array(podFailurePolicy.map(\.encoded))]
    }
    if serverFields { spec.set("podReplacementPolicy", podReplacementPolicy) }
    if !successPolicy.isEmpty {
      spec.fields["successPolicy"] = [
        "rules": .array(
          successPolicy.map { rule in
            var out = JSONObjectBuilder()
            out.set("succeededCount", rule.succeededCount)
            out.set("succeededIndexes", rule.succeededIndexesText)
            return out.value
          })
      ]
    }
    if !selector.isEmpty && (serverFields || manualSelector) {
      spec.fields["selector"] = selector.encoded
    }
    if serverFields || suspend { spec.set("suspend", suspend) }
    spec.fields["template"] = template.encoded(serverFields: serverFields)
    spec.set("ttlSecondsAfterFinished", ttlSecondsAfterFinished)
    return spec.value
  }
}

extension JobSpec {
  /// backoffLimit's default when backoffLimitPerIndex is set: the global limit never applies.
  static let unlimited = 2_147_483_647

  /// completionMode, the per-index back-off, podFailurePolicy and successPolicy, with the API
  /// server's checks of how they combine.
  mutating func decodePolicies(_ d: inout FieldDecoder, path: String) throws(ManifestError) {
    completionMode = try d.string("completionMode") ?? "NonIndexed"
    guard ["NonIndexed", "Indexed"].contains(completionMode) else {
      throw ManifestError(
        "\(path).completionMode: Unsupported value: \"\(completionMode)\": supported values: \"NonIndexed\", \"Indexed\"",
        fieldPath: "\(path).completionMode")
    }
    if isIndexed && completions == nil {
      throw ManifestError(
        "\(path).completions: Required value: when completion mode is Indexed",
        fieldPath: "\(path).completions")
    }
    if isIndexed && parallelism > 100_000 {
      throw ManifestError(
        "\(path).parallelism: Invalid value: \(parallelism): must be less than or equal to 100000 when completion mode is Indexed",
        fieldPath: "\(path).parallelism")
    }
    backoffLimitPerIndex = try d.int("backoffLimitPerIndex")
    if backoffLimitPerIndex != nil, let completions, completions > 100_000 {
      throw ManifestError(
        "\(path).completions: Invalid value: \(completions): must be less than or equal to 100000 when backoffLimitPerIndex is specified",
        fieldPath: "\(path).completions")
    }
    maxFailedIndexes = try d.int("maxFailedIndexes")
    if backoffLimitPerIndex != nil {
      if !isIndexed {
        throw ManifestError(
          "\(path).backoffLimitPerIndex: Forbidden: requires indexed completion mode",
          fieldPath: "\(path).backoffLimitPerIndex")
      }
      if d.fields["backoffLimit"] == nil { backoffLimit = JobSpec.unlimited }
    } else if maxFailedIndexes != nil {
      throw ManifestError(
        "\(path).maxFailedIndexes: Required value: must be specified when maxFailedIndexes is set",
        fieldPath: "\(path).backoffLimitPerIndex")
    }
    if var policy = try d.object("podFailurePolicy", goType: "PodFailurePolicy") {
      for var rule in try policy.objects("rules", goType: "PodFailurePolicyRule") {
        podFailurePolicy.append(try PodFailurePolicyRule(decoding: &rule))
      }
      policy.finish()
      if template.spec.restartPolicy != .never {
        throw ManifestError(
          "\(path).template.spec.restartPolicy: Invalid value: \"\(template.spec.restartPolicy.rawValue)\": only \"Never\" is supported when podFailurePolicy is specified",
          fieldPath: "\(path).template.spec.restartPolicy")
      }
      podReplacementPolicy = "Failed"
    }
    podReplacementPolicy = try d.string("podReplacementPolicy") ?? podReplacementPolicy
    if var policy = try d.object("successPolicy", goType: "SuccessPolicy") {
      guard isIndexed else {
        throw ManifestError(
          "\(path).successPolicy: Invalid value: \"\": requires indexed completion mode",
          fieldPath: "\(path).successPolicy")
      }
      for var rule in try policy.objects("rules", goType: "SuccessPolicyRule") {
        var parsed = SuccessPolicyRule()
        if let text = try rule.string("succeededIndexes") {
          guard let indexes = IndexRanges.parse(text, below: completions ?? 0) else {
            throw ManifestError(
              "\(rule.path).succeededIndexes: Invalid value: \"\(text)\": error parsing succeededIndexes: indexes must be ascending, non-overlapping and less than completions",
              fieldPath: "\(rule.path).succeededIndexes")
          }
          parsed.succeededIndexes = indexes
          parsed.succeededIndexesText = text
        }
        parsed.succeededCount = try rule.int("succeededCount")
        rule.finish()
        successPolicy.append(parsed)
      }
      policy.finish()
    }
  }
}

extension PodFailurePolicyRule {
  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    action = try d.requiredString("action")
    guard ["FailJob", "FailIndex", "Ignore", "Count"].contains(action) else {
      throw ManifestError(
        "\(d.path).action: Unsupported value: \"\(action)\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
        fieldPath: "\(d.path).action")
    }
    if var codes = try d.object("onExitCodes", goType: "PodFailurePolicyOnExitCodesRequirement") {
      containerName = try codes.string("containerName")
      exitCodeOperator = try codes.requiredString("operator")
      if case .array(let values) = codes.raw("values") ?? .null {
        for value in values {
          guard case .int(let code) = value else {
            throw ManifestError(
              "\(codes.path).values: Invalid value: \(value.jsonText): must be an integer",
              fieldPath: "\(codes.path).values")
          }
          exitCodes.append(Int(code))
        }
      }
      codes.finish()
    }
    for var condition in try d.objects(
      "onPodConditions", goType: "PodFailurePolicyOnPodConditionsPattern")
    {
      podConditions.append(
        PodConditionPattern(
          type: try condition.requiredString("type"),
          status: try condition.string("status") ?? "True"))
      condition.finish()
    }
    d.finish()
  }

  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    out.set("action", action)
    if let exitCodeOperator {
      var codes = JSONObjectBuilder()
      codes.set("containerName", containerName)
      codes.set("operator", exitCodeOperator)
      codes.fields["values"] = .array(exitCodes.map { .int(Int64($0)) })
      out.fields["onExitCodes"] = codes.value
    }
    if !podConditions.isEmpty {
      out.fields["onPodConditions"] = .array(
        podConditions.map { ["status": .string($0.status), "type": .string($0.type)] })
    }
    return out.value
  }
}
