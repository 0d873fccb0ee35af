/// The node agent: starts the containers of pods bound to its node, pulls images, restarts
/// containers by the pod's restart policy with upstream's back-off, runs probes, and reports
/// status through the store. One per node; it stops doing anything while its node is down.
final class Kubelet {
  let nodeName: String
  /// The cluster owns this component and its clock, so it always outlives it; unsafe skips the
  /// checked load on every access.
  unowned(unsafe) let cluster: Cluster
  var pods: [ObjectKey: PodRuntime] = [:]
  var isUp = true
  /// Cut off from the control plane: containers run on, but the kubelet hears nothing from the
  /// API server and its node posts no status.
  var isPartitioned = false
  /// Recovered while partitioned: its pods restart once the partition heals.
  var restartWhenInTouch = false
  /// Memory or disk pressure the eviction manager is working off.
  var pressures: [PressureSignal: Pressure] = [:]
  /// Images present on the node.
  var images: Set<String> = []
  /// The node's own files, as hostPath volumes see them: by absolute path on the node.
  var hostFiles: [String: String] = [:]
  /// Host numbers in use in the node's /24 (2…254); the lowest free one goes to the next pod.
  private var usedHosts: Set<Int> = []
  private var hostOf: [ObjectKey: Int] = [:]
  let nodeIndex: Int

  /// Crash-loop and image-pull back-off: 10 s doubling to 5 min (kubelet `MaxContainerBackOff`).
  static let initialBackoff: Millis = 10_000
  static let maxBackoff: Millis = 300_000
  /// How long a process that handles SIGTERM takes to stop and the kubelet to notice (its
  /// pod lifecycle event generator relists every second).
  static let stopTime: Millis = 1_000

  init(nodeName: String, nodeIndex: Int, cluster: Cluster) {
    self.nodeName = nodeName
    self.nodeIndex = nodeIndex
    self.cluster = cluster
  }

  var clock: VirtualClock { cluster.clock }
  var store: ObjectStore { cluster.store }
  var source: String { "kubelet" }

