/// `kubectl logs POD [-c CONTAINER] [--previous]`: what the container's process wrote.
extension Kubectl {
  func logs(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let name = command.arguments.first else {
      throw KubectlError(
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"
      )
    }
    let namespace = self.namespace(command)
    var notice = ""
    var podName = name
    if let slash = name.firstIndex(of: "/") {
      let kind = try resourceKind(String(name[..<slash]))
      podName = String(name[name.index(after: slash)...])
      if kind != .pod {
        let (chosen, count) = try firstPod(of: kind, podName, namespace: namespace)
        podName = chosen
        // kubectl says so on standard error when it had to choose.
        if count > 1 { notice = "Found \(count) pods, using pod/\(chosen)\n" }
      }
    }
    guard let pod = cluster.store.pods.get(namespace, podName) else {
      throw .api(.notFound(.pod, podName))
    }
    let names = pod.spec.containers.map(\.name)
    let containerName: String
    if let chosen = command.value("container") {
      guard names.contains(chosen) || pod.spec.initContainers.contains(where: { $0.name == chosen })
      else {
        throw KubectlError(
          "Error from server (BadRequest): container \(chosen) is not valid for pod \(podName)")
      }
      containerName = chosen
    } else if names.count == 1 {
      containerName = names[0]
    } else {
      throw KubectlError(
        "error: a container name must be specified for pod \(podName), choose one of: [\(names.joined(separator: " "))]"
      )
    }
    let runtime = cluster.kubelets[pod.spec.nodeName]?.pods[pod.key]
    let container = runtime.flatMap { runtime in
      (runtime.containers + runtime.initContainers).first { $0.name == containerName }
    }
    if command.flag("previous") {
      guard let previous = container?.previousLogs else {
        throw KubectlError(
          "Error from server (BadRequest): previous terminated container \"\(containerName)\" in pod \"\(podName)\" not found"
        )
      }
      return notice + previous.map { $0 + "\n" }.joined()
    }
    guard let container, container.incarnation > 0,
      container.running || !container.logs.isEmpty || container.previousLogs != nil
        || container.startedAt > 0
    else {
      let reason =
        pod.status.containerStatuses.first { $0.name == containerName }.flatMap {
          status -> String? in
          if case .waiting(let why, _) = status.state { return why }
          return nil
        } ?? "ContainerCreating"
      throw KubectlError(
        "Error from server (BadRequest): container \"\(containerName)\" in pod \"\(podName)\" is waiting to start: \(reason)"
      )
    }
    return notice + container.logs.map { $0 + "\n" }.joined()
  }

  /// `logs deployment/web`: the pod kubectl picks among the object's, as GetFirstPod does
  /// (running and ready ones first, the longest ready first), and how many there were.
  private func firstPod(of kind: ResourceKind, _ name: String, namespace: String)
    throws(KubectlError) -> (name: String, count: Int)
  {
    guard let object = cluster.store.encodedObject(kind, name, namespace: namespace) else {
      throw .api(.notFound(kind, name))
    }
    var labels: [String: String] = [:]
    let selector =
      object[path: ["spec", "selector", "matchLabels"]]?.objectValue
      ?? (kind == .service ? object[path: ["spec", "selector"]]?.objectValue : nil) ?? [:]
    for (key, value) in selector { labels[key] = value.stringValue ?? "" }
    guard !labels.isEmpty else {
      throw KubectlError("error: cannot get the logs from \(kind.qualifiedPlural): selector for \(kind.singular)/\(name) is empty")
    }
    let pods = cluster.store.pods.list(namespace: namespace).filter { pod in
      labels.allSatisfy { pod.metadata.labels[$0.key] == $0.value }
    }
    func rank(_ pod: Pod) -> (Int, Int, Millis, String) {
      let ready = pod.status.condition("Ready")
      return (
        pod.status.phase == .running ? 0 : 1, ready?.status == "True" ? 0 : 1,
        ready?.lastTransitionTime ?? .max, pod.metadata.name
      )
    }
    guard let first = pods.min(by: { rank($0) < rank($1) }) else {
      throw KubectlError("error: timed out waiting for the condition")
    }
    return (first.metadata.name, pods.count)
  }
}
