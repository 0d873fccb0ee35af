extension Node {
  public init(decoding manifest: JSONValue) throws(ManifestError) {
    // A registering node's status (capacity, allocatable) is read below, unlike other kinds'.
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Node")
    metadata.namespace = ""
    self.init(metadata: metadata)
    if var spec = try top.object("spec", goType: "NodeSpec") {
      unschedulable = try spec.bool("unschedulable") ?? false
      for var taint in try spec.objects("taints", goType: "Taint") {
        taints.append(
          Taint(
            key: try taint.requiredString("key"), value: try taint.string("value") ?? "",
            effect: try taint.requiredString("effect")))
        _ = taint.raw("timeAdded")
        taint.finish()
      }
      for key in ["podCIDR", "podCIDRs", "providerID", "configSource", "externalID"] {
        _ = spec.raw(key)
      }
      spec.finish()
    }
    if var status = try top.object("status", goType: "NodeStatus") {
      self.status.capacity = try status.quantities("capacity")
      self.status.allocatable = try status.quantities("allocatable")
    }
    top.finish()
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "Node")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    spec.set("podCIDR", podCIDR)
    if !podCIDR.isEmpty { spec.set("podCIDRs", [.string(podCIDR)]) }
    spec.set(
      "taints",
      .array(
        taints.map { taint in
          var item = JSONObjectBuilder()
          item.set("effect", taint.effect)
          item.set("key", taint.key)
          item.set("timeAdded", taint.timeAdded.map(Timestamp.rfc3339))
          item.set("value", taint.value)
          return item.value
        }))
    if unschedulable { spec.set("unschedulable", true) }
    out.fields["spec"] = spec.value
    guard serverFields else { return out.value }
    var status = JSONObjectBuilder()
    status.set(
      "addresses",
      [
        ["address": .string(self.status.internalIP), "type": "InternalIP"],
        ["address": .string(metadata.name), "type": "Hostname"],
      ])
    status.set("allocatable", Quantity.encode(self.status.allocatable))
    status.set("capacity", Quantity.encode(self.status.capacity))
    status.set(
      "conditions",
      .array(
        self.status.conditions.map { condition in
          [
            "lastHeartbeatTime": .string(Timestamp.rfc3339(condition.lastHeartbeatTime)),
            "lastTransitionTime": .string(Timestamp.rfc3339(condition.lastTransitionTime)),
            "message": .string(condition.message), "reason": .string(condition.reason),
            "status": .string(condition.status), "type": .string(condition.type),
          ]
        }))
    status.set(
      "nodeInfo",
      [
        "architecture": "amd64",
        "containerRuntimeVersion": .string(self.status.containerRuntimeVersion),
        "kernelVersion": .string(self.status.kernelVersion),
        "kubeProxyVersion": .string(self.status.kubeletVersion),
        "kubeletVersion": .string(self.status.kubeletVersion), "operatingSystem": "linux",
        "osImage": .string(self.status.osImage),
      ])
    out.fields["status"] = status.value
    return out.value
  }
}

extension Namespace {
  public init(decoding manifest: JSONValue) throws(ManifestError) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Namespace")
    _ = top.raw("spec")
    metadata.namespace = ""
    top.finish()
    self.init(metadata: metadata)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "Namespace")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    if serverFields {
      out.fields["spec"] = ["finalizers": ["kubernetes"]]
      out.fields["status"] = ["phase": .string(phase)]
    }
    return out.value
  }
}

extension Event {
  public func encoded() -> JSONValue {
    var involved = JSONObjectBuilder()
    involved.set("apiVersion", "v1")
    involved.set("fieldPath", fieldPath)
    involved.set("kind", involvedKind)
    involved.set("name", involvedName)
    involved.set("namespace", involvedNamespace)
    involved.set("uid", involvedUID)
    var source = JSONObjectBuilder()
    source.set("component", self.source)
    source.set("host", sourceHost)
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("count", count)
    out.set("firstTimestamp", Timestamp.rfc3339(firstTimestamp))
    out.set("involvedObject", involved.value)
    out.set("kind", "Event")
    out.set("lastTimestamp", Timestamp.rfc3339(lastTimestamp))
    out.set("message", message)
    out.set("metadata", metadata.encoded(serverFields: true))
    out.set("reason", reason)
    out.set("reportingComponent", self.source)
    out.set("reportingInstance", sourceHost)
    out.set("source", source.value)
    out.set("type", type)
    return out.value
  }
}
