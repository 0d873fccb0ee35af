import OrderedCollections

/// A ReplicaSet: keeps `replicas` pods made from its template running, adopting orphans its
/// selector matches.
public struct ReplicaSet: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: ReplicaSetSpec
  public var status = ReplicaSetStatus()

  public init(metadata: ObjectMeta, spec: ReplicaSetSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct ReplicaSetSpec: Hashable, Sendable {
  public var replicas = 1
  public var minReadySeconds = 0
  public var selector: SelectorSpec
  public var template: PodTemplate
}

public struct ReplicaSetStatus: Hashable, Sendable {
  public var replicas = 0
  public var fullyLabeledReplicas = 0
  public var readyReplicas = 0
  public var availableReplicas = 0
  public var observedGeneration = 0
}

/// `metav1.LabelSelector` as written in a manifest: matchLabels and matchExpressions.
public struct SelectorSpec: Hashable, Sendable {
  public var matchLabels: [String: String] = [:]
  public var matchExpressions: [(key: String, operator: String, values: [String])] = []

  public static func == (a: SelectorSpec, b: SelectorSpec) -> Bool {
    a.matchLabels == b.matchLabels && a.matchExpressions.map(\.key) == b.matchExpressions.map(\.key)
      && a.matchExpressions.map(\.operator) == b.matchExpressions.map(\.operator)
      && a.matchExpressions.map(\.values) == b.matchExpressions.map(\.values)
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(matchLabels)
    for expression in matchExpressions {
      hasher.combine(expression.key)
      hasher.combine(expression.operator)
      hasher.combine(expression.values)
    }
  }

  /// The selector it stands for; an empty one selects nothing here (the API refuses it).
  public func selector() throws(SelectorError) -> LabelSelector {
    var requirements: [LabelSelector.Requirement] = []
    for (key, value) in matchLabels.sorted(by: { $0.key < $1.key }) {
      requirements.append(
        try LabelSelector.Requirement(key: key, operator: .equals, values: [value]))
    }
    for expression in matchExpressions {
      let op: LabelSelector.Requirement.Operator
      switch expression.operator {
      case "In": op = .in
      case "NotIn": op = .notIn
      case "Exists": op = .exists
      case "DoesNotExist": op = .doesNotExist
      default:
        throw SelectorError("\"\(expression.operator)\" is not a valid label selector operator")
      }
      requirements.append(
        try LabelSelector.Requirement(key: expression.key, operator: op, values: expression.values))
    }
    return LabelSelector(requirements: requirements)
  }

  var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }
}

/// A pod template: the metadata and spec every pod made from it starts with.
public struct PodTemplate: Hashable, Sendable {
  public var labels: [String: String] = [:]
  public var annotations: [String: String] = [:]
  public var spec: PodSpec
}
