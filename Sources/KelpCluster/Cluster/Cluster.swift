/// One simulated Kubernetes v1.32 cluster: the API server's store, the virtual clock, the
/// scheduler, a kubelet per node and the controllers, all driven by `advance`. Deterministic:
/// the same seed and the same calls give the same events, byte for byte.
public final class Cluster {
  public let clock = VirtualClock()
  public let store: ObjectStore
  public let recorder: EventRecorder
  public let registry = ImageRegistry()
  let identities: IdentitySource
  public private(set) var scheduler: Scheduler!
  var kubelets: [String: Kubelet] = [:]
  var nodeLifecycle: NodeLifecycleController!
  var replicaSets: ReplicaSetController!
  var deployments: DeploymentController!
  var daemonSets: DaemonSetController!
  var jobs: JobController!
  var cronJobs: CronJobController!
  var autoscalers: HorizontalPodAutoscalerController!
  var endpointsController: EndpointsController!
  var volumes: PersistentVolumeController!
  /// The quota controller's queue: one recount per namespace per instant.
  var quotaRefresh: WorkQueue!
  /// The files of each PersistentVolume, by volume name: they follow the claim from pod to pod.
  var volumeData: [String: [String: String]] = [:]
  public let seed: UInt64
  /// CPU demands put on workloads with `setLoad`, by `Kind/namespace/name`.
  var loads: [String: WorkloadLoad] = [:]
  /// `Kind/namespace` of owners waiting in foreground deletion for their dependents to go.
  var foregroundDeletions: Set<String> = []
  /// ClientIP session affinity: each client's endpoint per Service port, and when it was used.
  var affinity: [String: (ip: String, at: Millis)] = [:]
  /// The addresses LoadBalancer Services get, first free first (a cloud's or MetalLB's pool).
  public var loadBalancerPool: [String] = (200...250).map { "172.18.255.\($0)" }
  private var nodeCount = 0
  /// The faults a script injected, in order, for the timeline and chaos reports.
  public private(set) var faultHistory: [FaultRecord] = []

  public struct FaultRecord: Hashable, Sendable {
    public let time: Millis
    public let text: String
    /// How many event occurrences came before it, to place it among them.
    public let afterOccurrences: Int
  }

  /// Notes a fault (as the script wrote it) at the current virtual time.
  public func noteFault(_ text: String, afterOccurrences: Int? = nil) {
    faultHistory.append(
      FaultRecord(
        time: clock.now, text: text,
        afterOccurrences: afterOccurrences ?? recorder.occurrences.count))
  }

