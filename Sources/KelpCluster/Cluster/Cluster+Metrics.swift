/// Simulated resource use, as metrics-server would report it to `kubectl top` and the
/// HorizontalPodAutoscaler. A running container uses what its `kelp.dev/cpu-usage` and
/// `kelp.dev/memory-usage` annotations say, or a little when idle; `setLoad` puts a CPU demand
/// on a workload, shared evenly by its ready pods, the way traffic through a Service would be,
/// and a memory working set on each of its pods (past a container's limit, the OOM killer).
extension Cluster {
  /// CPU in millicores and memory in bytes of one pod, now.
  public struct PodUsage: Hashable, Sendable {
    public var cpuMillis: Int64
    public var memoryBytes: Int64
  }

  /// A CPU demand on the pods a selector picks in one namespace.
  struct WorkloadLoad {
    var namespace: String
    var selector: LabelSelector
    /// The CPU demand shared by ready pods, when set.
    var cpuMillis: Int64?
    /// What each pod's main container holds in memory, when set.
    var memoryBytes: Int64?
  }

  static let idleCPUMillis: Int64 = 1
  static let idleMemoryBytes: Int64 = 4 << 20

  /// Puts `percent` % of its CPU requests, at its current ready pod count, on a workload. The
  /// demand stays when the workload scales: more pods share it and each uses less.
  public func setLoad(
    _ resource: ResourceKind, _ name: String, namespace: String, percent: Double?,
    memoryPerPod: Int64? = nil
  ) throws(APIError) {
    let selector: LabelSelector
    let template: PodSpec
    func parse(_ spec: SelectorSpec) throws(APIError) -> LabelSelector {
      do { return try spec.selector() } catch { throw APIError(.badRequest, "\(error)") }
    }
    switch resource.kind {
    case "Deployment":
      guard let object = store.deployments.get(namespace, name) else {
        throw .notFound(resource, name)
      }
      (selector, template) = (try parse(object.spec.selector), object.spec.template.spec)
    case "ReplicaSet":
      guard let object = store.replicaSets.get(namespace, name) else {
        throw .notFound(resource, name)
      }
      (selector, template) = (try parse(object.spec.selector), object.spec.template.spec)
    case "DaemonSet":
      guard let object = store.daemonSets.get(namespace, name) else {
        throw .notFound(resource, name)
      }
      (selector, template) = (try parse(object.spec.selector), object.spec.template.spec)
    case "Job":
      guard let object = store.jobs.get(namespace, name) else { throw .notFound(resource, name) }
      (selector, template) = (try parse(object.spec.selector), object.spec.template.spec)
    default:
      throw APIError(
        .badRequest,
        "set-load: \(resource.kind) is not a workload; use Deployment, ReplicaSet, DaemonSet or Job")
    }
    let request = template.containers.reduce(Int64(0)) {
      $0 + ($1.requests["cpu"]?.milliValue ?? 0)
    }
    let pods = store.pods.list(namespace: namespace).filter {
      selector.matches($0.metadata.labels) && Cluster.sharesLoad($0)
    }
    // Without a request, percent is of one core.
    let perPod = request > 0 ? request : 1000
    let key = "\(resource.kind)/\(namespace)/\(name)"
    var load =
      loads[key] ?? WorkloadLoad(namespace: namespace, selector: selector, cpuMillis: nil)
    if let percent {
      guard percent.isFinite, percent >= 0 else {
        throw APIError(.badRequest, "set-load: the percentage must be a finite number, 0 or more")
      }
      // At most a million cores: enough for any cluster, and far from Int64's end.
      let demand = min(Double(perPod) * Double(max(pods.count, 1)) * percent / 100, 1e12)
      load.cpuMillis = Int64(demand.rounded())
    }
    if let memoryPerPod { load.memoryBytes = memoryPerPod }
    loads[key] = load
    if memoryPerPod != nil {
      // Pods already running grow to the new working set; past its limit a container is killed.
      for pod in store.pods.list(namespace: namespace).filter({ selector.matches($0.metadata.labels) })
      where pod.status.phase == .running {
        guard let main = pod.spec.containers.first,
          let usage = memoryLoad(of: pod), let limit = main.limits["memory"], usage > limit.value
        else { continue }
        _ = kubelets[pod.spec.nodeName]?.crash(
          pod.key, container: main.name, exitCode: 137)
      }
      settle()
    }
  }

