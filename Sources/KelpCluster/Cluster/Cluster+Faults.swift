/// Faults a script injects (a node fails or recovers, a pod is killed, a container crashes, an
/// image breaks), and what the kubelet does when its node goes down and comes back.
extension Cluster {

  /// The node stops: its kubelet posts no status and its containers stop. The node lifecycle
  /// controller notices after the grace period.
  public func failNode(_ name: String) throws(APIError) {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    guard kubelet.isUp else { return }
    kubelet.nodeDown()
    // A partitioned node is already silent; its grace period started then.
    if !kubelet.isPartitioned { nodeLifecycle.nodeWentSilent(name) }
    settle()
  }

  /// The node is back: conditions Ready, taints lifted, the kubelet resyncs its pods.
  public func recoverNode(_ name: String) throws(APIError) {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    guard !kubelet.isUp else { return }
    if kubelet.isPartitioned {
      // The machine is back but still cut off: it restarts its pods when it can reach the API.
      kubelet.isUp = true
      kubelet.restartWhenInTouch = true
      return
    }
    backInTouch(kubelet)
    kubelet.nodeUp()
    settle()
  }

  /// The network between the node and the control plane fails: its containers keep running and
  /// serving, but the node posts no status (Unknown after the grace period, then the
  /// unreachable taints and evictions), and its kubelet hears of no change until the partition
  /// heals, so evicted pods stay Terminating.
  public func partitionNode(_ name: String) throws(APIError) {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    guard !kubelet.isPartitioned else { return }
    kubelet.isPartitioned = true
    if kubelet.isUp { nodeLifecycle.nodeWentSilent(name) }
    settle()
  }

  /// The partition heals: the node posts status again and its kubelet catches up, finishing
  /// off the pods deleted meanwhile and starting the ones bound to it.
  public func healPartition(_ name: String) throws(APIError) {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    guard kubelet.isPartitioned else { return }
    kubelet.isPartitioned = false
    if kubelet.isUp {
      backInTouch(kubelet)
      if kubelet.restartWhenInTouch {
        kubelet.restartWhenInTouch = false
        kubelet.nodeUp()
      } else {
        kubelet.resync()
      }
    }
    settle()
  }

  /// The node's status reaches the API server again; pressure it still has is reported anew.
  private func backInTouch(_ kubelet: Kubelet) {
    nodeLifecycle.nodeRecovered(kubelet.nodeName)
    for signal in PressureSignal.allCases where kubelet.pressures[signal] != nil {
      kubelet.setPressureCondition(signal, true)
    }
  }

  /// A draw from the cluster's seeded randomness: an index below `bound` (faults that pick
  /// their targets at random stay reproducible).
  public func randomIndex(below bound: Int) -> Int { bound > 0 ? identities.int(below: bound) : 0 }

  /// Whether the node is cut off from the control plane.
  public func isPartitioned(_ name: String) -> Bool { kubelets[name]?.isPartitioned ?? false }

  /// The Node object is deleted (`kubectl delete node`): its pods go with it.
  public func deleteNode(_ name: String) throws(APIError) {
    guard kubelets[name] != nil else { throw .notFound(.node, name) }
    removeNode(name)
    settle()
  }

  /// The node runs short of memory or disk by `shortfall` bytes (0: one pod's worth): the
  /// kubelet reports the pressure condition, the node is tainted NoSchedule, and the eviction
  /// manager evicts pods in upstream's order until enough is reclaimed.
  public func nodePressure(
    _ name: String, _ signal: PressureSignal, shortfall: Int64
  ) throws(APIError) {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    guard kubelet.isUp, !kubelet.isPartitioned else {
      throw APIError(
        .badRequest,
        "node \(name) is \(kubelet.isUp ? "cut off from the control plane" : "down"): its kubelet reports no pressure; recover it first")
    }
    kubelet.startPressure(signal, shortfall: shortfall)
    settle()
  }

  /// What caused the pressure is gone; the condition clears after the 5-minute transition.
  public func relieveNodePressure(_ name: String, _ signal: PressureSignal)
    throws(APIError)
  {
    guard let kubelet = kubelets[name] else { throw .notFound(.node, name) }
    kubelet.relievePressure(signal)
    settle()
  }

