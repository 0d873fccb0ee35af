extension HorizontalPodAutoscaler {
  /// autoscaling/v2, and autoscaling/v1 (`targetCPUUtilizationPercentage`), which the API
  /// server converts to the same object.
  public static func decode(_ manifest: JSONValue, version: String) throws(ManifestError) -> (
    HorizontalPodAutoscaler, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "HorizontalPodAutoscaler")
    guard var d = try top.object("spec", goType: "HorizontalPodAutoscalerSpec") else {
      throw ManifestError("spec.scaleTargetRef.kind: Required value", fieldPath: "spec")
    }
    guard var target = try d.object("scaleTargetRef", goType: "CrossVersionObjectReference") else {
      throw ManifestError(
        "spec.scaleTargetRef.kind: Required value", fieldPath: "spec.scaleTargetRef")
    }
    let kind = try target.string("kind") ?? ""
    let name = try target.string("name") ?? ""
    let apiVersion = try target.string("apiVersion") ?? ""
    target.finish()
    for (field, value) in [("kind", kind), ("name", name)] where value.isEmpty {
      throw ManifestError(
        "spec.scaleTargetRef.\(field): Required value", fieldPath: "spec.scaleTargetRef.\(field)")
    }
    guard let maxReplicas = try d.int("maxReplicas") else {
      throw ManifestError(
        "spec.maxReplicas: Invalid value: 0: must be greater than or equal to 1",
        fieldPath: "spec.maxReplicas")
    }
    var spec = HorizontalPodAutoscalerSpec(
      targetAPIVersion: apiVersion, targetKind: kind, targetName: name, maxReplicas: maxReplicas)
    spec.minReplicas = try d.int("minReplicas") ?? 1
    if version == "autoscaling/v1" {
      if let percent = try d.int("targetCPUUtilizationPercentage") {
        spec.metrics = [ResourceMetric(resource: "cpu", averageUtilization: percent)]
      }
    } else {
      let metrics = try d.objects("metrics", goType: "MetricSpec")
      if !metrics.isEmpty { spec.metrics = [] }
      for var metric in metrics {
        let type = try metric.string("type") ?? ""
        guard type == "Resource", var resource = try metric.object("resource", goType: "ResourceMetricSource")
        else {
          throw ManifestError(
            "not supported: \(metric.path).type \"\(type)\" (Kelp simulates Resource metrics: cpu and memory)",
            fieldPath: "\(metric.path).type")
        }
        let resourceName = try resource.requiredString("name")
        var parsed = ResourceMetric(resource: resourceName)
        if var goal = try resource.object("target", goType: "MetricTarget") {
          _ = try goal.string("type")
          parsed.averageUtilization = try goal.int("averageUtilization")
          if let text = try goal.string("averageValue") {
            do { parsed.averageValue = try Quantity(text) } catch {
              throw ManifestError(
                "\(goal.path).averageValue: Invalid value: \"\(text)\": \(error)",
                fieldPath: "\(goal.path).averageValue")
            }
          }
          goal.finish()
        }
        resource.finish()
        metric.finish()
        spec.metrics.append(parsed)
      }
      if var behavior = try d.object("behavior", goType: "HorizontalPodAutoscalerBehavior") {
        spec.hasBehavior = true
        if var up = try behavior.object("scaleUp", goType: "HPAScalingRules") {
          spec.scaleUp = try ScalingRules(decoding: &up, defaults: .defaultScaleUp)
        }
        if var down = try behavior.object("scaleDown", goType: "HPAScalingRules") {
          spec.scaleDown = try ScalingRules(decoding: &down, defaults: .defaultScaleDown)
        }
        behavior.finish()
      }
    }
    for (position, metric) in spec.metrics.enumerated() {
      let field =
        version == "autoscaling/v1"
        ? "spec.targetCPUUtilizationPercentage"
        : "spec.metrics[\(position)].resource.target.averageUtilization"
      if let percent = metric.averageUtilization, percent < 1 {
        throw ManifestError(
          "\(field): Invalid value: \(percent): must be greater than 0", fieldPath: field)
      }
      if let value = metric.averageValue, value.milliValue <= 0 {
        let path = "spec.metrics[\(position)].resource.target.averageValue"
        throw ManifestError(
          "\(path): Invalid value: \"\(value)\": must be positive", fieldPath: path)
      }
      if metric.averageUtilization == nil && metric.averageValue == nil {
        let path = "spec.metrics[\(position)].resource.target"
        throw ManifestError(
          "\(path).averageUtilization: Required value: must set either a target value or averageUtilization",
          fieldPath: path)
      }
    }
    if spec.minReplicas < 1 {
      throw ManifestError(
        "spec.minReplicas: Invalid value: \(spec.minReplicas): must be greater than or equal to 1",
        fieldPath: "spec.minReplicas")
    }
    if maxReplicas < spec.minReplicas {
      throw ManifestError(
        "spec.maxReplicas: Invalid value: \(maxReplicas): must be greater than or equal to `minReplicas`",
        fieldPath: "spec.maxReplicas")
    }
    d.finish()
    top.finish()
    return (HorizontalPodAutoscaler(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "autoscaling/v2")
    out.set("kind", "HorizontalPodAutoscaler")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    if self.spec.hasBehavior {
      spec.fields["behavior"] = [
        "scaleDown": self.spec.scaleDown.encoded, "scaleUp": self.spec.scaleUp.encoded,
      ]
    }
    spec.set("maxReplicas", self.spec.maxReplicas)
    spec.fields["metrics"] = .array(
      self.spec.metrics.map { metric in
        var target = JSONObjectBuilder()
        if let percent = metric.averageUtilization {
          target.set("averageUtilization", percent)
          target.set("type", "Utilization")
        } else if let value = metric.averageValue {
          target.set("averageValue", value.description)
          target.set("type", "AverageValue")
        }
        return [
          "resource": ["name": .string(metric.resource), "target": target.value],
          "type": "Resource",
        ]
      })
    spec.set("minReplicas", self.spec.minReplicas)
    spec.fields["scaleTargetRef"] = [
      "apiVersion": .string(self.spec.targetAPIVersion), "kind": .string(self.spec.targetKind),
      "name": .string(self.spec.targetName),
    ]
    out.fields["spec"] = spec.value
    guard serverFields else { return out.value }
    var status = JSONObjectBuilder()
    status.set(
      "conditions",
      .array(
        self.status.conditions.map { condition in
          [
            "lastTransitionTime": .string(Timestamp.rfc3339(condition.lastTransitionTime)),
            "message": .string(condition.message), "reason": .string(condition.reason),
            "status": .string(condition.status), "type": .string(condition.type),
          ]
        }))
    status.set(
      "currentMetrics",
      .array(
        self.status.currentMetrics.map { metric in
          var current = JSONObjectBuilder()
          current.set("averageUtilization", metric.utilization)
          current.set("averageValue", metric.averageValue.description)
          return [
            "resource": ["current": current.value, "name": .string(metric.resource)],
            "type": "Resource",
          ]
        }))
    status.fields["currentReplicas"] = .int(Int64(self.status.currentReplicas))
    status.fields["desiredReplicas"] = .int(Int64(self.status.desiredReplicas))
    if let time = self.status.lastScaleTime { status.set("lastScaleTime", Timestamp.rfc3339(time)) }
    status.set("observedGeneration", self.status.observedGeneration)
    out.fields["status"] = status.value
    return out.value
  }
}

