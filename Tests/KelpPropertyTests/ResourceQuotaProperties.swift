import PropertyBased
import Testing

@testable import KelpCluster

struct GeneratedContainerResources: Sendable, CustomStringConvertible {
  var cpuRequest: Int64?
  var cpuLimit: Int64?
  var memoryRequestMi: Int64?
  var memoryLimitMi: Int64?

  func apply(to container: inout Container) {
    if let cpuRequest { container.requests["cpu"] = .cpu(millis: cpuRequest) }
    if let cpuLimit { container.limits["cpu"] = .cpu(millis: max(cpuLimit, cpuRequest ?? 0)) }
    if let memoryRequestMi { container.requests["memory"] = .bytes(memoryRequestMi << 20) }
    if let memoryLimitMi {
      container.limits["memory"] = .bytes(max(memoryLimitMi, memoryRequestMi ?? 0) << 20)
    }
  }

  var description: String {
    "cpu \(cpuRequest.map(String.init) ?? "-")/\(cpuLimit.map(String.init) ?? "-")m memory \(memoryRequestMi.map(String.init) ?? "-")/\(memoryLimitMi.map(String.init) ?? "-")Mi"
  }
}

enum QuotaStep: Sendable, CustomStringConvertible {
  /// A bare pod `pod-<n>` with a container and maybe an init container; `runsFor` seconds
  /// before it exits 0 (nil: serves forever).
  case pod(
    Int, GeneratedContainerResources, initContainer: GeneratedContainerResources?, runsFor: Int?)
  /// A Deployment `web-<n>` (created or rescaled) whose pods have the given resources.
  case deployment(Int, replicas: Int, GeneratedContainerResources)
  case deletePod(Int)
  case wait(Int)

  var description: String {
    switch self {
    case .pod(let n, let resources, let initContainer, let runsFor):
      "pod-\(n)(\(resources)\(initContainer.map { ", init \($0)" } ?? "")\(runsFor.map { ", exits after \($0)s" } ?? ""))"
    case .deployment(let n, let replicas, let resources): "web-\(n) ×\(replicas) (\(resources))"
    case .deletePod(let n): "delete pod-\(n)"
    case .wait(let ms): "wait \(ms)ms"
    }
  }
}

struct GeneratedQuota: Sendable, CustomStringConvertible {
  var hard: [String: String]
  var description: String { "quota \(hard.sorted { $0.key < $1.key })" }
}

enum QuotaGen {
  static let resources = zip(
    pick([nil, 100, 250, 500, 1000] as [Int64?]), pick([nil, nil, 500, 1000, 2000] as [Int64?]),
    pick([nil, 64, 128, 512] as [Int64?]), pick([nil, nil, 256, 1024] as [Int64?])
  ).map {
    GeneratedContainerResources(
      cpuRequest: $0, cpuLimit: $1, memoryRequestMi: $2, memoryLimitMi: $3)
  }

  static let step = Gen.frequency(
    (
      5,
      zip(
        Gen.int(in: 0...9), resources, resources.optional(valueRate: 0.2),
        pick([5, 60]).optional(valueRate: 0.3)
      )
      .map { QuotaStep.pod($0, $1, initContainer: $2, runsFor: $3) }.eraseToAny()
    ),
    (
      1,
      zip(Gen.int(in: 0...1), Gen.int(in: 0...6), resources)
        .map { QuotaStep.deployment($0, replicas: $1, $2) }.eraseToAny()
    ),
    (2, Gen.int(in: 0...9).map { QuotaStep.deletePod($0) }.eraseToAny()),
    (1, pick([0, 2_000, 10_000, 90_000]).map { QuotaStep.wait($0) }.eraseToAny()),
  )

  /// Some of the compute resources a quota can cap; always at least one.
  static let quota = zip(
    pick([nil, "2", "5"] as [String?]), pick([nil, "1", "1500m", "3"] as [String?]),
    pick([nil, "512Mi", "1Gi"] as [String?]), pick([nil, "2", "4"] as [String?]),
    pick([nil, "2Gi"] as [String?]), pick([nil, "600m", "2"] as [String?])
  ).map { pods, requestsCPU, requestsMemory, limitsCPU, limitsMemory, cpu in
    var hard: [String: String] = [:]
    hard["pods"] = pods
    hard["requests.cpu"] = requestsCPU
    hard["requests.memory"] = requestsMemory
    hard["limits.cpu"] = limitsCPU
    hard["limits.memory"] = limitsMemory
    hard["cpu"] = cpu
    if hard.isEmpty { hard["pods"] = "3" }
    return GeneratedQuota(hard: hard)
  }
}

@Suite struct ResourceQuotaProperties {
  static let namespace = "team"

  /// The namespace's use of `resource`, computed from the stored pods: every pod not Succeeded
  /// or Failed counts (Terminating ones too, as upstream's evaluator does until they go); a pod's
  /// request is its containers' sum, or its largest init container's if that is more (upstream
  /// `PodRequestsAndLimits`).
  static func referenceUsage(_ cluster: Cluster, _ resource: String) -> Int64 {
    let pods = cluster.store.pods.list(namespace: namespace).filter {
      $0.status.phase != .succeeded && $0.status.phase != .failed
    }
    if resource == "pods" { return Int64(pods.count) * 1000 }
    let limits = resource.hasPrefix("limits.")
    let name = resource.split(separator: ".").last.map(String.init) ?? resource
    func amount(_ container: Container) -> Int64 {
      (limits ? container.limits[name] : container.requests[name])?.milliValue ?? 0
    }
    return pods.reduce(0) { total, pod in
      let sum = pod.spec.containers.reduce(0) { $0 + amount($1) }
      let initial = pod.spec.initContainers.map(amount).max() ?? 0
      return total + max(sum, initial)
    }
  }

