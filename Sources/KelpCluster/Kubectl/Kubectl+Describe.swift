/// `kubectl describe` for pods, nodes and namespaces, laid out as kubectl 1.32 lays them out
/// (describe.go, through a tabwriter with padding 2).
extension Kubectl {
  func describe(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let namespace = command.flag("all-namespaces") ? nil : self.namespace(command)
    let selector = try self.selector(command)
    var parts: [String] = []
    for (kind, names) in try resolve(command) {
      let objects = try list(
        kind, namespace: kind.namespaced ? namespace : nil, names: names, selector: selector)
      for object in objects {
        switch object {
        case .pod(let pod): parts.append(describe(pod))
        case .node(let node): parts.append(describe(node))
        case .namespace(let ns): parts.append(describe(ns))
        case .replicaSet(let replicaSet): parts.append(describe(replicaSet))
        case .deployment(let deployment): parts.append(describe(deployment))
        case .event(let event):
          parts.append(TabWriter.describe.format(event.encoded().yamlText))
        case .printable(let object): parts.append(object.describe(in: self))
        }
      }
      if objects.isEmpty {
        return namespace == nil || !kind.namespaced
          ? "No resources found\n" : "No resources found in \(namespace ?? "default") namespace.\n"
      }
    }
    return parts.joined(separator: "\n\n")
  }

  /// `Title:\tfirst` then `\tnext` lines, or `<none>`.
  static func multiline(_ title: String, _ items: [String], indent: String = "") -> String {
    guard let first = items.first else { return "\(indent)\(title):\t<none>\n" }
    var text = "\(indent)\(title):\t\(first)\n"
    for item in items.dropFirst() { text += "\(indent)\t\(item)\n" }
    return text
  }

