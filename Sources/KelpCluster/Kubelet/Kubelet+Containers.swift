/// Running containers: create and start, exit, restart with back-off, stop.
extension Kubelet {
  func createAndStart(_ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool) {
    guard let pod = store.pods[runtime.key] else { return }
    if let problem = cluster.configProblem(for: container.spec, in: pod) {
      record(runtime.key, "Warning", "Failed", "Error: \(problem)", container: container.name)
      setWaiting(runtime, container, isInit, "CreateContainerConfigError", problem)
      // The kubelet retries on every sync; Kelp retries every 10 s, as the periodic sync would.
      let epoch = runtime.epoch
      let incarnation = container.incarnation
      clock.schedule(after: 10_000) { [self] in
        guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation else {
          return
        }
        self.createAndStart(runtime, container, isInit: isInit)
      }
      if !isInit { startNext(runtime) }
      return
    }
    record(
      runtime.key, "Normal", "Created", "Created container: \(container.name)",
      container: container.name)
    record(
      runtime.key, "Normal", "Started", "Started container \(container.name)",
      container: container.name)
    let now = clock.now
    container.running = true
    container.startedAt = now
    container.ready = false
    container.readinessSuccesses = 0
    container.readinessFailures = 0
    container.livenessFailures = 0
    container.startupPassed = container.spec.startupProbe == nil
    if container.incarnation > 1 { container.previousLogs = container.logs }
    container.files = [:]
    container.removedFiles = []
    cluster.mountProjections(pod, runtime, container)
    container.environment = cluster.environment(of: container.spec, in: pod)
    container.program = ContainerProgram(
      container: container.spec, annotations: isInit ? [:] : pod.metadata.annotations,
      environment: container.environment,
      files: { [cluster, self] path in cluster.startingFile(path, pod, self, runtime, container) })
    container.logs = container.program.logLines.filter { $0.at == 0 }.map(\.text)
    let containerID =
      "containerd://"
      + (0..<4).map { _ in hexDigits(cluster.identities.random.next(), width: 16) }.joined()
    let image = cluster.registry.facts(container.spec.image)
    update(runtime) { pod in
      Kubelet.withStatus(&pod, container.name, isInit) { status in
        status.state = .running(startedAt: now)
        status.started = true
        status.ready = false
        status.containerID = containerID
        status.image = image.name
        status.imageID = image.id
      }
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
    scheduleProgram(runtime, container, isInit: isInit)
    if !isInit {
      startProbes(runtime, container)
      startNext(runtime)
    }
  }

  /// Sets the timers for what the process does: exit, OOM, files, log lines, a port clash.
  private func scheduleProgram(_ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool) {
    let epoch = runtime.epoch
    let incarnation = container.incarnation
    let program = container.program
    func at(_ delay: Millis, _ action: @escaping (Kubelet) -> Void) {
      clock.schedule(after: delay) { [self] in
        guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation,
          container.running
        else { return }
        action(self)
      }
    }
    // Containers of a pod share one network namespace: a port already bound fails the bind.
    if let clash = program.listensOn.first(where: { port in
      runtime.containers.contains {
        $0 !== container && $0.running && $0.program.listensOn.contains(port)
      }
    }) {
      // As the server says it: nginx and httpd in their words, anything else as Go does.
      let image = ImageReference(container.spec.image).shortName
      container.logs.append(
        image == "nginx"
          ? "nginx: [emerg] bind() to 0.0.0.0:\(clash) failed (98: Address already in use)"
          : image == "httpd"
            ? "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:\(clash)"
            : "listen tcp :\(clash): bind: address already in use")
      at(0) { $0.containerExited(runtime, container, isInit: isInit, code: 1, reason: "Error") }
      return
    }
    for line in program.logLines where line.at > 0 {
      at(line.at) { _ in container.logs.append(line.text) }
    }
    // Files the command writes land where a write from exec would: in the volume mounted
    // there (an emptyDir another container serves), or the container's own layer.
    for change in program.fileChanges {
      guard let content = change.content else { continue }
      at(change.at) { kubelet in
        guard let pod = kubelet.store.pods[runtime.key] else { return }
        try? kubelet.cluster.writeFile(change.path, content, pod, kubelet, runtime, container)
      }
    }
    let loaded =
      runtime.containers.first === container
      ? store.pods[runtime.key].flatMap { cluster.memoryLoad(of: $0) } : nil
    if let usage = program.memoryUsage?.value ?? loaded, let limit = container.spec.limits["memory"],
      usage > limit.value
    {
      // The process grows past its cgroup limit and the kernel's OOM killer ends it.
      at(min(program.runFor ?? 1_000, 1_000)) {
        $0.containerExited(runtime, container, isInit: isInit, code: 137, reason: "OOMKilled")
      }
      return
    }
    if let runFor = program.runFor {
      at(runFor) {
        $0.containerExited(
          runtime, container, isInit: isInit, code: program.exitCode,
          reason: program.exitCode == 0 ? "Completed" : "Error")
      }
    }
  }

  /// The process ended: record it, then restart it if the restart policy says so.
  /// `restartUnlessNever`: a container the kubelet killed (a failed liveness or startup probe)
  /// restarts under any policy but Never, whatever its exit code, as upstream does.
  func containerExited(
    _ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool, code: Int, reason: String,
    restartUnlessNever: Bool = false
  ) {
    let now = clock.now
    container.running = false
    container.ready = false
    container.incarnation += 1
    let startedAt = container.startedAt
    update(runtime) { pod in
      Kubelet.withStatus(&pod, container.name, isInit) { status in
        status.state = .terminated(
          exitCode: code, reason: reason, message: "", startedAt: startedAt, finishedAt: now)
        status.ready = false
        status.started = false
      }
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
    if runtime.terminating {
      finishTerminationIfDone(runtime)
      return
    }
    guard let pod = store.pods[runtime.key] else { return }
    let restart: Bool
    switch pod.spec.restartPolicy {
    case .always: restart = !isInit || code != 0
    case .onFailure: restart = code != 0 || restartUnlessNever
    case .never: restart = false
    }
    if isInit && code == 0 {
      startNext(runtime)
      return
    }
    if !restart { return }
    restartWithBackoff(runtime, container, isInit: isInit, finishedAt: now)
  }

  /// Upstream's crash-loop back-off: the first restart is immediate, later ones wait 10 s,
  /// doubling to 5 min; an entry not moved for 10 min (twice the maximum) is forgotten.
  private func restartWithBackoff(
    _ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool, finishedAt: Millis
  ) {
    if let backoff = container.backoff,
      finishedAt - container.backoffUpdated <= 2 * Kubelet.maxBackoff
    {
      let resumeAt = finishedAt + backoff
      let podName = runtime.key.name
      let namespace = runtime.key.namespace
      let message =
        "back-off \(DurationText.goString(backoff)) restarting failed container=\(container.name) "
        + "pod=\(podName)_\(namespace)(\(runtime.uid))"
      setWaiting(runtime, container, isInit, "CrashLoopBackOff", message)
      record(
        runtime.key, "Warning", "BackOff",
        "Back-off restarting failed container \(container.name) in pod \(podName)_\(namespace)(\(runtime.uid))",
        container: container.name)
      let epoch = runtime.epoch
      let incarnation = container.incarnation
      clock.schedule(at: resumeAt) { [self] in
        guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation,
          !runtime.terminating
        else { return }
        // Upstream's `Next`: the delay doubles, and the entry is stamped with the restart time.
        container.backoff = min(backoff * 2, Kubelet.maxBackoff)
        container.backoffUpdated = self.clock.now
        self.restart(runtime, container, isInit: isInit)
      }
    } else {
      container.backoff = Kubelet.initialBackoff
      container.backoffUpdated = finishedAt
      restart(runtime, container, isInit: isInit)
    }
  }

  private func restart(_ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool) {
    update(runtime) { pod in
      Kubelet.withStatus(&pod, container.name, isInit) { status in
        if case .terminated = status.state { status.lastState = status.state }
        status.restartCount += 1
      }
    }
    startContainer(runtime, container, isInit: isInit)
  }

  /// Graceful deletion: SIGTERM to each container, SIGKILL when the grace period ends; the pod
  /// leaves the store when every container has stopped.
  func terminate(_ runtime: PodRuntime, gracePeriod: Int) {
    runtime.terminating = true
    let grace = Millis(gracePeriod) * 1000
    for container in runtime.containers + runtime.initContainers where container.running {
      record(
        runtime.key, "Normal", "Killing", "Stopping container \(container.name)",
        container: container.name)
      stop(runtime, container, grace: grace, restartUnlessNever: false)
    }
    finishTerminationIfDone(runtime)
  }

  /// SIGTERM, then SIGKILL when the grace period ends: a process that handles SIGTERM exits 0 a
  /// second later; one that does not (a shell, `sleep`) is killed with 137 at the end.
  func stop(
    _ runtime: PodRuntime, _ container: ContainerRuntime, grace: Millis, restartUnlessNever: Bool
  ) {
    let isInit = runtime.initContainers.contains { $0 === container }
    let incarnation = container.incarnation
    let epoch = runtime.epoch
    let handlesTerm = container.program.stopsOnTerm
    clock.schedule(after: handlesTerm ? min(Kubelet.stopTime, grace) : grace) { [self] in
      guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation,
        container.running
      else { return }
      self.containerExited(
        runtime, container, isInit: isInit, code: handlesTerm ? 0 : 137,
        reason: handlesTerm ? "Completed" : "Error", restartUnlessNever: restartUnlessNever)
    }
  }

  func finishTerminationIfDone(_ runtime: PodRuntime) {
    guard (runtime.containers + runtime.initContainers).allSatisfy({ !$0.running }) else { return }
    runtime.epoch += 1
    if pods[runtime.key] === runtime { pods.removeValue(forKey: runtime.key) }
    if let pod = store.pods[runtime.key], pod.metadata.uid == runtime.uid {
      store.remove(Pod.self, runtime.key)
    }
  }

  /// Kills one container as a crash would (the `crash-container` fault).
  func crash(_ key: ObjectKey, container name: String?, exitCode: Int) -> Bool {
    guard isUp, let runtime = pods[key] else { return false }
    guard
      let container = runtime.containers.first(where: { name == nil || $0.name == name }),
      container.running
    else { return false }
    containerExited(
      runtime, container, isInit: false, code: exitCode,
      reason: exitCode == 137 ? "OOMKilled" : (exitCode == 0 ? "Completed" : "Error"))
    return true
  }
}

extension String {
  /// A hash that is the same in every process (Swift's `hashValue` is seeded per run).
  var hashValueStable: UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
