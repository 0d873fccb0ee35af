/// `kubectl logs POD [-c CONTAINER] [--previous]`: what the container's process wrote.
extension Kubectl {
  func logs(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let name = command.arguments.first else {
      throw KubectlError(
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"
      )
    }
    let podName = name.hasPrefix("pod/") ? String(name.dropFirst(4)) : name
    let namespace = self.namespace(command)
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
      return previous.map { $0 + "\n" }.joined()
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
    return container.logs.map { $0 + "\n" }.joined()
  }
}
