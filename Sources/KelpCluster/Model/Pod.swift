import OrderedCollections

/// A Pod: the spec a user writes and the status the scheduler and the kubelet fill in.
public struct Pod: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: PodSpec
  public var status = PodStatus()

  public init(metadata: ObjectMeta, spec: PodSpec) {
    self.metadata = metadata
    self.spec = spec
  }

  /// Status first: most writes change only the status, and the store compares before writing.
  public static func == (a: Pod, b: Pod) -> Bool {
    a.status == b.status && a.metadata == b.metadata && a.spec == b.spec
  }
}

public struct PodSpec: Hashable, Sendable {
  public var containers: [Container] = []
  public var initContainers: [Container] = []
  public var restartPolicy: RestartPolicy = .always
  public var nodeName: String = ""
  public var nodeSelector: [String: String] = [:]
  public var tolerations: [Toleration] = []
  public var nodeAffinity: NodeAffinity?
  public var terminationGracePeriodSeconds: Int = 30
  public var schedulerName = "default-scheduler"
  public var serviceAccountName = "default"
  public var priority = 0
  public var hostNetwork = false
  public var volumes: [Volume] = []
  /// Valid PodSpec fields Kelp keeps but does not simulate (securityContext, podAffinity, …),
  /// returned as written.
  public var passthrough: OrderedDictionary<String, JSONValue> = [:]

  public init(containers: [Container] = []) { self.containers = containers }
}

extension PodSpec {
  static let tokenVolumePrefix = "kube-api-access-"
  static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

  /// The spec as its author wrote it, before the ServiceAccount admission plugin mounted the
  /// API token: what an update is compared with, and what exported manifests leave out.
  public var withoutServiceAccountToken: PodSpec {
    var spec = self
    let injected = Set(spec.volumes.map(\.name).filter { $0.hasPrefix(PodSpec.tokenVolumePrefix) })
    guard !injected.isEmpty else { return spec }
    spec.volumes.removeAll { injected.contains($0.name) }
    for index in spec.containers.indices {
      spec.containers[index].volumeMounts.removeAll { injected.contains($0.name) }
    }
    for index in spec.initContainers.indices {
      spec.initContainers[index].volumeMounts.removeAll { injected.contains($0.name) }
    }
    return spec
  }
}

public enum RestartPolicy: String, Hashable, Sendable, CaseIterable {
  case always = "Always"
  case onFailure = "OnFailure"
  case never = "Never"
}

public struct Container: Hashable, Sendable {
  public var name: String
  public var image: String
  public var command: [String] = []
  public var args: [String] = []
  public var ports: [ContainerPort] = []
  public var env: [EnvVar] = []
  public var requests: [String: Quantity] = [:]
  public var limits: [String: Quantity] = [:]
  public var volumeMounts: [VolumeMount] = []
  public var livenessProbe: Probe?
  public var readinessProbe: Probe?
  public var startupProbe: Probe?
  public var imagePullPolicy: String = ""
  public var passthrough: OrderedDictionary<String, JSONValue> = [:]

  public init(name: String, image: String) {
    self.name = name
    self.image = image
  }

  /// `IfNotPresent` unless the tag is `latest` or missing, as the API server defaults it.
  public var effectivePullPolicy: String {
    if !imagePullPolicy.isEmpty { return imagePullPolicy }
    return ImageReference(image).tag == "latest" ? "Always" : "IfNotPresent"
  }
}

public struct ContainerPort: Hashable, Sendable {
  public var name: String = ""
  public var containerPort: Int
  public var hostPort: Int = 0
  public var `protocol`: String = "TCP"
  public init(containerPort: Int) { self.containerPort = containerPort }
}

public struct EnvVar: Hashable, Sendable {
  public var name: String
  public var value: String = ""
  /// `valueFrom` as written: configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef.
  public var valueFrom: JSONValue?
}

public struct VolumeMount: Hashable, Sendable {
  public var name: String
  public var mountPath: String
  public var readOnly = false
  public var subPath = ""
}

/// A volume as written; the storage simulation reads the source it needs.
public struct Volume: Hashable, Sendable {
  public var name: String
  public var source: OrderedDictionary<String, JSONValue>
}

public struct Probe: Hashable, Sendable {
  public enum Handler: Hashable, Sendable {
    case exec([String])
    case httpGet(path: String, port: IntOrString)
    case tcpSocket(port: IntOrString)
    case grpc(port: Int)
  }
  public var handler: Handler
  public var initialDelaySeconds = 0
  public var periodSeconds = 10
  public var timeoutSeconds = 1
  public var successThreshold = 1
  public var failureThreshold = 3
}

