/// The kubelet's eviction manager under node pressure (the `node-pressure` fault): the node
/// reports MemoryPressure or DiskPressure, and every 10 s the manager evicts the pod that ranks
/// first, in upstream's order, until it has reclaimed what the node lacked. The condition clears
/// five minutes after pressure was last seen (`evictionPressureTransitionPeriod`).
extension Kubelet {
  /// What one pressure still asks to be freed, and when it was last observed.
  struct Pressure {
    var shortfall: Int64
    var observedAt: Millis
  }

  /// The eviction manager's housekeeping interval.
  static let evictionInterval: Millis = 10_000
  /// `evictionPressureTransitionPeriod`: how long a condition stays after pressure is gone.
  static let pressureTransitionPeriod: Millis = 300_000
  /// What a container's writable layer and logs hold on the node's filesystem (Kelp does not
  /// model disk use byte by byte).
  static let containerDiskBytes: Int64 = 10 << 20

  /// The node runs short of `bytes` of the resource (at least one pod's worth when 0).
  func startPressure(_ signal: PressureSignal, shortfall bytes: Int64) {
    let now = clock.now
    // A pass is already due while pressure lasts; after it was relieved only the transition
    // timer is, so new pressure needs a pass of its own.
    let first = (pressures[signal]?.shortfall ?? 0) <= 0
    pressures[signal] = Pressure(shortfall: max(bytes, 1), observedAt: now)
    if store.nodes.get("", nodeName)?.status.condition(signal.conditionType)?.status != "True" {
      setPressureCondition(signal, true)
    }
    if first { scheduleEvictionPass(signal, after: 0) }
  }

  /// The cause of the pressure is gone: no more evictions; the condition clears later.
  func relievePressure(_ signal: PressureSignal) {
    guard var pressure = pressures[signal], pressure.shortfall > 0 else { return }
    pressure.shortfall = 0
    pressure.observedAt = clock.now
    pressures[signal] = pressure
  }

  private func scheduleEvictionPass(_ signal: PressureSignal, after delay: Millis) {
    clock.schedule(after: delay) { [self] in self.evictionPass(signal) }
  }

  /// One housekeeping pass: evict the first-ranked pod while pressure lasts; once it is gone
  /// and the transition period has passed, the condition goes back to False.
  private func evictionPass(_ signal: PressureSignal) {
    guard var pressure = pressures[signal] else { return }
    let now = clock.now
    guard isUp else {
      scheduleEvictionPass(signal, after: Kubelet.evictionInterval)
      return
    }
    if pressure.shortfall <= 0 {
      if now - pressure.observedAt >= Kubelet.pressureTransitionPeriod {
        pressures[signal] = nil
        setPressureCondition(signal, false)
      } else {
        scheduleEvictionPass(
          signal, after: pressure.observedAt + Kubelet.pressureTransitionPeriod - now)
      }
      return
    }
    pressure.observedAt = now
    if signal == .disk { pressure.shortfall -= reclaimUnusedImages() }
    if pressure.shortfall > 0, let (pod, usage) = rankedForEviction(signal).first {
      evict(pod, signal, usage: usage, shortfall: pressure.shortfall)
      pressure.shortfall -= max(usage, 1)
    }
    pressures[signal] = pressure
    scheduleEvictionPass(signal, after: Kubelet.evictionInterval)
  }

  /// Disk pressure first deletes images no container uses, as the image garbage collector does.
  private func reclaimUnusedImages() -> Int64 {
    let inUse = Set(
      pods.values.filter { !$0.finished }.flatMap { ($0.containers + $0.initContainers) }
        .map(\.spec.image))
    let unused = images.subtracting(inUse).sorted()
    images.subtract(unused)
    return unused.reduce(Int64(0)) { $0 + cluster.registry.size($1) }
  }

  /// Running pods in upstream's eviction order: those using more than they request first, then
  /// lower priority, then the most usage above request.
  func rankedForEviction(_ signal: PressureSignal) -> [(Pod, Int64)] {
    let candidates = pods.values.filter { !$0.finished && !$0.terminating }.compactMap {
      runtime -> Pod? in
      guard let pod = store.pods[runtime.key], pod.metadata.uid == runtime.uid,
        pod.status.phase == .running
      else { return nil }
      return pod
    }
    let usage = cluster.usage(of: candidates)
    let ranked = candidates.map { pod -> (pod: Pod, used: Int64, request: Int64) in
      switch signal {
      case .memory:
        return (pod, usage[pod.key]?.memoryBytes ?? 0, pod.resourceRequests.memoryBytes)
      case .disk:
        let request = pod.spec.containers.reduce(Int64(0)) {
          $0 + ($1.requests["ephemeral-storage"]?.value ?? 0)
        }
        return (pod, Int64(pod.spec.containers.count) * Kubelet.containerDiskBytes, request)
      }
    }
    return ranked.sorted { a, b in
      let aExceeds = a.used > a.request
      let bExceeds = b.used > b.request
      if aExceeds != bExceeds { return aExceeds }
      if a.pod.spec.priority != b.pod.spec.priority {
        return a.pod.spec.priority < b.pod.spec.priority
      }
      if a.used - a.request != b.used - b.request { return a.used - a.request > b.used - b.request }
      return a.pod.key < b.pod.key
    }.map { ($0.pod, $0.used) }
  }