  public init(seed: UInt64 = 0) {
    self.seed = seed
    identities = IdentitySource(random: SeededRandom(seed: seed))
    store = ObjectStore(clock: clock, identities: identities)
    recorder = EventRecorder(clock: clock, identities: identities)
    scheduler = Scheduler(cluster: self)
    nodeLifecycle = NodeLifecycleController(cluster: self)
    replicaSets = ReplicaSetController(cluster: self)
    deployments = DeploymentController(cluster: self)
    daemonSets = DaemonSetController(cluster: self)
    jobs = JobController(cluster: self)
    cronJobs = CronJobController(cluster: self)
    autoscalers = HorizontalPodAutoscalerController(cluster: self)
    endpointsController = EndpointsController(cluster: self)
    volumes = PersistentVolumeController(cluster: self)
    quotaRefresh = WorkQueue(clock: clock) { [unowned(unsafe) self] key in
      self.refreshQuotas(key.namespace)
    }
    store.watch { [unowned(unsafe) self] event in self.dispatch(event) }
    for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
      var namespace = Namespace(metadata: ObjectMeta(name: name))
      namespace.metadata.labels = ["kubernetes.io/metadata.name": name]
      _ = try? store.create(namespace)
    }
    createKubernetesService()
  }

  /// Watch events go to the scheduler, the kubelet of the pod's node, and the controllers.
  private func dispatch(_ event: WatchEvent) {
    scheduler.handle(event)
    nodeLifecycle.handle(event)
    replicaSets.handle(event)
    deployments.handle(event)
    daemonSets.handle(event)
    jobs.handle(event)
    cronJobs.handle(event)
    autoscalers.handle(event)
    endpointsController.handle(event)
    volumes.handle(event)
    // However a load balancer goes (its Service deleted, its namespace deleted), its address
    // is free for one still pending.
    if event.type == .deleted, let service = event.object as? Service,
      !service.loadBalancerIngress.isEmpty
    {
      retryPendingLoadBalancers()
    }
    if event.object is ConfigMap || event.object is Secret {
      configurationChanged(event.resource.kind, event.key)
    }
    // The quota controller keeps `used` current (upstream resyncs; Kelp follows each change).
    if Cluster.changesQuotaUsage(event.object), store.resourceQuotas.count > 0 {
      quotaRefresh.add(ObjectKey(namespace: event.key.namespace, name: ""))
    }
    if let pod = event.object as? Pod {
      if event.type == .deleted {
        kubelets[pod.spec.nodeName]?.podRemoved(pod.key)
        if !pod.metadata.ownerReferences.isEmpty {
          finishForegroundDeletion(namespace: pod.metadata.namespace)
        }
        namespaceContentsChanged(pod.metadata.namespace)
      } else if !pod.spec.nodeName.isEmpty, let kubelet = kubelets[pod.spec.nodeName],
        kubelet.needsToHear(about: pod)
      {
        // The kubelet hears of the change through its own watch, after the writer is done.
        let key = pod.key
        clock.schedule(at: clock.now) { [unowned(unsafe) self, kubelet] in
          guard let current = self.store.pods[key],
            current.spec.nodeName == kubelet.nodeName
          else { return }
          kubelet.podChanged(current)
        }
      }
    }
  }

  public var now: Millis { clock.now }

  /// Runs the clock forward by `duration`, doing everything due on the way.
  public func advance(by duration: Millis, shouldStop: () -> Bool = { false }) {
    clock.run(until: clock.now + duration, shouldStop: shouldStop)
  }

  /// Runs what is due now (reactions to the last change) without moving time.
  public func settle() { clock.runDue() }

  // MARK: - Nodes

  /// Adds a node as a kubelet registering itself would: Ready, with the default labels.
  @discardableResult
  public func addNode(
    _ name: String, cpu: Quantity = Quantity.cpu(millis: 4000),
    memory: Quantity = Quantity.bytes(8 * 1024 * 1024 * 1024), pods: Int = 110,
    labels: [String: String] = [:], taints: [Taint] = [],
    extendedResources: [String: Quantity] = [:]
  ) throws(APIError) -> Node {
    let problems = Validation.nameIsValid(name, kind: "Node")
    if !problems.isEmpty {
      throw .invalid(
        .node, name, problems.map { "metadata.name: Invalid value: \"\(name)\": \($0)" })
    }
    if store.nodes.get("", name) != nil { throw .alreadyExists(.node, name) }
    nodeCount += 1
    var node = Node(metadata: ObjectMeta(name: name))
    node.metadata.labels = [
      "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
    ].merging(labels) { _, given in given }
    node.metadata.annotations = [
      "node.alpha.kubernetes.io/ttl": "0",
      "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    ]
    node.taints = taints
    // 10.244.0.0/16 split in /24s, then on into 10.245…; node addresses in 172.18.0.0/16.
    node.podCIDR = "10.\(244 + nodeCount / 256).\(nodeCount % 256).0/24"
    let capacity: [String: Quantity] = [
      "cpu": cpu, "memory": memory,
      "pods": Quantity(milliValue: Int64(pods) * 1000, format: .decimalSI),
      "ephemeral-storage": Quantity.bytes(100 * 1024 * 1024 * 1024),
    ].merging(extendedResources) { _, extended in extended }
    node.status.capacity = capacity
    node.status.allocatable = capacity
    node.status.internalIP = "172.18.\((nodeCount + 1) / 256).\((nodeCount + 1) % 256)"
    let now = clock.now
    node.status.conditions = NodeLifecycleController.healthyConditions(at: now)
    let created = try store.create(node)
    kubelets[name] = Kubelet(nodeName: name, nodeIndex: nodeCount, cluster: self)
    recorder.record(
      created, "Normal", "Starting", "Starting kubelet.", source: "kubelet", host: name)
    for (reason, text) in [
      ("NodeHasSufficientMemory", "NodeHasSufficientMemory"),
      ("NodeHasNoDiskPressure", "NodeHasNoDiskPressure"),
      ("NodeHasSufficientPID", "NodeHasSufficientPID"),
    ] {
      recorder.record(
        created, "Normal", reason, "Node \(name) status is now: \(text)", source: "kubelet",
        host: name)
    }
    recorder.record(
      created, "Normal", "RegisteredNode",
      "Node \(name) event: Registered Node \(name) in Controller",
      source: "node-controller")
    recorder.record(
      created, "Normal", "NodeReady", "Node \(name) status is now: NodeReady", source: "kubelet",
      host: name)
    return created
  }

  // MARK: - Scheduler hooks

  /// The binding subresource: the scheduler's decision, written to the pod.
  func bind(_ key: ObjectKey, to nodeName: String) {
    let now = clock.now
    guard
      let pod = store.modify(
        Pod.self, key,
        { pod in
          pod.spec.nodeName = nodeName
          pod.status.setCondition("PodScheduled", "True", at: now)
          Kubelet.sortConditions(&pod.status)
        })
    else { return }
    recorder.record(
      pod, "Normal", "Scheduled",
      "Successfully assigned \(key.namespace)/\(key.name) to \(nodeName)",
      source: "default-scheduler")
  }

  func markUnschedulable(_ key: ObjectKey, message: String) {
    let now = clock.now
    guard
      let pod = store.modify(
        Pod.self, key,
        { pod in
          pod.status.setCondition(
            "PodScheduled", "False", at: now, reason: "Unschedulable", message: message)
        })
    else { return }
    recorder.record(pod, "Warning", "FailedScheduling", message, source: "default-scheduler")
  }

  // MARK: - Kubelet hooks

  // MARK: - Namespaces

  func namespaceContentsChanged(_ namespace: String) {
    guard let ns = store.namespaces.get("", namespace), ns.phase == "Terminating" else { return }
    if store.pods.list(namespace: namespace).isEmpty
      && store.replicaSets.list(namespace: namespace).isEmpty
      && store.deployments.list(namespace: namespace).isEmpty
    {
      store.remove(Namespace.self, ns.key)
    }
  }
}