extension ScalingRules {
  init(decoding d: inout FieldDecoder, defaults: ScalingRules) throws(ManifestError) {
    self = defaults
    stabilizationWindowSeconds =
      try d.int("stabilizationWindowSeconds") ?? defaults.stabilizationWindowSeconds
    selectPolicy = try d.string("selectPolicy") ?? "Max"
    guard ["Max", "Min", "Disabled"].contains(selectPolicy) else {
      throw ManifestError(
        "\(d.path).selectPolicy: Unsupported value: \"\(selectPolicy)\": supported values: \"Disabled\", \"Max\", \"Min\"",
        fieldPath: "\(d.path).selectPolicy")
    }
    let given = try d.objects("policies", goType: "HPAScalingPolicy")
    if !given.isEmpty { policies = [] }
    for var policy in given {
      let type = try policy.requiredString("type")
      guard type == "Pods" || type == "Percent" else {
        throw ManifestError(
          "\(policy.path).type: Unsupported value: \"\(type)\": supported values: \"Percent\", \"Pods\"",
          fieldPath: "\(policy.path).type")
      }
      policies.append(
        Policy(
          type: type, value: try policy.int("value") ?? 0,
          periodSeconds: try policy.int("periodSeconds") ?? 15))
      policy.finish()
    }
    d.finish()
  }

  var encoded: JSONValue {
    [
      "policies": .array(
        policies.map {
          [
            "periodSeconds": .int(Int64($0.periodSeconds)), "type": .string($0.type),
            "value": .int(Int64($0.value)),
          ]
        }),
      "selectPolicy": .string(selectPolicy),
      "stabilizationWindowSeconds": .int(Int64(stabilizationWindowSeconds)),
    ]
  }
}