  /// The container's probe of `kind` (`readiness`, `liveness`, `startup`) fails until `until`,
  /// whatever the application does; the kubelet acts on it as on any failing probe.
  public func failProbe(
    _ podName: String, kind: String, container: String? = nil, until: Millis,
    namespace: String = "default"
  ) throws(APIError) {
    let key = ObjectKey(namespace: namespace, name: podName)
    guard let pod = store.pods[key] else { throw .notFound(.pod, podName) }
    guard let probeKind = Kubelet.ProbeKind(rawValue: kind.prefix(1).uppercased() + kind.dropFirst())
    else {
      throw APIError(
        .badRequest, "unknown probe \"\(kind)\": use readiness, liveness or startup")
    }
    let name = container ?? pod.spec.containers[0].name
    guard let spec = pod.spec.containers.first(where: { $0.name == name }) else {
      throw APIError(.badRequest, "container \(name) is not valid for pod \(podName)")
    }
    let probe: Probe? =
      switch probeKind {
      case .readiness: spec.readinessProbe
      case .liveness: spec.livenessProbe
      case .startup: spec.startupProbe
      }
    guard probe != nil else {
      throw APIError(
        .badRequest,
        "container \(name) in pod \(podName) has no \(kind) probe; only a probe the pod defines can fail")
    }
    guard let runtime = runtime(of: pod) else {
      throw APIError(.badRequest, "pod \(podName) is not running on a node")
    }
    runtime.failingProbes["\(name)/\(probeKind.rawValue)"] = until
    settle()
  }

  /// From now on pulls of this image take `extra` longer (a slow or distant registry).
  public func slowImage(_ image: String, by extra: Millis) { registry.slowImage(image, by: extra) }

  public func setUnschedulable(_ name: String, _ unschedulable: Bool) throws(APIError) -> Bool {
    guard let node = store.nodes.get("", name) else { throw .notFound(.node, name) }
    if node.unschedulable == unschedulable { return false }
    store.modify(Node.self, node.key) { $0.unschedulable = unschedulable }
    nodeLifecycle.syncUnschedulableTaint(name)
    if let updated = store.nodes.get("", name) {
      recorder.record(
        updated, "Normal", unschedulable ? "NodeNotSchedulable" : "NodeSchedulable",
        "Node \(name) status is now: \(unschedulable ? "NodeNotSchedulable" : "NodeSchedulable")",
        source: "kubelet", host: name)
    }
    settle()
    return true
  }

  /// An extended resource is named with a domain outside kubernetes.io (`nvidia.com/gpu`), as
  /// upstream's IsExtendedResourceName: not native (no `/`, or a `kubernetes.io/` in it) and
  /// not a quota's `requests.` name.
  public static func isExtendedResource(_ name: String) -> Bool {
    name.contains("/") && !name.contains("kubernetes.io/") && !name.hasPrefix("requests.")
  }

  /// Sets a node's extended resources, in its capacity and allocatable, as a device plugin's
  /// registration (or a PATCH of the node's status, then the kubelet's next status update)
  /// does; the scheduler tries pending pods again.
  public func advertise(_ resources: [String: Quantity], on name: String) throws(APIError) {
    guard let node = store.nodes.get("", name) else { throw .notFound(.node, name) }
    store.modify(Node.self, node.key) { node in
      for resource in node.status.capacity.keys where Cluster.isExtendedResource(resource) {
        node.status.capacity[resource] = nil
        node.status.allocatable[resource] = nil
      }
      for (resource, amount) in resources {
        node.status.capacity[resource] = amount
        node.status.allocatable[resource] = amount
      }
    }
    settle()
  }

  /// Deletes a pod at once, as chaos tools' pod-kill does (grace period 0).
  public func killPod(_ name: String, namespace: String = "default") throws(APIError) {
    let key = ObjectKey(namespace: namespace, name: name)
    guard store.pods[key] != nil else { throw .notFound(.pod, name) }
    deletePod(key, gracePeriod: 0)
    settle()
  }

  /// The container's process exits with `exitCode`; the kubelet restarts it by the pod's policy.
  public func crashContainer(
    _ podName: String, container: String? = nil, exitCode: Int = 1, namespace: String = "default"
  ) throws(APIError) {
    let key = ObjectKey(namespace: namespace, name: podName)
    guard let pod = store.pods[key] else { throw .notFound(.pod, podName) }
    if let container, !pod.spec.containers.contains(where: { $0.name == container }) {
      throw APIError(
        .badRequest, "container \(container) is not valid for pod \(podName)")
    }
    guard let kubelet = kubelets[pod.spec.nodeName],
      kubelet.crash(key, container: container, exitCode: exitCode)
    else {
      throw APIError(
        .badRequest,
        "container \(container ?? pod.spec.containers[0].name) in pod \(podName) is not running")
    }
    settle()
  }

