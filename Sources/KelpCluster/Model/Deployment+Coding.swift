import OrderedCollections

extension Deployment {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    Deployment, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Deployment")
    guard var d = try top.object("spec", goType: "DeploymentSpec") else {
      throw ManifestError("spec.selector: Required value", fieldPath: "spec.selector")
    }
    let (selectorSpec, template) = try d.selectorAndTemplate()
    var spec = DeploymentSpec(selector: selectorSpec, template: template)
    spec.replicas = try d.int("replicas") ?? 1
    spec.minReadySeconds = try d.int("minReadySeconds") ?? 0
    spec.revisionHistoryLimit = try d.int("revisionHistoryLimit") ?? 10
    spec.progressDeadlineSeconds = try d.int("progressDeadlineSeconds") ?? 600
    spec.paused = try d.bool("paused") ?? false
    if var strategy = try d.object("strategy", goType: "DeploymentStrategy") {
      spec.strategy = try strategy.string("type") ?? "RollingUpdate"
      guard ["RollingUpdate", "Recreate"].contains(spec.strategy) else {
        throw ManifestError(
          "spec.strategy.type: Unsupported value: \"\(spec.strategy)\": supported values: \"Recreate\", \"RollingUpdate\"",
          fieldPath: "spec.strategy.type")
      }
      if var rolling = try strategy.object("rollingUpdate", goType: "RollingUpdateDeployment") {
        spec.maxSurge = try rolling.intOrString("maxSurge") ?? .string("25%")
        spec.maxUnavailable = try rolling.intOrString("maxUnavailable") ?? .string("25%")
        rolling.finish()
      }
      strategy.finish()
    }
    for (field, value) in [("replicas", spec.replicas), ("minReadySeconds", spec.minReadySeconds)]
    where value < 0 {
      throw ManifestError(
        "spec.\(field): Invalid value: \(value): must be greater than or equal to 0",
        fieldPath: "spec.\(field)")
    }
    for (field, value) in [("maxSurge", spec.maxSurge), ("maxUnavailable", spec.maxUnavailable)]
    where value.scaled(100, roundUp: true) == nil {
      throw ManifestError(
        "spec.strategy.rollingUpdate.\(field): Invalid value: \"\(value)\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        fieldPath: "spec.strategy.rollingUpdate.\(field)")
    }
    d.finish()
    top.finish()
    return (Deployment(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "apps/v1")
    out.set("kind", "Deployment")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    if self.spec.minReadySeconds != 0 { spec.set("minReadySeconds", self.spec.minReadySeconds) }
    if self.spec.paused { spec.set("paused", true) }
    if serverFields {
      spec.set("progressDeadlineSeconds", self.spec.progressDeadlineSeconds)
    }
    spec.fields["replicas"] = .int(Int64(self.spec.replicas))
    if serverFields { spec.set("revisionHistoryLimit", self.spec.revisionHistoryLimit) }
    spec.fields["selector"] = self.spec.selector.encoded
    var strategy = JSONObjectBuilder()
    if self.spec.strategy == "RollingUpdate" {
      strategy.fields["rollingUpdate"] = [
        "maxSurge": self.spec.maxSurge.json, "maxUnavailable": self.spec.maxUnavailable.json,
      ]
    }
    strategy.set("type", self.spec.strategy)
    if serverFields || self.spec.strategy != "RollingUpdate" {
      spec.fields["strategy"] = strategy.value
    }
    spec.fields["template"] = self.spec.template.encoded(serverFields: serverFields)
    out.fields["spec"] = spec.value
    guard serverFields else { return out.value }
    var status = JSONObjectBuilder()
    if self.status.availableReplicas > 0 {
      status.set("availableReplicas", self.status.availableReplicas)
    }
    status.set(
      "conditions",
      .array(
        self.status.conditions.map { condition in
          [
            "lastTransitionTime": .string(Timestamp.rfc3339(condition.lastTransitionTime)),
            "lastUpdateTime": .string(Timestamp.rfc3339(condition.lastUpdateTime)),
            "message": .string(condition.message), "reason": .string(condition.reason),
            "status": .string(condition.status), "type": .string(condition.type),
          ]
        }))
    status.set("observedGeneration", self.status.observedGeneration)
    if self.status.readyReplicas > 0 { status.set("readyReplicas", self.status.readyReplicas) }
    if self.status.replicas > 0 { status.set("replicas", self.status.replicas) }
    if self.status.unavailableReplicas > 0 {
      status.set("unavailableReplicas", self.status.unavailableReplicas)
    }
    if self.status.updatedReplicas > 0 {
      status.set("updatedReplicas", self.status.updatedReplicas)
    }
    out.fields["status"] = status.value
    return out.value
  }
}