  /// The memory working set a load puts on each pod it covers, if any.
  func memoryLoad(of pod: Pod) -> Int64? {
    guard !loads.isEmpty else { return nil }
    for (_, load) in loads.sorted(by: { $0.key < $1.key })
    where load.namespace == pod.metadata.namespace && load.selector.matches(pod.metadata.labels) {
      if let bytes = load.memoryBytes { return bytes }
    }
    return nil
  }

  /// Ready, running and not being deleted: a pod that takes its share of a load.
  static func sharesLoad(_ pod: Pod) -> Bool {
    pod.status.phase == .running && pod.metadata.deletionTimestamp == nil
      && pod.status.condition("Ready")?.status == "True"
  }

  /// What each running pod uses now; pods that are not running have no metrics.
  public func usage(of pods: [Pod]) -> [ObjectKey: PodUsage] {
    var result: [ObjectKey: PodUsage] = [:]
    for pod in pods where pod.status.phase == .running {
      var usage = PodUsage(cpuMillis: 0, memoryBytes: 0)
      let loaded = memoryLoad(of: pod)
      for (index, container) in pod.spec.containers.enumerated() {
        // A container waiting to restart runs nothing and uses nothing.
        guard pod.status.containerStatuses.first(where: { $0.name == container.name })?.state
          .isRunning ?? false
        else { continue }
        // The annotations alone: interpreting the command here would run its script again at
        // every metrics read.
        let declared = ContainerProgram.usage(pod.metadata.annotations)
        var cpu = declared.cpu?.milliValue ?? Cluster.idleCPUMillis
        var memory =
          (index == 0 ? loaded : nil) ?? declared.memory.map { $0.milliValue / 1000 }
          ?? Cluster.idleMemoryBytes
        // The cgroup's limits: CPU is throttled to it, memory never holds more.
        if let limit = container.limits["cpu"]?.milliValue { cpu = min(cpu, limit) }
        if let limit = container.limits["memory"]?.value { memory = min(memory, limit) }
        usage.cpuMillis.addSaturating(cpu)
        usage.memoryBytes.addSaturating(memory)
      }
      result[pod.key] = usage
    }
    for (_, load) in loads.sorted(by: { $0.key < $1.key }) {
      guard let demand = load.cpuMillis else { continue }
      let sharing = store.pods.list(namespace: load.namespace).filter {
        load.selector.matches($0.metadata.labels) && Cluster.sharesLoad($0)
      }
      guard !sharing.isEmpty else { continue }
      // The share is the pod's whole CPU use: the idle trickle is part of it. CPU limits
      // throttle it.
      let share = max(demand / Int64(sharing.count), Cluster.idleCPUMillis)
      for pod in sharing where result[pod.key] != nil {
        let limits = pod.spec.containers.map { $0.limits["cpu"]?.milliValue }
        let cap = limits.contains(nil) ? Int64.max : limits.reduce(Int64(0)) { $0 + ($1 ?? 0) }
        result[pod.key]!.cpuMillis = min(share, cap)
      }
    }
    return result
  }
}

extension Int64 {
  /// Adds, stopping at the largest value instead of trapping (usage from annotations can be
  /// anything a user writes).
  mutating func addSaturating(_ other: Int64) {
    let (sum, overflow) = addingReportingOverflow(other)
    self = overflow ? (other > 0 ? .max : .min) : sum
  }
}
