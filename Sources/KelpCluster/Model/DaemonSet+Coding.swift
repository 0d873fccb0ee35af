extension DaemonSet {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    DaemonSet, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "DaemonSet")
    guard var d = try top.object("spec", goType: "DaemonSetSpec") else {
      throw ManifestError("spec.selector: Required value", fieldPath: "spec.selector")
    }
    let (selectorSpec, template) = try d.selectorAndTemplate()
    var spec = DaemonSetSpec(selector: selectorSpec, template: template)
    spec.minReadySeconds = try d.int("minReadySeconds") ?? 0
    spec.revisionHistoryLimit = try d.int("revisionHistoryLimit") ?? 10
    if var strategy = try d.object("updateStrategy", goType: "DaemonSetUpdateStrategy") {
      spec.updateStrategy = try strategy.string("type") ?? "RollingUpdate"
      guard ["RollingUpdate", "OnDelete"].contains(spec.updateStrategy) else {
        throw ManifestError(
          "spec.updateStrategy.type: Unsupported value: \"\(spec.updateStrategy)\": supported values: \"OnDelete\", \"RollingUpdate\"",
          fieldPath: "spec.updateStrategy.type")
      }
      if var rolling = try strategy.object("rollingUpdate", goType: "RollingUpdateDaemonSet") {
        spec.maxUnavailable = try rolling.intOrString("maxUnavailable") ?? .int(1)
        spec.maxSurge = try rolling.intOrString("maxSurge") ?? .int(0)
        rolling.finish()
      }
      strategy.finish()
    }
    if spec.template.spec.restartPolicy != .always {
      throw ManifestError(
        "spec.template.spec.restartPolicy: Unsupported value: \"\(spec.template.spec.restartPolicy.rawValue)\": supported values: \"Always\"",
        fieldPath: "spec.template.spec.restartPolicy")
    }
    d.finish()
    top.finish()
    return (DaemonSet(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "apps/v1")
    out.set("kind", "DaemonSet")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    if self.spec.minReadySeconds != 0 { spec.set("minReadySeconds", self.spec.minReadySeconds) }
    if serverFields { spec.set("revisionHistoryLimit", self.spec.revisionHistoryLimit) }
    spec.fields["selector"] = self.spec.selector.encoded
    spec.fields["template"] = self.spec.template.encoded(serverFields: serverFields)
    var strategy = JSONObjectBuilder()
    if self.spec.updateStrategy == "RollingUpdate" {
      strategy.fields["rollingUpdate"] = [
        "maxSurge": self.spec.maxSurge.json, "maxUnavailable": self.spec.maxUnavailable.json,
      ]
    }
    strategy.set("type", self.spec.updateStrategy)
    if serverFields || self.spec.updateStrategy != "RollingUpdate" {
      spec.fields["updateStrategy"] = strategy.value
    }
    out.fields["spec"] = spec.value
    guard serverFields else { return out.value }
    // The four counts without omitempty upstream are always printed.
    var status = JSONObjectBuilder()
    status.fields["currentNumberScheduled"] = .int(Int64(self.status.currentNumberScheduled))
    status.fields["desiredNumberScheduled"] = .int(Int64(self.status.desiredNumberScheduled))
    if self.status.numberAvailable > 0 { status.set("numberAvailable", self.status.numberAvailable) }
    status.fields["numberMisscheduled"] = .int(Int64(self.status.numberMisscheduled))
    status.fields["numberReady"] = .int(Int64(self.status.numberReady))
    if self.status.numberUnavailable > 0 {
      status.set("numberUnavailable", self.status.numberUnavailable)
    }
    status.set("observedGeneration", self.status.observedGeneration)
    if self.status.updatedNumberScheduled > 0 {
      status.set("updatedNumberScheduled", self.status.updatedNumberScheduled)
    }
    out.fields["status"] = status.value
    return out.value
  }
}
