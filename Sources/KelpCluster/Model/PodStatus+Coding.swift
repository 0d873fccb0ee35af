extension PodStatus {
  func encoded() -> JSONValue {
    var out = JSONObjectBuilder()
    out.set(
      "conditions",
      .array(
        conditions.map { condition in
          var item = JSONObjectBuilder()
          item.fields["lastProbeTime"] = .null
          item.set("lastTransitionTime", Timestamp.rfc3339(condition.lastTransitionTime))
          item.set("message", condition.message)
          item.set("reason", condition.reason)
          item.set("status", condition.status)
          item.set("type", condition.type)
          return item.value
        }))
    out.set("containerStatuses", .array(containerStatuses.map(\.encoded)))
    out.set("hostIP", hostIP)
    if !hostIP.isEmpty { out.set("hostIPs", [["ip": .string(hostIP)]]) }
    out.set("initContainerStatuses", .array(initContainerStatuses.map(\.encoded)))
    out.set("message", message)
    out.set("nominatedNodeName", nominatedNodeName)
    out.set("phase", phase.rawValue)
    out.set("podIP", podIP)
    if !podIP.isEmpty { out.set("podIPs", [["ip": .string(podIP)]]) }
    out.set("qosClass", qosClass)
    out.set("reason", reason)
    out.set("startTime", startTime.map(Timestamp.rfc3339))
    return out.value
  }
}

extension ContainerStatus {
  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    out.set("containerID", containerID)
    out.set("image", image)
    out.set("imageID", imageID)
    out.fields["lastState"] = lastState?.encoded ?? .object([:])
    out.set("name", name)
    out.set("ready", ready)
    out.set("restartCount", restartCount)
    out.set("started", started)
    out.fields["state"] = state.encoded
    return out.value
  }
}

extension ContainerState {
  var encoded: JSONValue {
    var inner = JSONObjectBuilder()
    switch self {
    case .waiting(let reason, let message):
      inner.set("message", message)
      inner.set("reason", reason)
      return ["waiting": inner.value]
    case .running(let startedAt):
      inner.set("startedAt", Timestamp.rfc3339(startedAt))
      return ["running": inner.value]
    case .terminated(let exitCode, let reason, let message, let startedAt, let finishedAt):
      inner.set("containerID", "")
      inner.fields["exitCode"] = .int(Int64(exitCode))
      inner.set("finishedAt", Timestamp.rfc3339(finishedAt))
      inner.set("message", message)
      inner.set("reason", reason)
      inner.set("startedAt", Timestamp.rfc3339(startedAt))
      return ["terminated": inner.value]
    }
  }
}
