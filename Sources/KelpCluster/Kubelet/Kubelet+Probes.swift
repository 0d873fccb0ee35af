/// Startup, readiness and liveness probes, run on the virtual clock at upstream's schedule:
/// first at `initialDelaySeconds`, then every `periodSeconds`; `failureThreshold` failures in a
/// row fail the probe, `successThreshold` successes pass it.
extension Kubelet {
  enum ProbeKind: String {
    case startup = "Startup"
    case readiness = "Readiness"
    case liveness = "Liveness"
  }

  func startProbes(_ runtime: PodRuntime, _ container: ContainerRuntime) {
    if let startup = container.spec.startupProbe {
      scheduleProbe(
        runtime, container, .startup, startup, delay: Millis(startup.initialDelaySeconds) * 1000)
    } else {
      startMainProbes(runtime, container)
    }
  }

  private func startMainProbes(_ runtime: PodRuntime, _ container: ContainerRuntime) {
    if let readiness = container.spec.readinessProbe {
      scheduleProbe(
        runtime, container, .readiness, readiness,
        delay: Millis(readiness.initialDelaySeconds) * 1000)
    } else if container.program.readyAfter > 0 {
      let incarnation = container.incarnation
      let epoch = runtime.epoch
      clock.schedule(after: container.program.readyAfter) { [self] in
        guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation else {
          return
        }
        self.setReady(runtime, container, true)
      }
    } else {
      setReady(runtime, container, true)
    }
    if let liveness = container.spec.livenessProbe {
      scheduleProbe(
        runtime, container, .liveness, liveness, delay: Millis(liveness.initialDelaySeconds) * 1000)
    }
  }

  private func scheduleProbe(
    _ runtime: PodRuntime, _ container: ContainerRuntime, _ kind: ProbeKind, _ probe: Probe,
    delay: Millis
  ) {
    let incarnation = container.incarnation
    let epoch = runtime.epoch
    clock.schedule(after: delay) { [self] in
      guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation,
        container.running, !runtime.terminating
      else { return }
      let failure =
        (runtime.failingProbes["\(container.name)/\(kind.rawValue)"].map { self.clock.now < $0 }
          ?? false)
        ? Kubelet.injectedFailure(probe) : self.probeFailure(runtime, container, probe)
      if let failure {
        self.record(
          runtime.key, "Warning", "Unhealthy", "\(kind.rawValue) probe failed: \(failure)",
          container: container.name)
      }
      if self.probeResult(runtime, container, kind, probe, passed: failure == nil) {
        self.scheduleProbe(
          runtime, container, kind, probe, delay: Millis(probe.periodSeconds) * 1000)
      }
    }
  }

  /// Counts one result; returns whether probing goes on.
  private func probeResult(
    _ runtime: PodRuntime, _ container: ContainerRuntime, _ kind: ProbeKind, _ probe: Probe,
    passed: Bool
  ) -> Bool {
    switch kind {
    case .startup:
      if passed {
        container.startupPassed = true
        startMainProbes(runtime, container)
        return false
      }
      container.livenessFailures += 1
      if container.livenessFailures >= probe.failureThreshold {
        kill(runtime, container, because: "failed startup probe")
        return false
      }
      return true
    case .readiness:
      if passed {
        container.readinessFailures = 0
        container.readinessSuccesses += 1
        if container.readinessSuccesses >= probe.successThreshold {
          setReady(runtime, container, true)
        }
      } else {
        container.readinessSuccesses = 0
        container.readinessFailures += 1
        if container.readinessFailures >= probe.failureThreshold {
          setReady(runtime, container, false)
        }
      }
      return true
    case .liveness:
      if passed {
        container.livenessFailures = 0
        return true
      }
      container.livenessFailures += 1
      if container.livenessFailures >= probe.failureThreshold {
        kill(runtime, container, because: "failed liveness probe")
        return false
      }
      return true
    }
  }

  /// A failed liveness or startup probe: the kubelet stops the container, and restarts it
  /// unless the pod's policy is Never (upstream's message drops ", will be restarted" then).
  private func kill(_ runtime: PodRuntime, _ container: ContainerRuntime, because reason: String) {
    guard let pod = store.pods[runtime.key] else { return }
    let restarts = pod.spec.restartPolicy != .never
    record(
      runtime.key, "Normal", "Killing",
      "Container \(container.name) \(reason)\(restarts ? ", will be restarted" : "")",
      container: container.name)
    let grace = Millis(pod.spec.terminationGracePeriodSeconds) * 1000
    stop(runtime, container, grace: grace, restartUnlessNever: true)
  }

  func setReady(_ runtime: PodRuntime, _ container: ContainerRuntime, _ ready: Bool) {
    guard container.ready != ready || !ready else { return }
    container.ready = ready
    let now = clock.now
    update(runtime) { pod in
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
  }

  /// A probe failed by the `fail-probe` fault, in the prober's words for its handler.
  static func injectedFailure(_ probe: Probe) -> String {
    switch probe.handler {
    case .exec: return "command failed with exit code 1"
    case .httpGet: return "HTTP probe failed with statuscode: 500"
    case .tcpSocket: return "dial tcp: i/o timeout"
    case .grpc: return "timeout: health rpc did not complete within 1s"
    }
  }

  /// Why a probe fails now, in the prober's words, or nil when it passes.
  func probeFailure(_ runtime: PodRuntime, _ container: ContainerRuntime, _ probe: Probe) -> String?
  {
    let program = container.program
    let elapsed = clock.now - container.startedAt
    let podIP = store.pods[runtime.key]?.status.podIP ?? ""
    func port(_ value: IntOrString) -> Int? {
      switch value {
      case .int(let number): return number
      case .string(let name): return container.spec.ports.first { $0.name == name }?.containerPort
      }
    }
    switch probe.handler {
    case .exec(let command):
      let words =
        command.count >= 3 && ["sh", "/bin/sh", "bash", "/bin/bash"].contains(command[0])
        ? ShellPreview.firstCommand(command[2], environment: container.environment)
        : command
      guard let program0 = words.first else { return nil }
      let tool = program0.split(separator: "/").last.map(String.init) ?? program0
      if ["cat", "test", "ls", "stat", "["].contains(tool),
        let path = words.dropFirst().last(where: { $0.hasPrefix("/") })
      {
        if let pod = store.pods[runtime.key],
          cluster.readFile(path, pod, self, runtime, container) != nil
        {
          return nil
        }
        switch tool {
        case "cat": return "cat: can't open '\(path)': No such file or directory"
        case "ls": return "ls: \(path): No such file or directory"
        default: return ""
        }
      }
      if tool == "false" { return "" }
      return elapsed >= program.readyAfter ? nil : ""
    case .httpGet(let path, let portValue):
      guard let number = port(portValue), program.listensOn.contains(number) else {
        let shown = port(portValue).map(String.init) ?? portValue.description
        return
          "Get \"http://\(podIP):\(shown)\(path)\": dial tcp \(podIP):\(shown): connect: connection refused"
      }
      return elapsed >= program.readyAfter ? nil : "HTTP probe failed with statuscode: 503"
    case .tcpSocket(let portValue):
      guard let number = port(portValue), program.listensOn.contains(number),
        elapsed >= program.readyAfter
      else {
        let shown = port(portValue).map(String.init) ?? portValue.description
        return "dial tcp \(podIP):\(shown): connect: connection refused"
      }
      return nil
    case .grpc(let number):
      guard program.listensOn.contains(number), elapsed >= program.readyAfter else {
        return "timeout: failed to connect service \"\(podIP):\(number)\" within 1s"
      }
      return nil
    }
  }
}
