/// A HorizontalPodAutoscaler (autoscaling/v2): scales a Deployment or ReplicaSet between
/// `minReplicas` and `maxReplicas` to keep its pods' resource use near a target.
public struct HorizontalPodAutoscaler: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: HorizontalPodAutoscalerSpec
  public var status = HorizontalPodAutoscalerStatus()

  public init(metadata: ObjectMeta, spec: HorizontalPodAutoscalerSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct HorizontalPodAutoscalerSpec: Hashable, Sendable {
  public var targetAPIVersion = "apps/v1"
  public var targetKind: String
  public var targetName: String
  public var minReplicas = 1
  public var maxReplicas: Int
  /// Resource metrics only; upstream's default is one: CPU at 80 % utilisation.
  public var metrics: [ResourceMetric] = [ResourceMetric(resource: "cpu", averageUtilization: 80)]
  /// Whether `behavior` was given: without it upstream keeps the older rules (up to
  /// max(2 × current, 4) per sync, 300 s scale-down stabilisation) and shows no behavior.
  public var hasBehavior = false
  public var scaleUp = ScalingRules.defaultScaleUp
  public var scaleDown = ScalingRules.defaultScaleDown
}

/// A `type: Resource` metric: a target utilisation (percent of request) or average value.
public struct ResourceMetric: Hashable, Sendable {
  public var resource: String
  public var averageUtilization: Int?
  public var averageValue: Quantity?

  public init(resource: String, averageUtilization: Int? = nil, averageValue: Quantity? = nil) {
    self.resource = resource
    self.averageUtilization = averageUtilization
    self.averageValue = averageValue
  }

  /// As the rescale reason names it: `cpu resource utilization (percentage of request)`.
  var reasonName: String {
    averageUtilization != nil
      ? "\(resource) resource utilization (percentage of request)" : "\(resource) resource"
  }
}

/// `behavior.scaleUp` or `behavior.scaleDown`.
public struct ScalingRules: Hashable, Sendable {
  public struct Policy: Hashable, Sendable {
    /// `Pods` or `Percent`.
    public var type: String
    public var value: Int
    public var periodSeconds: Int
  }
  public var stabilizationWindowSeconds: Int
  /// `Max`, `Min` or `Disabled`.
  public var selectPolicy = "Max"
  public var policies: [Policy]

  /// Upstream defaults: up by 4 pods or 100 % per 15 s, whichever is more, at once.
  public static let defaultScaleUp = ScalingRules(
    stabilizationWindowSeconds: 0,
    policies: [
      Policy(type: "Pods", value: 4, periodSeconds: 15),
      Policy(type: "Percent", value: 100, periodSeconds: 15),
    ])
  /// Down by up to 100 % per 15 s, after 300 s of lower recommendations.
  public static let defaultScaleDown = ScalingRules(
    stabilizationWindowSeconds: 300,
    policies: [Policy(type: "Percent", value: 100, periodSeconds: 15)])
}

public struct HorizontalPodAutoscalerStatus: Hashable, Sendable {
  public var currentReplicas = 0
  public var desiredReplicas = 0
  public var lastScaleTime: Millis?
  /// Per metric: the current average utilisation (percent) and average value, when known.
  public var currentMetrics: [(resource: String, utilization: Int?, averageValue: Quantity)] = []
  public var conditions: [AutoscalerCondition] = []
  public var observedGeneration = 0

  public static func == (a: Self, b: Self) -> Bool {
    a.currentReplicas == b.currentReplicas && a.desiredReplicas == b.desiredReplicas
      && a.lastScaleTime == b.lastScaleTime && a.conditions == b.conditions
      && a.observedGeneration == b.observedGeneration
      && a.currentMetrics.map(\.resource) == b.currentMetrics.map(\.resource)
      && a.currentMetrics.map(\.utilization) == b.currentMetrics.map(\.utilization)
      && a.currentMetrics.map(\.averageValue) == b.currentMetrics.map(\.averageValue)
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(currentReplicas)
    hasher.combine(desiredReplicas)
    hasher.combine(conditions)
  }
}

public struct AutoscalerCondition: Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastTransitionTime: Millis
  public var reason: String
  public var message: String
}
