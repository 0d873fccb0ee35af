/// A Deployment: a desired pod template and replica count, rolled out through ReplicaSets.
public struct Deployment: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: DeploymentSpec
  public var status = DeploymentStatus()

  public init(metadata: ObjectMeta, spec: DeploymentSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct DeploymentSpec: Hashable, Sendable {
  public var replicas = 1
  public var selector: SelectorSpec
  public var template: PodTemplate
  /// `RollingUpdate` (the default) or `Recreate`.
  public var strategy = "RollingUpdate"
  /// Upstream defaults: 25% and 25%.
  public var maxSurge: IntOrString = .string("25%")
  public var maxUnavailable: IntOrString = .string("25%")
  public var minReadySeconds = 0
  public var revisionHistoryLimit = 10
  public var progressDeadlineSeconds = 600
  public var paused = false
}

public struct DeploymentStatus: Hashable, Sendable {
  public var observedGeneration = 0
  public var replicas = 0
  public var updatedReplicas = 0
  public var readyReplicas = 0
  public var availableReplicas = 0
  public var unavailableReplicas = 0
  public var conditions: [DeploymentCondition] = []
}

public struct DeploymentCondition: Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastUpdateTime: Millis
  public var lastTransitionTime: Millis
  public var reason: String
  public var message: String
}

extension IntOrString {
  /// A count or a percentage of `total`, rounded up or down (upstream
  /// `intstr.GetScaledValueFromIntOrPercent`); nil when the text is not a valid percentage.
  public func scaled(_ total: Int, roundUp: Bool) -> Int? {
    switch self {
    case .int(let number): return number
    case .string(let text):
      guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return nil }
      let product = percent * total
      return roundUp ? (product + 99) / 100 : product / 100
    }
  }
}
