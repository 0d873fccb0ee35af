import OrderedCollections

/// `kubectl get/describe hpa`, `kubectl autoscale` and `kubectl top`, from the simulated
/// metrics (upstream `printHorizontalPodAutoscaler`, `autoscale.go`, `metrics_printer.go`).
extension HorizontalPodAutoscaler: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
  }

  /// `cpu: 90%/50%`, `cpu: <unknown>/50%`; at most two, then `+ N more...`.
  var targetsText: String {
    let shown = spec.metrics.enumerated().map { index, metric -> String in
      let current = status.currentMetrics.first { $0.resource == metric.resource }
      if let goal = metric.averageUtilization {
        let now = current?.utilization.map { "\($0)%" } ?? "<unknown>"
        return "\(metric.resource): \(now)/\(goal)%"
      }
      let now = current.map { $0.averageValue.description } ?? "<unknown>"
      return "\(metric.resource): \(now)/\(metric.averageValue?.description ?? "<auto>")"
    }
    if shown.isEmpty { return "<none>" }
    if shown.count > 2 {
      return shown.prefix(2).joined(separator: ", ") + " + \(shown.count - 2) more..."
    }
    return shown.joined(separator: ", ")
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [
      metadata.name, "\(spec.targetKind)/\(spec.targetName)", targetsText,
      String(spec.minReplicas), String(spec.maxReplicas), String(status.currentReplicas),
      kubectl.age(metadata.creationTimestamp),
    ]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "CreationTimestamp:\t\(Timestamp.rfc1123(metadata.creationTimestamp))\n"
    text += "Reference:\t\(spec.targetKind)/\(spec.targetName)\n"
    text += "Metrics:\t( current / target )\n"
    for metric in spec.metrics {
      let current = status.currentMetrics.first { $0.resource == metric.resource }
      if let goal = metric.averageUtilization {
        let now =
          current.flatMap { c in c.utilization.map { "\($0)% (\(c.averageValue))" } } ?? "<unknown>"
        text +=
          "  resource \(metric.resource) on pods  (as a percentage of request):\t\(now) / \(goal)%\n"
      } else {
        text +=
          "  resource \(metric.resource) on pods:\t\(current.map { $0.averageValue.description } ?? "<unknown>") / \(metric.averageValue?.description ?? "")\n"
      }
    }
    text += "Min replicas:\t\(spec.minReplicas)\nMax replicas:\t\(spec.maxReplicas)\n"
    text += "\(spec.targetKind) pods:\t\(status.currentReplicas) current / \(status.desiredReplicas) desired\n"
    if !status.conditions.isEmpty {
      text += "Conditions:\n  Type\tStatus\tReason\tMessage\n  ----\t------\t------\t-------\n"
      for condition in status.conditions {
        text += "  \(condition.type)\t\(condition.status)\t\(condition.reason)\t\(condition.message)\n"
      }
    }
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension Kubectl {
  /// `kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=10`.
  func autoscale(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let targets = try resolve(command)
    guard let (kind, names) = targets.first, let name = names.first else {
      throw KubectlError("error: required resource not specified")
    }
    guard ["Deployment", "ReplicaSet"].contains(kind.kind) else {
      throw KubectlError(
        "error: cannot autoscale a \(kind.kind): Kelp autoscales Deployments and ReplicaSets")
    }
    let namespace = self.namespace(command)
    guard try list(kind, namespace: namespace, names: [name], selector: .everything).count == 1
    else { throw KubectlError.api(.notFound(kind, name)) }
    let max = command.value("max").flatMap { Int($0) } ?? -1
    let min = command.value("min").flatMap { Int($0) } ?? -1
    guard max >= 1 else {
      throw KubectlError("error: --max=MAXPODS is required and must be at least 1, max: \(max)")
    }
    if min > max {
      throw KubectlError(
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: \(max), min: \(min)")
    }
    let autoscalerName = command.value("name") ?? name
    // As kubectl 1.32 builds it: autoscaling/v1, and the status fields v1 always writes.
    var spec: OrderedDictionary<String, JSONValue> = [
      "scaleTargetRef": [
        "kind": .string(kind.kind), "name": .string(name), "apiVersion": .string(kind.apiVersion),
      ]
    ]
    if min > 0 { spec["minReplicas"] = .int(Int64(min)) }
    spec["maxReplicas"] = .int(Int64(max))
    if let percent = command.value("cpu-percent").flatMap({ Int($0) }), percent >= 0 {
      spec["targetCPUUtilizationPercentage"] = .int(Int64(percent))
    }
    let manifest: JSONValue = .object([
      "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v1",
      "metadata": generatedMetadata(autoscalerName, command), "spec": .object(spec),
      "status": ["currentReplicas": 0, "desiredReplicas": 0],
    ])
    return try finishGenerated(
      command, .horizontalPodAutoscaler, manifest, autoscalerName, verb: "autoscaled")
  }

  /// `kubectl top pods|nodes`: CPU in millicores and memory in Mi, as metrics-server reports.
  func top(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let what = command.arguments.first else {
      throw KubectlError("error: you must specify \"node\" or \"pod\"")
    }
    let selector = try self.selector(command)
    func cpu(_ millis: Int64) -> String { "\(millis)m" }
    func memory(_ bytes: Int64) -> String { "\(bytes / (1024 * 1024))Mi" }
    let names = Array(command.arguments.dropFirst())
    switch what {
    case "pod", "pods", "po":
      let allNamespaces = command.flag("all-namespaces")
      let namespace = allNamespaces ? nil : self.namespace(command)
      var pods = cluster.store.pods.list(namespace: namespace).filter {
        selector.matches($0.metadata.labels) && (names.isEmpty || names.contains($0.metadata.name))
      }
      for name in names where !pods.contains(where: { $0.metadata.name == name }) {
        throw KubectlError.api(.notFound(.pod, name))
      }
      let usage = cluster.usage(of: pods)
      pods = pods.filter { usage[$0.key] != nil }
      if pods.isEmpty {
        throw KubectlError(
          allNamespaces
            ? "No resources found" : "No resources found in \(namespace ?? "default") namespace.")
      }
      var text = (allNamespaces ? "NAMESPACE\t" : "") + "NAME\tCPU(cores)\tMEMORY(bytes)\n"
      for pod in pods {
        let used = usage[pod.key]!
        text +=
          (allNamespaces ? "\(pod.metadata.namespace)\t" : "")
          + "\(pod.metadata.name)\t\(cpu(used.cpuMillis))\t\(memory(used.memoryBytes))\n"
      }
      return TabWriter.get.format(text)
    case "node", "nodes", "no":
      let nodes = cluster.store.nodes.list().filter {
        selector.matches($0.metadata.labels) && (names.isEmpty || names.contains($0.metadata.name))
      }
      let usage = cluster.usage(of: cluster.store.pods.list())
      var text = "NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\n"
      for node in nodes {
        guard node.status.condition("Ready")?.status == "True" else {
          text += "\(node.metadata.name)\t<unknown>\t<unknown>\t<unknown>\t<unknown>\n"
          continue
        }
        var used = Cluster.PodUsage(cpuMillis: 0, memoryBytes: 0)
        for pod in cluster.store.pods.list() where pod.spec.nodeName == node.metadata.name {
          if let podUsage = usage[pod.key] {
            used.cpuMillis.addSaturating(podUsage.cpuMillis)
            used.memoryBytes.addSaturating(podUsage.memoryBytes)
          }
        }
        let cpuTotal = max(node.status.allocatable["cpu"]?.milliValue ?? 1, 1)
        let memoryTotal = max((node.status.allocatable["memory"]?.milliValue ?? 1000) / 1000, 1)
        func percent(_ used: Int64, _ total: Int64) -> Int64 {
          Int64((Double(used) * 100 / Double(total)).rounded(.down))
        }
        text +=
          "\(node.metadata.name)\t\(cpu(used.cpuMillis))\t\(percent(used.cpuMillis, cpuTotal))%\t"
          + "\(memory(used.memoryBytes))\t\(percent(used.memoryBytes, memoryTotal))%\n"
      }
      return TabWriter.get.format(text)
    default:
      throw KubectlError("error: unknown command \"\(what)\" for \"kubectl top\"")
    }
  }
}
