/// A DaemonSet: one pod from its template on every node that can run it.
public struct DaemonSet: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: DaemonSetSpec
  public var status = DaemonSetStatus()

  public init(metadata: ObjectMeta, spec: DaemonSetSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct DaemonSetSpec: Hashable, Sendable {
  public var selector: SelectorSpec
  public var template: PodTemplate
  /// `RollingUpdate` (the default) or `OnDelete`.
  public var updateStrategy = "RollingUpdate"
  /// Upstream defaults: at most one node without an available daemon pod, no surge.
  public var maxUnavailable: IntOrString = .int(1)
  public var maxSurge: IntOrString = .int(0)
  public var minReadySeconds = 0
  public var revisionHistoryLimit = 10
}

public struct DaemonSetStatus: Hashable, Sendable {
  public var currentNumberScheduled = 0
  public var numberMisscheduled = 0
  public var desiredNumberScheduled = 0
  public var numberReady = 0
  public var observedGeneration = 0
  public var updatedNumberScheduled = 0
  public var numberAvailable = 0
  public var numberUnavailable = 0
}