public struct Toleration: Hashable, Sendable {
  public var key: String = ""
  /// `Equal` (the default) or `Exists`.
  public var `operator`: String = "Equal"
  public var value: String = ""
  /// Empty: every effect.
  public var effect: String = ""
  public var tolerationSeconds: Int?

  public init(
    key: String = "", operator: String = "Equal", value: String = "", effect: String = "",
    tolerationSeconds: Int? = nil
  ) {
    self.key = key
    self.operator = `operator`
    self.value = value
    self.effect = effect
    self.tolerationSeconds = tolerationSeconds
  }

  /// Upstream `Toleration.ToleratesTaint`.
  public func tolerates(_ taint: Taint) -> Bool {
    if !effect.isEmpty && effect != taint.effect { return false }
    if !key.isEmpty && key != taint.key { return false }
    switch self.operator {
    case "Exists": return true
    case "", "Equal": return value == taint.value
    default: return false
    }
  }
}

public struct NodeAffinity: Hashable, Sendable {
  /// Terms are ORed; the expressions inside one term are ANDed.
  public var required: [NodeSelectorTerm] = []
  public var preferred: [(weight: Int, term: NodeSelectorTerm)] = []

  public static func == (a: NodeAffinity, b: NodeAffinity) -> Bool {
    a.required == b.required && a.preferred.map(\.weight) == b.preferred.map(\.weight)
      && a.preferred.map(\.term) == b.preferred.map(\.term)
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(required)
    for (weight, term) in preferred {
      hasher.combine(weight)
      hasher.combine(term)
    }
  }
}

public struct NodeSelectorTerm: Hashable, Sendable {
  public var matchExpressions: [NodeSelectorRequirement] = []
  public var matchFields: [NodeSelectorRequirement] = []

  /// Upstream nodeaffinity: an empty term matches nothing.
  public func matches(labels: [String: String], name: String) -> Bool {
    if matchExpressions.isEmpty && matchFields.isEmpty { return false }
    return matchExpressions.allSatisfy { $0.matches(labels[$0.key]) }
      && matchFields.allSatisfy { $0.key == "metadata.name" && $0.matches(name) }
  }
}

public struct NodeSelectorRequirement: Hashable, Sendable {
  public var key: String
  public var `operator`: String
  public var values: [String] = []

  public func matches(_ value: String?) -> Bool {
    switch self.operator {
    case "In": return value.map { values.contains($0) } ?? false
    case "NotIn": return value.map { !values.contains($0) } ?? true
    case "Exists": return value != nil
    case "DoesNotExist": return value == nil
    case "Gt", "Lt":
      guard let value, let actual = Int(value), let bound = values.first.flatMap({ Int($0) }) else {
        return false
      }
      return self.operator == "Gt" ? actual > bound : actual < bound
    default: return false
    }
  }
}

public struct PodStatus: Hashable, Sendable {
  public var phase: PodPhase = .pending
  public var conditions: [PodCondition] = []
  public var hostIP = ""
  public var podIP = ""
  public var startTime: Millis?
  public var containerStatuses: [ContainerStatus] = []
  public var initContainerStatuses: [ContainerStatus] = []
  public var qosClass = ""
  /// Set for whole-pod outcomes: `Evicted`, `OutOfmemory`, …
  public var reason = ""
  public var message = ""
  public var nominatedNodeName = ""

  public func condition(_ type: String) -> PodCondition? { conditions.first { $0.type == type } }

  /// Sets a condition, keeping its transition time when the status does not change.
  public mutating func setCondition(
    _ type: String, _ status: String, at time: Millis, reason: String = "", message: String = ""
  ) {
    if let index = conditions.firstIndex(where: { $0.type == type }) {
      if conditions[index].status != status { conditions[index].lastTransitionTime = time }
      conditions[index].status = status
      conditions[index].reason = reason
      conditions[index].message = message
    } else {
      conditions.append(
        PodCondition(
          type: type, status: status, lastTransitionTime: time, reason: reason, message: message))
    }
  }
}

public enum PodPhase: String, Hashable, Sendable {
  case pending = "Pending"
  case running = "Running"
  case succeeded = "Succeeded"
  case failed = "Failed"
  case unknown = "Unknown"
}

public struct PodCondition: Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastTransitionTime: Millis
  public var reason = ""
  public var message = ""
}

public struct ContainerStatus: Hashable, Sendable {
  public var name: String
  public var state: ContainerState
  public var lastState: ContainerState?
  public var ready = false
  public var started = false
  public var restartCount = 0
  public var image: String
  public var imageID = ""
  public var containerID = ""
}

public enum ContainerState: Hashable, Sendable {
  case waiting(reason: String, message: String)
  case running(startedAt: Millis)
  case terminated(
    exitCode: Int, reason: String, message: String, startedAt: Millis, finishedAt: Millis)

  public var isRunning: Bool {
    if case .running = self { return true }
    return false
  }
}
