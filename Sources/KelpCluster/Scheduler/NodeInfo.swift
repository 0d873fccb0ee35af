/// A class, so that running a plugin over a node copies nothing.
/// The scheduler's view of one node: what it offers and what the pods assigned to it request.
/// Kept up to date from watch events, so a scheduling cycle never reads the store.
public final class NodeInfo: @unchecked Sendable {
  public var name: String
  public var labels: [String: String]
  public var taints: [Taint]
  public var unschedulable: Bool
  public var allocatableCPU: Int64
  public var allocatableMemory: Int64
  public var allocatablePods: Int
  public var requestedCPU: Int64 = 0
  public var requestedMemory: Int64 = 0
  /// Requests with upstream's non-zero defaults (100m, 200Mi) for containers that set none;
  /// only scoring uses them.
  public var nonZeroCPU: Int64 = 0
  public var nonZeroMemory: Int64 = 0
  /// Ephemeral storage and extended resources (`nvidia.com/gpu`), offered and requested.
  public var allocatableScalars: [String: Int64] = [:]
  public var requestedScalars: [String: Int64] = [:]
  public var podCount = 0
  public var usedHostPorts: [Int: Int] = [:]

  init(node: Node) {
    name = node.metadata.name
    labels = [:]
    taints = []
    unschedulable = false
    allocatableCPU = 0
    allocatableMemory = 0
    allocatablePods = 0
    refresh(from: node)
  }

  func refresh(from node: Node) {
    labels = node.metadata.labels
    taints = node.taints
    unschedulable = node.unschedulable
    allocatableCPU = node.status.allocatable["cpu"]?.milliValue ?? 0
    allocatableMemory = node.status.allocatable["memory"]?.value ?? 0
    allocatablePods = Int(node.status.allocatable["pods"]?.value ?? 110)
    allocatableScalars = [:]
    for (resource, quantity) in node.status.allocatable
    where !["cpu", "memory", "pods"].contains(resource) {
      allocatableScalars[resource] = quantity.value
    }
  }

  func add(_ pod: PodInfo, sign: Int64 = 1) {
    requestedCPU += sign * pod.cpu
    requestedMemory += sign * pod.memory
    nonZeroCPU += sign * pod.nonZeroCPU
    nonZeroMemory += sign * pod.nonZeroMemory
    podCount += Int(sign)
    for (resource, amount) in pod.scalars {
      requestedScalars[resource, default: 0] += sign * amount
      if requestedScalars[resource] == 0 { requestedScalars[resource] = nil }
    }
    for port in pod.hostPorts {
      usedHostPorts[port, default: 0] += Int(sign)
      if usedHostPorts[port] == 0 { usedHostPorts[port] = nil }
    }
  }
}

/// What the scheduler needs of a pod, computed once per attempt.
public final class PodInfo: @unchecked Sendable {
  public var key: ObjectKey
  public var cpu: Int64
  public var memory: Int64
  public var nonZeroCPU: Int64
  public var nonZeroMemory: Int64
  /// Ephemeral storage and extended resources, by name (Pod.scalarRequests).
  public var scalars: [String: Int64]
  public var hostPorts: [Int]
  public var nodeName: String
  public var nodeSelector: [String: String]
  public var nodeAffinity: NodeAffinity?
  public var tolerations: [Toleration]
  /// The tolerations that count against PreferNoSchedule taints (upstream's PreScore state).
  public var preferNoScheduleTolerations: [Toleration]

  /// Upstream `schedutil.DefaultMilliCPURequest` and `DefaultMemoryRequest`.
  static let defaultCPU: Int64 = 100
  static let defaultMemory: Int64 = 200 * 1024 * 1024

  public init(pod: Pod) {
    key = pod.key
    let requests = pod.resourceRequests
    cpu = requests.cpuMillis
    memory = requests.memoryBytes
    var zeroCPU: Int64 = 0
    var zeroMemory: Int64 = 0
    for container in pod.spec.containers {
      let cpuRequest = container.requests["cpu"] ?? container.limits["cpu"]
      let memoryRequest = container.requests["memory"] ?? container.limits["memory"]
      // Only a missing request takes the default; an explicit 0 stays 0.
      zeroCPU += cpuRequest?.milliValue ?? PodInfo.defaultCPU
      zeroMemory += memoryRequest?.value ?? PodInfo.defaultMemory
    }
    nonZeroCPU = zeroCPU
    nonZeroMemory = zeroMemory
    scalars = pod.scalarRequests
    hostPorts = pod.spec.containers.flatMap { $0.ports.map(\.hostPort) }.filter { $0 > 0 }
    nodeName = pod.spec.nodeName
    nodeSelector = pod.spec.nodeSelector
    nodeAffinity = pod.spec.nodeAffinity
    tolerations = pod.spec.tolerations
    preferNoScheduleTolerations = tolerations.filter {
      $0.effect.isEmpty || $0.effect == "PreferNoSchedule"
    }
  }
}