  func pod(
    _ n: Int, _ resources: GeneratedContainerResources, initContainer: GeneratedContainerResources?,
    runsFor: Int?
  ) -> Pod {
    var pod = Pod(
      metadata: ObjectMeta(name: "pod-\(n)", namespace: Self.namespace),
      spec: PodSpec(containers: [Container(name: "c", image: "nginx:1.25")]))
    resources.apply(to: &pod.spec.containers[0])
    if let initContainer {
      var container = Container(name: "setup", image: "busybox:1.36")
      container.command = ["sh", "-c", "exit 0"]
      initContainer.apply(to: &container)
      pod.spec.initContainers = [container]
    }
    if let runsFor { pod.metadata.annotations["kelp.dev/run-for"] = "\(runsFor)s" }
    pod.spec.restartPolicy = .never
    return pod
  }

  func deployment(_ n: Int, replicas: Int, _ resources: GeneratedContainerResources) -> JSONValue {
    var container = Container(name: "c", image: "nginx:1.25")
    resources.apply(to: &container)
    func quantities(_ values: [String: Quantity]) -> JSONValue {
      .object(
        .init(
          uniqueKeysWithValues: values.sorted { $0.key < $1.key }.map {
            ($0.key, JSONValue.string($0.value.description))
          }))
    }
    return [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": .string("web-\(n)"), "namespace": .string(Self.namespace)],
      "spec": [
        "replicas": .int(Int64(replicas)),
        "selector": ["matchLabels": ["app": .string("web-\(n)")]],
        "template": [
          "metadata": ["labels": ["app": .string("web-\(n)")]],
          "spec": [
            "containers": [
              [
                "name": "c", "image": "nginx:1.25",
                "resources": [
                  "requests": quantities(container.requests),
                  "limits": quantities(container.limits),
                ],
              ]
            ]
          ],
        ],
      ],
    ]
  }

  /// Random pod creations (bare pods, some with init containers, some that exit; Deployments
  /// scaling up and down; deletions) in a namespace with a quota: at every write to the store,
  /// the pods' use of each resource the quota caps stays within `hard`; and once the cluster
  /// settles, the quota's `used` is exactly that use.
  @Test func usedNeverExceedsHard() async {
    var refusedPods = 0
    var stepsAtTheLimit = 0
    var controllerPods = 0
    await forAll(
      zip(QuotaGen.quota, QuotaGen.step.array(of: 1...25)), count: 200, seed: 0x5EED_0040
    ) {
      quota, steps in
      let cluster = Cluster(seed: 13)
      try cluster.addNode("node-1", cpu: .cpu(millis: 64_000))
      try cluster.apply([
        "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)],
      ])
      try cluster.apply([
        "apiVersion": "v1", "kind": "ResourceQuota",
        "metadata": ["name": "compute", "namespace": .string(Self.namespace)],
        "spec": [
          "hard": .object(
            .init(
              uniqueKeysWithValues: quota.hard.sorted { $0.key < $1.key }.map {
                ($0.key, JSONValue.string($0.value))
              }))
        ],
      ])
      let hard = try quota.hard.mapValues { try Quantity($0).milliValue }
      var breach: String?
      cluster.store.watch { event in
        guard breach == nil, event.object is Pod else { return }
        for (resource, limit) in hard where Self.referenceUsage(cluster, resource) > limit {
          breach =
            "at \(cluster.now)ms \(resource) uses \(Self.referenceUsage(cluster, resource))m of \(limit)m"
        }
      }
      for (number, step) in steps.enumerated() {
        switch step {
        case .pod(let n, let resources, let initContainer, let runsFor):
          let manifest = pod(n, resources, initContainer: initContainer, runsFor: runsFor)
          do {
            try cluster.apply(manifest.encoded(serverFields: false))
          } catch {
            if "\(error)".contains("exceeded quota") { refusedPods += 1 }
          }
        case .deployment(let n, let replicas, let resources):
          _ = try? cluster.apply(deployment(n, replicas: replicas, resources))
        case .deletePod(let n):
          _ = try? cluster.delete(.pod, "pod-\(n)", namespace: Self.namespace)
        case .wait(let ms):
          cluster.advance(by: Millis(ms))
        }
        cluster.settle()
        try #require(breach == nil, "after step \(number): \(breach ?? "")")
        let stored = cluster.store.resourceQuotas.get(Self.namespace, "compute")
        for (resource, limit) in hard {
          let used = stored?.used[resource]?.milliValue
          try #require(
            used == Self.referenceUsage(cluster, resource),
            "after step \(number): used \(resource) is \(String(describing: used))m")
          try #require((used ?? 0) <= limit)
        }
        if hard.contains(where: { Self.referenceUsage(cluster, $0.key) == $0.value }) {
          stepsAtTheLimit += 1
        }
      }
      controllerPods +=
        cluster.store.pods.list(namespace: Self.namespace).filter {
          !$0.metadata.ownerReferences.isEmpty
        }.count
      cluster.advance(by: 120_000)
      try #require(breach == nil, "at the end: \(breach ?? "")")
    }
    // The quotas bite: creations are refused, namespaces sit exactly at a limit, and
    // controllers' pods go through the same admission.
    #expect(refusedPods > 180)
    #expect(stepsAtTheLimit > 500)
    #expect(controllerPods > 40)
  }
}
