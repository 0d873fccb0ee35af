import OrderedCollections

extension ReplicaSet {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    ReplicaSet, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "ReplicaSet")
    guard var spec = try top.object("spec", goType: "ReplicaSetSpec") else {
      throw ManifestError("spec.selector: Required value", fieldPath: "spec.selector")
    }
    let replicas = try spec.int("replicas") ?? 1
    if replicas < 0 {
      throw ManifestError(
        "spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0",
        fieldPath: "spec.replicas")
    }
    let minReady = try spec.int("minReadySeconds") ?? 0
    let (selectorSpec, podTemplate) = try spec.selectorAndTemplate()
    spec.finish()
    top.finish()
    let decoded = ReplicaSet(
      metadata: metadata,
      spec: ReplicaSetSpec(
        replicas: replicas, minReadySeconds: minReady, selector: selectorSpec, template: podTemplate
      ))
    return (decoded, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "apps/v1")
    out.set("kind", "ReplicaSet")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    if self.spec.minReadySeconds != 0 { spec.set("minReadySeconds", self.spec.minReadySeconds) }
    spec.fields["replicas"] = .int(Int64(self.spec.replicas))
    spec.fields["selector"] = self.spec.selector.encoded
    spec.fields["template"] = self.spec.template.encoded(serverFields: serverFields)
    out.fields["spec"] = spec.value
    if serverFields {
      var status = JSONObjectBuilder()
      if self.status.availableReplicas > 0 {
        status.set("availableReplicas", self.status.availableReplicas)
      }
      status.set("fullyLabeledReplicas", self.status.fullyLabeledReplicas)
      status.set("observedGeneration", self.status.observedGeneration)
      if self.status.readyReplicas > 0 { status.set("readyReplicas", self.status.readyReplicas) }
      status.fields["replicas"] = .int(Int64(self.status.replicas))
      out.fields["status"] = status.value
    }
    return out.value
  }
}

extension FieldDecoder {
  /// A workload's `selector` and `template`, both required.
  mutating func selectorAndTemplate() throws(ManifestError) -> (SelectorSpec, PodTemplate) {
    guard var selector = try object("selector", goType: "LabelSelector") else {
      throw ManifestError("spec.selector: Required value", fieldPath: "spec.selector")
    }
    let selectorSpec = try SelectorSpec(decoding: &selector)
    guard var template = try object("template", goType: "PodTemplateSpec") else {
      throw ManifestError("spec.template: Required value", fieldPath: "spec.template")
    }
    return (selectorSpec, try PodTemplate(decoding: &template))
  }
}

extension SelectorSpec {
  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    matchLabels = try d.stringMap("matchLabels")
    for var expression in try d.objects("matchExpressions", goType: "LabelSelectorRequirement") {
      matchExpressions.append(
        (
          key: try expression.requiredString("key"),
          operator: try expression.requiredString("operator"),
          values: try expression.strings("values")
        ))
      expression.finish()
    }
    d.finish()
  }

  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    out.set(
      "matchExpressions",
      .array(
        matchExpressions.map { expression in
          var item = JSONObjectBuilder()
          item.set("key", expression.key)
          item.set("operator", expression.operator)
          item.set("values", .array(expression.values.map(JSONValue.string)))
          return item.value
        }))
    out.set("matchLabels", matchLabels)
    return out.value
  }
}

extension PodTemplate {
  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    if var meta = try d.object("metadata", goType: "ObjectMeta") {
      let metadata = try ObjectMeta(decoding: &meta)
      labels = metadata.labels
      annotations = metadata.annotations
    }
    guard var spec = try d.object("spec", goType: "PodSpec") else {
      throw ManifestError(
        "\(d.childPath("spec.containers")): Required value",
        fieldPath: d.childPath("spec.containers"))
    }
    self.spec = try PodSpec(decoding: &spec)
    d.finish()
  }

  func encoded(serverFields: Bool) -> JSONValue {
    var metadata = JSONObjectBuilder()
    metadata.set("annotations", annotations)
    if serverFields { metadata.fields["creationTimestamp"] = .null }
    metadata.set("labels", labels)
    var out = JSONObjectBuilder()
    out.fields["metadata"] = metadata.value
    out.fields["spec"] = spec.encoded(serverFields: serverFields, template: true)
    return out.value
  }
}