  /// Evicts one pod: its containers are killed at once and it fails with reason Evicted, the
  /// message upstream's eviction manager writes.
  private func evict(_ pod: Pod, _ signal: PressureSignal, usage: Int64, shortfall: Int64) {
    guard let runtime = pods[pod.key] else { return }
    let now = clock.now
    let biggest = pod.spec.containers.first
    let request =
      biggest?.requests[signal.resourceName]?.description ?? "0"
    let available: String
    switch signal {
    case .memory: available = "\(max(Int64(100 << 20) - shortfall, 0) / 1024)Ki"
    case .disk: available = "\(max(shortfall, 0) / 1024)Ki"
    }
    let message =
      "The node was low on resource: \(signal.resourceName). "
      + "Threshold quantity: \(signal.threshold), available: \(available). "
      + (biggest.map {
        "Container \($0.name) was using \(usage / 1024)Ki, request is \(request), "
          + "has larger consumption of \(signal.resourceName). "
      } ?? "")
    record(pod.key, "Warning", "Evicted", message)
    for container in runtime.containers + runtime.initContainers where container.running {
      record(
        pod.key, "Normal", "Killing", "Stopping container \(container.name)",
        container: container.name)
      container.running = false
      container.ready = false
      container.incarnation += 1
    }
    runtime.epoch += 1
    runtime.finished = true
    update(runtime) { pod in
      for index in pod.status.containerStatuses.indices {
        let status = pod.status.containerStatuses[index]
        if case .running(let startedAt) = status.state {
          pod.status.containerStatuses[index].state = .terminated(
            exitCode: 137, reason: "Error", message: "", startedAt: startedAt, finishedAt: now)
        }
        pod.status.containerStatuses[index].ready = false
      }
      pod.status.phase = .failed
      pod.status.reason = "Evicted"
      pod.status.message = message
      pod.status.conditions.append(
        PodCondition(
          type: "DisruptionTarget", status: "True", lastTransitionTime: now,
          reason: "TerminationByKubelet", message: message))
      Kubelet.updateReadiness(&pod, runtime: runtime, at: now)
    }
  }

  /// The node's condition and the matching NoSchedule taint (the node lifecycle controller's
  /// TaintNodesByCondition), and the kubelet's event.
  func setPressureCondition(_ signal: PressureSignal, _ pressed: Bool) {
    let now = clock.now
    let words = pressed ? signal.pressed : signal.relieved
    guard
      let node = store.modify(
        Node.self, ObjectKey(namespace: "", name: nodeName),
        { node in
          if let index = node.status.conditions.firstIndex(where: {
            $0.type == signal.conditionType
          }) {
            node.status.conditions[index].status = pressed ? "True" : "False"
            node.status.conditions[index].reason = words.reason
            node.status.conditions[index].message = words.message
            node.status.conditions[index].lastTransitionTime = now
            node.status.conditions[index].lastHeartbeatTime = now
          }
          node.taints.removeAll { $0.key == signal.taintKey }
          if pressed {
            node.taints.append(Taint(key: signal.taintKey, effect: "NoSchedule", timeAdded: now))
          }
        })
    else { return }
    cluster.recorder.record(
      node, "Normal", words.event, "Node \(nodeName) status is now: \(words.event)",
      source: source, host: nodeName)
  }
}

/// The eviction signal a node pressure is about: memory or the node's filesystem.
public enum PressureSignal: String, CaseIterable, Sendable {
  case memory
  case disk

  var conditionType: String { self == .memory ? "MemoryPressure" : "DiskPressure" }
  /// The resource named in eviction messages.
  var resourceName: String { self == .memory ? "memory" : "ephemeral-storage" }
  var taintKey: String {
    self == .memory ? "node.kubernetes.io/memory-pressure" : "node.kubernetes.io/disk-pressure"
  }
  /// The kubelet's words for the condition, under pressure and without.
  var pressed: (reason: String, message: String, event: String) {
    self == .memory
      ? ("KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
        "NodeHasInsufficientMemory")
      : ("KubeletHasDiskPressure", "kubelet has disk pressure", "NodeHasDiskPressure")
  }
  var relieved: (reason: String, message: String, event: String) {
    self == .memory
      ? ("KubeletHasSufficientMemory", "kubelet has sufficient memory available",
        "NodeHasSufficientMemory")
      : ("KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure")
  }
  /// The default hard eviction thresholds: `memory.available<100Mi`, `nodefs.available<10%`.
  var threshold: String { self == .memory ? "100Mi" : "10%" }
}