  /// An event about a pod, or about one of its containers (`spec.containers{web}`).
  func record(
    _ pod: ObjectKey, _ type: String, _ reason: String, _ message: String, container: String? = nil
  ) {
    guard let current = store.pods[pod] else { return }
    let fieldPath = container.map { name in
      current.spec.initContainers.contains { $0.name == name }
        ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}"
    }
    cluster.recorder.record(
      current, type, reason, message, source: source, host: nodeName, fieldPath: fieldPath ?? "")
  }

  // MARK: - Watch

  /// Called for every change to a pod bound to this node.
  func podChanged(_ pod: Pod) {
    guard isUp, !isPartitioned else { return }
    if let runtime = pods[pod.key], runtime.uid == pod.metadata.uid {
      if pod.metadata.deletionTimestamp != nil && !runtime.terminating {
        terminate(runtime, gracePeriod: pod.metadata.deletionGracePeriodSeconds ?? 30)
      }
      return
    }
    if pod.metadata.deletionTimestamp != nil {
      store.remove(Pod.self, pod.key)
      return
    }
    admit(pod)
  }

  /// Whether a change to a pod bound here is news to the kubelet: a pod it does not run yet, or
  /// one being deleted. Its own status writes are not.
  func needsToHear(about pod: Pod) -> Bool {
    guard let runtime = pods[pod.key], runtime.uid == pod.metadata.uid else { return true }
    return pod.metadata.deletionTimestamp != nil && !runtime.terminating
  }

  /// Writes the status of the pod this runtime belongs to, and of no other pod that has since
  /// taken its name.
  @discardableResult
  func update(_ runtime: PodRuntime, _ change: (inout Pod) -> Void) -> Pod? {
    guard store.pods[runtime.key]?.metadata.uid == runtime.uid else { return nil }
    return store.modify(Pod.self, runtime.key, change)
  }

  /// Whether a timer set for this runtime still applies: the node is up and the runtime is the
  /// one the kubelet runs for that name.
  func isCurrent(_ runtime: PodRuntime, epoch: Int) -> Bool {
    isUp && runtime.epoch == epoch && pods[runtime.key] === runtime
  }

  /// Back in touch with the API server: catch up on every pod bound here (deletions decided
  /// while it was away, pods bound to it meanwhile), and drop what no longer exists.
  func resync() {
    for (key, runtime) in pods.sorted(by: { $0.key < $1.key })
    where store.pods[key]?.metadata.uid != runtime.uid {
      podRemoved(key)
    }
    let bound = store.pods.unordered.filter { $0.spec.nodeName == nodeName }.sorted {
      $0.key < $1.key
    }
    for pod in bound where needsToHear(about: pod) { podChanged(pod) }
  }

  func podRemoved(_ key: ObjectKey) {
    if let host = hostOf.removeValue(forKey: key) { usedHosts.remove(host) }
    guard let runtime = pods.removeValue(forKey: key) else { return }
    runtime.epoch += 1
  }

  // MARK: - Starting a pod

  private func admit(_ pod: Pod) {
    if let rejection = admissionFailure(pod) {
      reject(pod, rejection)
      return
    }
    let runtime = PodRuntime(pod: pod)
    pods[pod.key] = runtime
    let now = clock.now
    let host = (2...254).first { !usedHosts.contains($0) } ?? 254
    usedHosts.insert(host)
    hostOf[pod.key] = host
    let ip = "10.\(244 + nodeIndex / 256).\(nodeIndex % 256).\(host)"
    let hostIP = store.nodes.get("", nodeName)?.status.internalIP ?? ""
    store.modify(Pod.self, pod.key) { pod in
      pod.status.phase = .pending
      pod.status.hostIP = hostIP
      pod.status.podIP = pod.spec.hostNetwork ? hostIP : ip
      pod.status.startTime = now
      pod.status.qosClass = pod.qosClass
      pod.status.setCondition("PodReadyToStartContainers", "True", at: now)
      // The kubelet reports a pod bound without the scheduler (spec.nodeName) as scheduled too.
      if pod.status.condition("PodScheduled") == nil {
        pod.status.setCondition("PodScheduled", "True", at: now)
      }
      if pod.spec.initContainers.isEmpty {
        pod.status.setCondition("Initialized", "True", at: now)
      } else {
        pod.status.setCondition(
          "Initialized", "False", at: now, reason: "ContainersNotInitialized",
          message:
            "containers with incomplete status: [\(pod.spec.initContainers.map(\.name).joined(separator: " "))]"
        )
      }
      pod.status.initContainerStatuses = pod.spec.initContainers.map {
        ContainerStatus(
          name: $0.name, state: .waiting(reason: "PodInitializing", message: ""), image: $0.image)
      }
      pod.status.containerStatuses = pod.spec.containers.map {
        ContainerStatus(
          name: $0.name,
          state: .waiting(
            reason: pod.spec.initContainers.isEmpty ? "ContainerCreating" : "PodInitializing",
            message: ""), image: $0.image)
      }
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
    mountVolumes(runtime, attempt: 0)
  }

  /// The volume manager: every volume must be set up before any container starts. A volume
  /// whose source is missing fails with `FailedMount` and is retried with upstream's back-off
  /// (500 ms doubling to 2m2s); the pod waits in ContainerCreating meanwhile.
  private func mountVolumes(_ runtime: PodRuntime, attempt: Int) {
    guard let pod = store.pods[runtime.key], pod.metadata.uid == runtime.uid else { return }
    for volume in pod.spec.volumes {
      guard let problem = cluster.volumeProblem(volume, in: pod) else { continue }
      record(
        runtime.key, "Warning", "FailedMount",
        "MountVolume.SetUp failed for volume \"\(volume.name)\" : \(problem)")
      let delay = min(Millis(500) << min(attempt, 10), 122_000)
      let epoch = runtime.epoch
      clock.schedule(after: delay) { [self] in
        guard self.isCurrent(runtime, epoch: epoch), !runtime.terminating else { return }
        self.mountVolumes(runtime, attempt: attempt + 1)
      }
      return
    }
    startNext(runtime)
  }

  /// The kubelet's own admission (upstream's predicate admit handler): a pod bound here without
  /// the scheduler (`nodeName` set by hand) may not fit. Returns the resource and its figures.
  func admissionFailure(_ pod: Pod) -> (
    resource: String, requested: Int64, used: Int64, capacity: Int64
  )? {
    guard let node = store.nodes.get("", nodeName) else { return nil }
    let others = pods.values.filter { $0.key != pod.key && !$0.finished }
    let requests = pod.resourceRequests
    let used = others.reduce((cpu: Int64(0), memory: Int64(0))) {
      ($0.cpu + $1.requests.cpuMillis, $0.memory + $1.requests.memoryBytes)
    }
    let allocatable = node.status.allocatable
    let podsCapacity = allocatable["pods"]?.value ?? 110
    if Int64(others.count) + 1 > podsCapacity {
      return ("pods", 1, Int64(others.count), podsCapacity)
    }
    let cpu = allocatable["cpu"]?.milliValue ?? 0
    if requests.cpuMillis > 0 && used.cpu + requests.cpuMillis > cpu {
      return ("cpu", requests.cpuMillis, used.cpu, cpu)
    }
    let memory = allocatable["memory"]?.value ?? 0
    if requests.memoryBytes > 0 && used.memory + requests.memoryBytes > memory {
      return ("memory", requests.memoryBytes, used.memory, memory)
    }
    let scalars = pod.scalarRequests
    // An extended resource the node does not list at all is left out (upstream's
    // removeMissingExtendedResources: its device plugin may not have registered yet).
    for resource in scalars.keys.sorted()
    where !Cluster.isExtendedResource(resource) || allocatable[resource] != nil {
      let requested = scalars[resource] ?? 0
      let inUse = others.reduce(Int64(0)) { $0 + ($1.scalars[resource] ?? 0) }
      let capacity = allocatable[resource]?.value ?? 0
      if inUse + requested > capacity { return (resource, requested, inUse, capacity) }
    }
    return nil
  }

  /// A rejected pod fails at once with `OutOf<resource>`, as the kubelet reports it.
  private func reject(
    _ pod: Pod, _ failure: (resource: String, requested: Int64, used: Int64, capacity: Int64)
  ) {
    let detail =
      "Node didn't have enough resource: \(failure.resource), requested: \(failure.requested), "
      + "used: \(failure.used), capacity: \(failure.capacity)"
    let reason = "OutOf\(failure.resource)"
    let now = clock.now
    store.modify(Pod.self, pod.key) { pod in
      pod.status.phase = .failed
      pod.status.reason = reason
      pod.status.message = "Pod was rejected: " + detail
      pod.status.startTime = now
    }
    cluster.recorder.record(pod, "Warning", reason, detail, source: source, host: nodeName)
  }

  /// Starts the next init container that has not succeeded, or every app container once all
  /// init containers have.
  func startNext(_ runtime: PodRuntime) {
    if let pending = runtime.initContainers.firstIndex(where: {
      !$0.running && !initSucceeded(runtime, $0)
    }) {
      if runtime.initContainers[..<pending].allSatisfy({ initSucceeded(runtime, $0) }) {
        startContainer(runtime, runtime.initContainers[pending], isInit: true)
      }
      return
    }
    update(runtime) { pod in
      pod.status.setCondition("Initialized", "True", at: clock.now)
    }
    // Image pulls are serialized (serializeImagePulls): containers start one after another,
    // each once the previous one's image is in.
    if let next = runtime.containers.first(where: { $0.incarnation == 0 }) {
      startContainer(runtime, next, isInit: false)
    }
  }

  func initSucceeded(_ runtime: PodRuntime, _ container: ContainerRuntime) -> Bool {
    guard let pod = store.pods[runtime.key],
      let status = pod.status.initContainerStatuses.first(where: { $0.name == container.name }),
      case .terminated(let code, _, _, _, _) = status.state
    else { return false }
    return code == 0
  }

  /// Pulls the image if needed, then creates and starts the container.
  func startContainer(_ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool) {
    guard isUp, pods[runtime.key] === runtime, !runtime.terminating else { return }
    let image = container.spec.image
    let epoch = runtime.epoch
    container.incarnation += 1
    let incarnation = container.incarnation
    let needsPull = container.spec.effectivePullPolicy == "Always" || !images.contains(image)
    if container.spec.effectivePullPolicy == "Never" && !images.contains(image) {
      setWaiting(
        runtime, container, isInit, "ErrImageNeverPull",
        "Container image \"\(image)\" is not present with pull policy of Never")
      record(
        runtime.key, "Warning", "ErrImageNeverPull",
        "Container image \"\(image)\" is not present with pull policy of Never",
        container: container.name)
      return
    }
    guard needsPull else {
      record(
        runtime.key, "Normal", "Pulled", "Container image \"\(image)\" already present on machine",
        container: container.name)
      createAndStart(runtime, container, isInit: isInit)
      return
    }
    record(
      runtime.key, "Normal", "Pulling", "Pulling image \"\(image)\"", container: container.name)
    let pullTime = cluster.registry.pullTime(image, cached: images.contains(image))
    clock.schedule(after: pullTime) { [self] in
      guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation else {
        return
      }
      if let failure = self.cluster.registry.pullFailure(image) {
        self.imagePullFailed(runtime, container, isInit: isInit, failure: failure)
        return
      }
      container.pullBackoff = nil
      self.images.insert(image)
      let seconds = DurationText.goString(pullTime)
      self.record(
        runtime.key, "Normal", "Pulled",
        "Successfully pulled image \"\(image)\" in \(seconds) (\(seconds) including waiting). "
          + "Image size: \(self.cluster.registry.size(image)) bytes.", container: container.name)
      self.createAndStart(runtime, container, isInit: isInit)
    }
  }

  private func imagePullFailed(
    _ runtime: PodRuntime, _ container: ContainerRuntime, isInit: Bool, failure: String
  ) {
    let image = container.spec.image
    let message = "Failed to pull image \"\(image)\": \(failure)"
    record(runtime.key, "Warning", "Failed", message, container: container.name)
    record(runtime.key, "Warning", "Failed", "Error: ErrImagePull", container: container.name)
    setWaiting(runtime, container, isInit, "ErrImagePull", message)
    if !isInit { startNext(runtime) }
    let delay =
      container.pullBackoff.map { min($0 * 2, Kubelet.maxBackoff) } ?? Kubelet.initialBackoff
    container.pullBackoff = delay
    let epoch = runtime.epoch
    let incarnation = container.incarnation
    // The next sync, a moment later, finds the pull in back-off and says so.
    clock.schedule(after: 1_000) { [self] in
      guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation else {
        return
      }
      let backoffMessage = "Back-off pulling image \"\(image)\""
      self.record(runtime.key, "Normal", "BackOff", backoffMessage, container: container.name)
      self.record(
        runtime.key, "Warning", "Failed", "Error: ImagePullBackOff", container: container.name)
      self.setWaiting(runtime, container, isInit, "ImagePullBackOff", backoffMessage)
    }
    clock.schedule(after: delay) { [self] in
      guard self.isCurrent(runtime, epoch: epoch), container.incarnation == incarnation else {
        return
      }
      self.startContainer(runtime, container, isInit: isInit)
    }
  }

  func setWaiting(
    _ runtime: PodRuntime, _ container: ContainerRuntime, _ isInit: Bool, _ reason: String,
    _ message: String
  ) {
    let now = clock.now
    update(runtime) { pod in
      Kubelet.withStatus(&pod, container.name, isInit) { status in
        // A container waiting to restart keeps its last termination in lastState.
        if case .terminated = status.state { status.lastState = status.state }
        status.state = .waiting(reason: reason, message: message)
        status.ready = false
        status.started = false
      }
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
  }

  static func withStatus(
    _ pod: inout Pod, _ name: String, _ isInit: Bool, _ change: (inout ContainerStatus) -> Void
  ) {
    if isInit {
      if let index = pod.status.initContainerStatuses.firstIndex(where: { $0.name == name }) {
        change(&pod.status.initContainerStatuses[index])
      }
    } else if let index = pod.status.containerStatuses.firstIndex(where: { $0.name == name }) {
      change(&pod.status.containerStatuses[index])
    }
  }
}