  /// From now on pulls of this image fail with the registry's not-found error.
  public func breakImage(_ image: String) { registry.breakImage(image) }
  public func fixImage(_ image: String) { registry.fixImage(image) }
}

extension Kubelet {
  /// The machine stops: every timer lapses, containers are gone with it.
  func nodeDown() {
    isUp = false
    for runtime in pods.values {
      runtime.epoch += 1
      for container in runtime.containers + runtime.initContainers {
        container.incarnation += 1
      }
    }
  }

  /// The machine is back. Pods being deleted are finished off. The others' containers were
  /// lost with the machine: the kubelet makes a new sandbox and restarts what the pod's restart
  /// policy allows; a finished pod stays as it was.
  func nodeUp() {
    isUp = true
    let now = clock.now
    let bound = store.pods.unordered.filter { $0.spec.nodeName == nodeName }.sorted {
      $0.key < $1.key
    }
    for pod in bound {
      if pod.metadata.deletionTimestamp != nil {
        pods[pod.key] = nil
        store.remove(Pod.self, pod.key)
        continue
      }
      if pod.status.phase == .succeeded || pod.status.phase == .failed { continue }
      guard let runtime = pods[pod.key] else {
        podChanged(pod)
        continue
      }
      // Containers the kubelet was still pulling or backing off when the machine stopped.
      let interrupted = runtime.containers.filter { container in
        guard !container.running,
          let status = pod.status.containerStatuses.first(where: { $0.name == container.name }),
          case .waiting = status.state
        else { return false }
        return true
      }
      record(
        pod.key, "Normal", "SandboxChanged",
        "Pod sandbox changed, it will be killed and re-created.")
      let lost =
        (runtime.initContainers.map { ($0, true) } + runtime.containers.map { ($0, false) })
        .filter { $0.0.running }
      for (container, isInit) in lost {
        container.running = false
        container.ready = false
        container.incarnation += 1
        let restarts = pod.spec.restartPolicy != .never
        update(runtime) { pod in
          Kubelet.withStatus(&pod, container.name, isInit) { status in
            let lostState = ContainerState.terminated(
              exitCode: 255, reason: "Unknown", message: "", startedAt: container.startedAt,
              finishedAt: now)
            if restarts {
              status.lastState = lostState
              status.restartCount += 1
              status.state = .waiting(reason: "ContainerCreating", message: "")
            } else {
              status.state = lostState
            }
            status.ready = false
          }
          Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
        }
        if restarts { startContainer(runtime, container, isInit: isInit) }
      }
      if runtime.containers.allSatisfy({ $0.incarnation == 0 })
        || runtime.initContainers.contains(where: { !$0.running && !initSucceeded(runtime, $0) })
      {
        startNext(runtime)
      } else {
        for container in interrupted { startContainer(runtime, container, isInit: false) }
      }
    }
  }

  /// The pod's images were changed by an update: the kubelet restarts changed containers.
  func imagesChanged(_ pod: Pod) {
    guard let runtime = pods[pod.key] else { return }
    for container in runtime.containers {
      guard let spec = pod.spec.containers.first(where: { $0.name == container.name }),
        spec.image != container.spec.image
      else { continue }
      record(
        pod.key, "Normal", "Killing",
        "Container \(container.name) definition changed, will be restarted")
      runtime.containers = runtime.containers.map {
        $0 === container
          ? ContainerRuntime(
            spec: spec,
            program: ContainerProgram(container: spec, annotations: pod.metadata.annotations)) : $0
      }
      if let replacement = runtime.containers.first(where: { $0.name == spec.name }) {
        replacement.incarnation = container.incarnation + 1
        store.modify(Pod.self, pod.key) { pod in
          Kubelet.withStatus(&pod, spec.name, false) { status in
            status.restartCount += 1
            status.image = spec.image
          }
        }
        startContainer(runtime, replacement, isInit: false)
      }
      container.incarnation += 1
    }
  }
}
