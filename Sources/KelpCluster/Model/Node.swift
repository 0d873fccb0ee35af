/// A Node: its capacity, labels and taints, and the conditions the kubelet and the node
/// lifecycle controller keep.
public struct Node: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var unschedulable = false
  public var taints: [Taint] = []
  public var podCIDR = ""
  public var status = NodeStatus()

  public init(metadata: ObjectMeta) { self.metadata = metadata }

  public var isReady: Bool { status.condition("Ready")?.status == "True" }

  /// kubectl's ROLES column: the `node-role.kubernetes.io/<role>` labels.
  public var roles: [String] {
    metadata.labels.keys.compactMap { key -> String? in
      if key.hasPrefix("node-role.kubernetes.io/") {
        return String(key.dropFirst("node-role.kubernetes.io/".count))
      }
      if key == "kubernetes.io/role" { return metadata.labels[key] }
      return nil
    }.filter { !$0.isEmpty }.reduce(into: Set<String>()) { $0.insert($1) }.sorted()
  }

  /// The roles as `get nodes` and `describe node` print them: `control-plane,worker`, or `<none>`.
  public var rolesText: String { roles.isEmpty ? "<none>" : roles.joined(separator: ",") }
}

public struct Taint: Hashable, Sendable {
  public var key: String
  public var value: String = ""
  /// NoSchedule, PreferNoSchedule or NoExecute.
  public var effect: String
  public var timeAdded: Millis?

  public init(key: String, value: String = "", effect: String, timeAdded: Millis? = nil) {
    self.key = key
    self.value = value
    self.effect = effect
    self.timeAdded = timeAdded
  }

  /// `key=value:Effect`, as `kubectl taint` and describe write it.
  public var description: String {
    value.isEmpty ? "\(key):\(effect)" : "\(key)=\(value):\(effect)"
  }

  public static let unreachableKey = "node.kubernetes.io/unreachable"
  public static let notReadyKey = "node.kubernetes.io/not-ready"
  public static let unschedulableKey = "node.kubernetes.io/unschedulable"
}

public struct NodeStatus: Hashable, Sendable {
  /// cpu, memory, pods, ephemeral-storage.
  public var capacity: [String: Quantity] = [:]
  public var allocatable: [String: Quantity] = [:]
  public var conditions: [NodeCondition] = []
  public var internalIP = ""
  public var kubeletVersion = "v1.32.0"
  public var osImage = "Debian GNU/Linux 12 (bookworm)"
  public var kernelVersion = "6.1.0-kelp"
  public var containerRuntimeVersion = "containerd://1.7.24"

  public func condition(_ type: String) -> NodeCondition? { conditions.first { $0.type == type } }
}

public struct NodeCondition: Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastHeartbeatTime: Millis
  public var lastTransitionTime: Millis
  public var reason: String
  public var message: String
}

/// A Namespace: a name, a phase (`Active`, or `Terminating` while its contents are deleted).
public struct Namespace: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var phase = "Active"
  public init(metadata: ObjectMeta) { self.metadata = metadata }
}

/// An Event, as `kubectl get events` lists it. Repeats of the same reason and message on the
/// same object are folded into one Event with a count, as the kubelet's event correlator does.
public struct Event: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var involvedKind: String
  public var involvedName: String
  public var involvedNamespace: String
  public var involvedUID: String
  public var reason: String
  public var message: String
  /// `Normal` or `Warning`.
  public var type: String
  /// `kubelet`, `default-scheduler`, `node-controller`, …
  public var source: String
  public var sourceHost: String = ""
  public var firstTimestamp: Millis
  public var lastTimestamp: Millis
  /// The container an event is about (`spec.containers{web}`); empty for the pod itself.
  public var fieldPath = ""
  public var count = 1
}
