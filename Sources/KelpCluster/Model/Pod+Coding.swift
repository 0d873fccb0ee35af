import OrderedCollections

extension Pod {
  /// A Pod from its manifest, strict as the API server: wrong types and missing required fields
  /// are errors, unknown fields are collected as warnings.
  public init(decoding manifest: JSONValue) throws(ManifestError) {
    self = try Pod.decode(manifest).pod
  }

  /// The pod and the unknown fields it had (`spec.replica`), in one pass.
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    pod: Pod, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Pod")
    guard var specDecoder = try top.object("spec", goType: "PodSpec") else {
      throw ManifestError("spec.containers: Required value", fieldPath: "spec.containers")
    }
    let spec = try PodSpec(decoding: &specDecoder)
    top.finish()
    return (Pod(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "Pod")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.set("spec", spec.encoded(serverFields: serverFields))
    if serverFields { out.set("status", status.encoded()) }
    return out.value
  }
}

extension PodSpec {
  static let passthroughKeys = [
    "activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "dnsConfig", "dnsPolicy",
    "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostIPC", "hostPID", "hostname",
    "imagePullSecrets", "os", "overhead", "preemptionPolicy", "priorityClassName",
    "readinessGates", "runtimeClassName", "securityContext", "serviceAccount",
    "setHostnameAsFQDN", "shareProcessNamespace", "subdomain", "topologySpreadConstraints",
    "hostUsers", "schedulingGates", "resourceClaims", "resources",
  ]

  public init(decoding d: inout FieldDecoder) throws(ManifestError) {
    var containers: [Container] = []
    for var c in try d.objects("containers", goType: "Container") {
      containers.append(try Container(decoding: &c))
    }
    if containers.isEmpty {
      throw ManifestError(
        "\(d.childPath("containers")): Required value", fieldPath: d.childPath("containers"))
    }
    self.init(containers: containers)
    for var c in try d.objects("initContainers", goType: "Container") {
      initContainers.append(try Container(decoding: &c))
    }
    if let policy = try d.string("restartPolicy") {
      guard let parsed = RestartPolicy(rawValue: policy) else {
        throw ManifestError(
          "\(d.childPath("restartPolicy")): Unsupported value: \"\(policy)\": supported values: "
            + "\"Always\", \"OnFailure\", \"Never\"", fieldPath: d.childPath("restartPolicy"))
      }
      restartPolicy = parsed
    }
    nodeName = try d.string("nodeName") ?? ""
    nodeSelector = try d.stringMap("nodeSelector")
    for var t in try d.objects("tolerations", goType: "Toleration") {
      tolerations.append(
        Toleration(
          key: try t.string("key") ?? "", operator: try t.string("operator") ?? "Equal",
          value: try t.string("value") ?? "", effect: try t.string("effect") ?? "",
          tolerationSeconds: try t.int("tolerationSeconds")))
      t.finish()
    }
    terminationGracePeriodSeconds = try d.int("terminationGracePeriodSeconds") ?? 30
    if terminationGracePeriodSeconds < 0 {
      throw ManifestError(
        "\(d.childPath("terminationGracePeriodSeconds")): Invalid value: \(terminationGracePeriodSeconds): must be greater than or equal to 0",
        fieldPath: d.childPath("terminationGracePeriodSeconds"))
    }
    schedulerName = try d.string("schedulerName") ?? "default-scheduler"
    serviceAccountName = try d.string("serviceAccountName") ?? "default"
    priority = try d.int("priority") ?? 0
    hostNetwork = try d.bool("hostNetwork") ?? false
    for var v in try d.objects("volumes", goType: "Volume") {
      let name = try v.requiredString("name")
      var source = v.fields
      source.removeValue(forKey: "name")
      volumes.append(Volume(name: name, source: source))
    }
    if let affinity = d.fields["affinity"], let node = affinity["nodeAffinity"] {
      nodeAffinity = try NodeAffinity(
        decoding: node, path: d.childPath("affinity.nodeAffinity"))
    }
    for key in PodSpec.passthroughKeys {
      if let value = d.raw(key) { passthrough[key] = value }
    }
    d.finish()
  }