  /// `Labels:` as describe prints them: `key=value`, one per line, sorted.
  static func labelLines(_ labels: [String: String], indent: String = "") -> String {
    multiline("Labels", labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }, indent: indent)
  }

  /// `Labels:` then `Annotations:` (`key: value`), how describe shows an object's metadata.
  static func labelsAndAnnotations(_ metadata: ObjectMeta) -> String {
    labelLines(metadata.labels)
      + multiline(
        "Annotations", metadata.annotations.sorted { $0.key < $1.key }.map { "\($0): \($1)" })
  }

  static func tolerationText(_ toleration: Toleration) -> String {
    var text = toleration.key
    if !toleration.value.isEmpty { text += "=" + toleration.value }
    if !toleration.effect.isEmpty { text += ":" + toleration.effect }
    if toleration.operator == "Exists" && toleration.value.isEmpty {
      text += text.isEmpty ? "op=Exists" : " op=Exists"
    }
    if let seconds = toleration.tolerationSeconds { text += " for \(seconds)s" }
    return text
  }

  func eventsSection(uid: String, name: String? = nil) -> String {
    let events = cluster.recorder.events.filter {
      $0.involvedUID == uid || (name != nil && $0.involvedKind == "Node" && $0.involvedName == name)
    }.enumerated().sorted {
      ($0.element.lastTimestamp, $0.offset) < ($1.element.lastTimestamp, $1.offset)
    }
    .map(\.element)
    guard !events.isEmpty else { return "Events:\t<none>\n" }
    var text = "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n"
    for event in events {
      let first = age(event.firstTimestamp)
      let interval =
        event.count > 1 ? "\(age(event.lastTimestamp)) (x\(event.count) over \(first))" : first
      text +=
        "  \(event.type)\t\(event.reason)\t\(interval)\t\(event.source)\t\(event.message.trimmingSpaces)\n"
    }
    return text
  }

  func describe(_ pod: Pod) -> String {
    var text = "Name:\t\(pod.metadata.name)\nNamespace:\t\(pod.metadata.namespace)\n"
    text += "Priority:\t\(pod.spec.priority)\n"
    text += "Service Account:\t\(pod.spec.serviceAccountName)\n"
    text +=
      "Node:\t"
      + (pod.spec.nodeName.isEmpty ? "<none>" : "\(pod.spec.nodeName)/\(pod.status.hostIP)") + "\n"
    if let start = pod.status.startTime { text += "Start Time:\t\(Timestamp.rfc1123(start))\n" }
    text += Kubectl.labelsAndAnnotations(pod.metadata)
    if let deletion = pod.metadata.deletionTimestamp, pod.status.phase != .succeeded,
      pod.status.phase != .failed
    {
      text +=
        "Status:\tTerminating (lasts \(age(deletion)))\n"
      text += "Termination Grace Period:\t\(pod.metadata.deletionGracePeriodSeconds ?? 30)s\n"
    } else {
      text += "Status:\t\(pod.status.phase.rawValue)\n"
    }
    if !pod.status.reason.isEmpty { text += "Reason:\t\(pod.status.reason)\n" }
    if !pod.status.message.isEmpty { text += "Message:\t\(pod.status.message)\n" }
    text += "IP:\t\(pod.status.podIP)\n"
    text += pod.status.podIP.isEmpty ? "IPs:\t<none>\n" : "IPs:\n  IP:\t\(pod.status.podIP)\n"
    if let owner = pod.metadata.controller {
      text += "Controlled By:\t\(owner.kind)/\(owner.name)\n"
    }
    if !pod.spec.initContainers.isEmpty {
      text += "Init Containers:\n"
      for container in pod.spec.initContainers {
        text += containerSection(
          container, pod.status.initContainerStatuses.first { $0.name == container.name })
      }
    }
    text += "Containers:\n"
    for container in pod.spec.containers {
      text += containerSection(
        container, pod.status.containerStatuses.first { $0.name == container.name })
    }
    text += "Conditions:\n  Type\tStatus\n"
    for condition in pod.status.conditions {
      text += "  \(condition.type) \t\(condition.status) \n"
    }
    if pod.spec.volumes.isEmpty {
      text += "Volumes:\t<none>\n"
    } else {
      text += "Volumes:\n"
      for volume in pod.spec.volumes {
        text += "  \(volume.name):\n    Type:\t\(Kubectl.volumeType(volume))\n"
        text += Kubectl.volumeDetails(volume)
        if volume.source["projected"] != nil && volume.name.hasPrefix("kube-api-access-") {
          text += "    TokenExpirationSeconds:\t3607\n    ConfigMapName:\tkube-root-ca.crt\n"
          text += "    ConfigMapOptional:\t<nil>\n    DownwardAPI:\ttrue\n"
        }
      }
    }
    text += "QoS Class:\t\(pod.qosClass)\n"
    text += Kubectl.multiline(
      "Node-Selectors", pod.spec.nodeSelector.sorted { $0.key < $1.key }.map { "\($0)=\($1)" })
    text += Kubectl.multiline(
      "Tolerations", pod.spec.tolerations.sorted { $0.key < $1.key }.map(Kubectl.tolerationText))
    text += eventsSection(uid: pod.metadata.uid)
    return TabWriter.describe.format(text)
  }

  private func containerSection(_ container: Container, _ status: ContainerStatus?) -> String {
    var text = "  \(container.name):\n"
    if let status {
      text += "    Container ID:\t\(status.containerID)\n"
    }
    text += "    Image:\t\(container.image)\n"
    if let status { text += "    Image ID:\t\(status.imageID)\n" }
    let ports = container.ports.map { "\($0.containerPort)/\($0.protocol)" }
    let hostPorts = container.ports.map { "\($0.hostPort)/\($0.protocol)" }
    text +=
      ports.count > 1
      ? "    Ports:\t\(ports.joined(separator: ", "))\n" : "    Port:\t\(ports.first ?? "<none>")\n"
    text +=
      hostPorts.count > 1
      ? "    Host Ports:\t\(hostPorts.joined(separator: ", "))\n"
      : "    Host Port:\t\(hostPorts.first ?? "<none>")\n"
    if !container.command.isEmpty {
      text += "    Command:\n" + container.command.map { "      \($0)\n" }.joined()
    }
    if !container.args.isEmpty {
      text += "    Args:\n" + container.args.map { "      \($0)\n" }.joined()
    }
    if let status {
      text += stateLines("State", status.state)
      if let last = status.lastState, case .terminated = last {
        text += stateLines("Last State", last)
      }
      text += "    Ready:\t\(status.ready ? "True" : "False")\n"
      text += "    Restart Count:\t\(status.restartCount)\n"
    }
    for (title, list) in [("Limits", container.limits), ("Requests", container.requests)]
    where !list.isEmpty {
      text += "    \(title):\n"
      for (resource, quantity) in list.sorted(by: { $0.key < $1.key }) {
        text += "      \(resource):\t\(quantity)\n"
      }
    }
    for (title, probe) in [
      ("Liveness", container.livenessProbe), ("Readiness", container.readinessProbe),
      ("Startup", container.startupProbe),
    ] {
      guard let probe else { continue }
      text += "    \(title):\t\(Kubectl.probeText(probe))\n"
    }
    // Upstream's describeContainerEnvFrom, when the container has envFrom.
    if !container.envFrom.isEmpty {
      text += "    Environment Variables from:\n"
      for source in container.envFrom {
        let reference = source["configMapRef"] ?? source["secretRef"]
        let from = source["configMapRef"] != nil ? "ConfigMap" : "Secret"
        let optional = reference?["optional"] == JSONValue.bool(true)
        let prefix = source["prefix"]?.stringValue ?? ""
        text +=
          "      \(reference?["name"]?.stringValue ?? "")\t\(from)"
          + (prefix.isEmpty ? "" : " with prefix '\(prefix)'") + "\tOptional: \(optional)\n"
      }
    }
    if container.env.isEmpty {
      text += "    Environment:\t<none>\n"
    } else {
      text += "    Environment:\n"
      for variable in container.env {
        var value = variable.value
        if let source = variable.valueFrom {
          if let ref = source["configMapKeyRef"] {
            value =
              "<set to the key '\(ref["key"]?.stringValue ?? "")' of config map '\(ref["name"]?.stringValue ?? "")'>\tOptional: false"
          } else if let ref = source["secretKeyRef"] {
            value =
              "<set to the key '\(ref["key"]?.stringValue ?? "")' in secret '\(ref["name"]?.stringValue ?? "")'>\tOptional: false"
          } else if let ref = source["fieldRef"] {
            value = " (v1:\(ref["fieldPath"]?.stringValue ?? ""))"
          }
        }
        text += "      \(variable.name):\t\(value)\n"
      }
    }
    if container.volumeMounts.isEmpty {
      text += "    Mounts:\t<none>\n"
    } else {
      text += "    Mounts:\n"
      for mount in container.volumeMounts.sorted(by: { $0.mountPath < $1.mountPath }) {
        text += "      \(mount.mountPath) from \(mount.name) (\(mount.readOnly ? "ro" : "rw"))\n"
      }
    }
    return text
  }

  private func stateLines(_ title: String, _ state: ContainerState) -> String {
    switch state {
    case .running(let started):
      return "    \(title):\tRunning\n      Started:\t\(Timestamp.rfc1123(started))\n"
    case .waiting(let reason, _):
      return "    \(title):\tWaiting\n" + (reason.isEmpty ? "" : "      Reason:\t\(reason)\n")
    case .terminated(let code, let reason, let message, let started, let finished):
      var text = "    \(title):\tTerminated\n"
      if !reason.isEmpty { text += "      Reason:\t\(reason)\n" }
      if !message.isEmpty { text += "      Message:\t\(message)\n" }
      text += "      Exit Code:\t\(code)\n"
      text +=
        "      Started:\t\(Timestamp.rfc1123(started))\n      Finished:\t\(Timestamp.rfc1123(finished))\n"
      return text
    }
  }

  static func probeText(_ probe: Probe) -> String {
    let timing =
      "delay=\(probe.initialDelaySeconds)s timeout=\(probe.timeoutSeconds)s period=\(probe.periodSeconds)s "
      + "#success=\(probe.successThreshold) #failure=\(probe.failureThreshold)"
    switch probe.handler {
    case .exec(let command): return "exec [\(command.joined(separator: " "))] \(timing)"
    case .httpGet(let path, let port): return "http-get http://:\(port)\(path) \(timing)"
    case .tcpSocket(let port): return "tcp-socket :\(port) \(timing)"
    case .grpc(let port): return "grpc <pod>:\(port)  \(timing)"
    }
  }

  func describe(_ node: Node) -> String {
    var text = "Name:\t\(node.metadata.name)\n"
    text += "Roles:\t\(node.rolesText)\n"
    text += Kubectl.labelsAndAnnotations(node.metadata)
    text += "CreationTimestamp:\t\(Timestamp.rfc1123(node.metadata.creationTimestamp))\n"
    text += Kubectl.multiline(
      "Taints",
      node.taints.sorted { ($0.effect + "," + $0.key) < ($1.effect + "," + $1.key) }.map(
        \.description))
    text += "Unschedulable:\t\(node.unschedulable)\n"
    let heartbeat = node.status.condition("Ready")?.lastHeartbeatTime ?? now
    text += "Lease:\n  HolderIdentity:\t\(node.metadata.name)\n  AcquireTime:\t<unset>\n"
    text += "  RenewTime:\t\(Timestamp.rfc1123(node.isReady ? now : heartbeat))\n"
    text += "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
    text += "  ----\t------\t-----------------\t------------------\t------\t-------\n"
    for condition in node.status.conditions {
      let beat = node.isReady ? now : condition.lastHeartbeatTime
      text +=
        "  \(condition.type) \t\(condition.status) \t\(Timestamp.rfc1123(beat)) \t"
        + "\(Timestamp.rfc1123(condition.lastTransitionTime)) \t\(condition.reason) \t\(condition.message)\n"
    }
    text +=
      "Addresses:\n  InternalIP:\t\(node.status.internalIP)\n  Hostname:\t\(node.metadata.name)\n"
    for (title, list) in [
      ("Capacity", node.status.capacity), ("Allocatable", node.status.allocatable),
    ] {
      text += "\(title):\n"
      for (resource, quantity) in list.sorted(by: { $0.key < $1.key }) {
        text += "  \(resource):\t\(quantity)\n"
      }
    }
    text += "System Info:\n"
    text += "  Kernel Version:\t\(node.status.kernelVersion)\n  OS Image:\t\(node.status.osImage)\n"
    text += "  Operating System:\tlinux\n  Architecture:\tamd64\n"
    text += "  Container Runtime Version:\t\(node.status.containerRuntimeVersion)\n"
    text +=
      "  Kubelet Version:\t\(node.status.kubeletVersion)\n  Kube-Proxy Version:\t\(node.status.kubeletVersion)\n"
    text += "PodCIDR:\t\(node.podCIDR)\nPodCIDRs:\t\(node.podCIDR)\n"
    let pods = cluster.store.pods.unordered.filter {
      $0.spec.nodeName == node.metadata.name && $0.status.phase != .succeeded
        && $0.status.phase != .failed
    }.sorted { $0.key < $1.key }
    let cpuAllocatable = node.status.allocatable["cpu"]?.milliValue ?? 0
    let memoryAllocatable = node.status.allocatable["memory"]?.value ?? 0
    func share(_ quantity: Quantity, of total: Int64, milli: Bool) -> String {
      let amount = milli ? quantity.milliValue : quantity.value
      let percent = total > 0 ? Int64(Double(amount) / Double(total) * 100) : 0
      return "\(quantity) (\(percent)%)"
    }
    func sum(_ pod: Pod, _ keyPath: KeyPath<Container, [String: Quantity]>, _ resource: String)
      -> Quantity
    {
      pod.spec.containers.reduce(Quantity.zero) { $0 + ($1[keyPath: keyPath][resource] ?? .zero) }
    }
    text += "Non-terminated Pods:\t(\(pods.count) in total)\n"
    text += "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n"
    text += "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n"
    var totals = (Quantity.zero, Quantity.zero, Quantity.zero, Quantity.zero)
    for pod in pods {
      let cpuRequest = sum(pod, \.requests, "cpu")
      let cpuLimit = sum(pod, \.limits, "cpu")
      let memoryRequest = sum(pod, \.requests, "memory")
      let memoryLimit = sum(pod, \.limits, "memory")
      totals.0 += cpuRequest
      totals.1 += cpuLimit
      totals.2 += memoryRequest
      totals.3 += memoryLimit
      text +=
        "  \(pod.metadata.namespace)\t\(pod.metadata.name)\t\t"
        + "\(share(cpuRequest, of: cpuAllocatable, milli: true))\t\(share(cpuLimit, of: cpuAllocatable, milli: true))\t"
        + "\(share(memoryRequest, of: memoryAllocatable, milli: false))\t\(share(memoryLimit, of: memoryAllocatable, milli: false))\t"
        + "\(age(pod.metadata.creationTimestamp))\n"
    }
    text += "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    text += "  Resource\tRequests\tLimits\n  --------\t--------\t------\n"
    text +=
      "  cpu\t\(share(totals.0, of: cpuAllocatable, milli: true))\t\(share(totals.1, of: cpuAllocatable, milli: true))\n"
    text +=
      "  memory\t\(share(totals.2, of: memoryAllocatable, milli: false))\t\(share(totals.3, of: memoryAllocatable, milli: false))\n"
    func total(_ keyPath: KeyPath<Container, [String: Quantity]>, _ resource: String) -> Quantity {
      pods.reduce(Quantity.zero) { $0 + sum($1, keyPath, resource) }
    }
    let storageAllocatable = node.status.allocatable["ephemeral-storage"]?.value ?? 0
    text +=
      "  ephemeral-storage\t\(share(total(\.requests, "ephemeral-storage"), of: storageAllocatable, milli: false))"
      + "\t\(share(total(\.limits, "ephemeral-storage"), of: storageAllocatable, milli: false))\n"
    // Extended resources (nvidia.com/gpu) by name, as counts without a share.
    for resource in node.status.allocatable.keys.sorted()
    where !["cpu", "memory", "ephemeral-storage", "pods"].contains(resource) {
      text += "  \(resource)\t\(total(\.requests, resource))\t\(total(\.limits, resource))\n"
    }
    text += eventsSection(uid: node.metadata.uid, name: node.metadata.name)
    return TabWriter.describe.format(text)
  }

  func describe(_ namespace: Namespace) -> String {
    var text = "Name:\t\(namespace.metadata.name)\n"
    text += Kubectl.labelsAndAnnotations(namespace.metadata)
    text += "Status:\t\(namespace.phase)\n\n"
    // Upstream's DescribeResourceQuotas and DescribeLimitRanges.
    let name = namespace.metadata.name
    let quotas = cluster.store.resourceQuotas.list(namespace: name).sorted {
      $0.metadata.name < $1.metadata.name
    }
    if quotas.isEmpty { text += "No resource quota.\n" } else { text += "Resource Quotas\n" }
    for quota in quotas {
      text += "  Name:\t\(quota.metadata.name)\n"
      if !quota.scopes.isEmpty { text += "  Scopes:\t\(quota.scopes.joined(separator: ", "))\n" }
      text += "  Resource\tUsed\tHard\n  --------\t---\t---\n"
      for resource in quota.hard.keys.sorted() {
        text += "  \(resource)\t\(quota.used[resource] ?? .zero)\t\(quota.hard[resource]!)\n"
      }
    }
    let ranges = cluster.store.limitRanges.list(namespace: name).sorted {
      $0.metadata.name < $1.metadata.name
    }
    text += "\n"
    if ranges.isEmpty {
      text += "No LimitRange resource.\n"
    } else {
      text +=
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n"
        + " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n"
      for range in ranges { text += range.rows(prefix: " ") }
    }
    return TabWriter.describe.format(text)
  }
}