  /// `template`: the spec of a pod template, which gets the PodSpec defaults but not what only
  /// pods get (enableServiceLinks, and the priority and service account admission adds).
  func encoded(serverFields: Bool, template: Bool = false) -> JSONValue {
    var out = JSONObjectBuilder()
    for (key, value) in passthrough where key != "dnsPolicy" && key != "enableServiceLinks" {
      out.set(key, value)
    }
    // The typed node affinity is the truth (a DaemonSet pins its pods through it); the other
    // affinities pass through as written.
    var affinity: OrderedDictionary<String, JSONValue> = [:]
    if case .object(let written) = passthrough["affinity"] { affinity = written }
    affinity["nodeAffinity"] = nodeAffinity?.encoded
    out.fields["affinity"] = affinity.isEmpty ? nil : .object(affinity)
    out.set("containers", .array(containers.map { $0.encoded(serverFields: serverFields) }))
    if serverFields {
      out.set("dnsPolicy", passthrough["dnsPolicy"] ?? .string("ClusterFirst"))
      out.set(
        "enableServiceLinks",
        passthrough["enableServiceLinks"] ?? (template ? nil : .bool(true)))
    } else {
      out.set("dnsPolicy", passthrough["dnsPolicy"])
      out.set("enableServiceLinks", passthrough["enableServiceLinks"])
    }
    out.set("hostNetwork", hostNetwork ? true : nil)
    out.set("initContainers", .array(initContainers.map { $0.encoded(serverFields: serverFields) }))
    out.set("nodeName", nodeName)
    out.set("nodeSelector", nodeSelector)
    if serverFields {
      if !template {
        out.set(
          "preemptionPolicy", passthrough["preemptionPolicy"] ?? .string("PreemptLowerPriority"))
        out.set("priority", priority)
      } else if priority != 0 {
        out.set("priority", priority)
      }
      out.set("restartPolicy", restartPolicy.rawValue)
      out.set("schedulerName", schedulerName)
      out.fields["securityContext"] = passthrough["securityContext"] ?? .object([:])
      if !template || serviceAccountName != "default" {
        if !template { out.set("serviceAccount", serviceAccountName) }
        out.set("serviceAccountName", serviceAccountName)
      }
      out.set("terminationGracePeriodSeconds", terminationGracePeriodSeconds)
    } else {
      if restartPolicy != .always { out.set("restartPolicy", restartPolicy.rawValue) }
      if priority != 0 { out.set("priority", priority) }
      if schedulerName != "default-scheduler" { out.set("schedulerName", schedulerName) }
      if serviceAccountName != "default" { out.set("serviceAccountName", serviceAccountName) }
      if terminationGracePeriodSeconds != 30 {
        out.set("terminationGracePeriodSeconds", terminationGracePeriodSeconds)
      }
    }
    out.set("tolerations", .array(tolerations.map(\.encoded)))
    out.set(
      "volumes",
      .array(
        volumes.map { volume in
          var fields: OrderedDictionary<String, JSONValue> = ["name": .string(volume.name)]
          fields.merge(volume.source) { first, _ in first }
          return .object(fields)
        }))
    return out.value
  }
}

extension Toleration {
  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    out.set("effect", effect)
    out.set("key", key)
    out.set("operator", self.operator)
    out.set("tolerationSeconds", tolerationSeconds)
    out.set("value", value)
    return out.value
  }
}

extension NodeAffinity {
  init(decoding value: JSONValue, path: String) throws(ManifestError) {
    var d = try FieldDecoder(value, path: path, goType: "NodeAffinity", warnings: .init())
    if var required = try d.object(
      "requiredDuringSchedulingIgnoredDuringExecution", goType: "NodeSelector")
    {
      for var term in try required.objects("nodeSelectorTerms", goType: "NodeSelectorTerm") {
        self.required.append(try NodeSelectorTerm(decoding: &term))
      }
    }
    for var preference in try d.objects(
      "preferredDuringSchedulingIgnoredDuringExecution", goType: "PreferredSchedulingTerm")
    {
      let weight = try preference.int("weight") ?? 0
      guard var term = try preference.object("preference", goType: "NodeSelectorTerm") else {
        continue
      }
      preferred.append((weight, try NodeSelectorTerm(decoding: &term)))
    }
  }
}

extension NodeAffinity {
  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    if !preferred.isEmpty {
      out.fields["preferredDuringSchedulingIgnoredDuringExecution"] = .array(
        preferred.map { ["preference": $0.term.encoded, "weight": .int(Int64($0.weight))] })
    }
    if !required.isEmpty {
      out.fields["requiredDuringSchedulingIgnoredDuringExecution"] = [
        "nodeSelectorTerms": .array(required.map(\.encoded))
      ]
    }
    return out.value
  }
}

extension NodeSelectorTerm {
  var encoded: JSONValue {
    func requirements(_ list: [NodeSelectorRequirement]) -> JSONValue {
      .array(
        list.map { requirement in
          var item = JSONObjectBuilder()
          item.set("key", requirement.key)
          item.set("operator", requirement.operator)
          if !requirement.values.isEmpty {
            item.fields["values"] = .array(requirement.values.map(JSONValue.string))
          }
          return item.value
        })
    }
    var out = JSONObjectBuilder()
    if !matchExpressions.isEmpty { out.fields["matchExpressions"] = requirements(matchExpressions) }
    if !matchFields.isEmpty { out.fields["matchFields"] = requirements(matchFields) }
    return out.value
  }

  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    for var e in try d.objects("matchExpressions", goType: "NodeSelectorRequirement") {
      matchExpressions.append(
        NodeSelectorRequirement(
          key: try e.requiredString("key"), operator: try e.requiredString("operator"),
          values: try e.strings("values")))
    }
    for var e in try d.objects("matchFields", goType: "NodeSelectorRequirement") {
      matchFields.append(
        NodeSelectorRequirement(
          key: try e.requiredString("key"), operator: try e.requiredString("operator"),
          values: try e.strings("values")))
    }
  }
}

extension Quantity {
  static func encode(_ list: [String: Quantity]) -> JSONValue {
    .object(
      OrderedDictionary(
        uniqueKeysWithValues: list.sorted { $0.key < $1.key }.map {
          ($0.key, .string($0.value.description))
        }))
  }
}
