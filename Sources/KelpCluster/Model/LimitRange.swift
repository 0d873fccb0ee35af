/// A LimitRange: per-namespace defaults and bounds for containers' and pods' resources, applied
/// by the LimitRanger admission plugin when a pod is created.
public struct LimitRange: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var limits: [LimitRangeItem] = []

  public init(metadata: ObjectMeta) { self.metadata = metadata }
}

public struct LimitRangeItem: Hashable, Sendable {
  /// `Container`, `Pod` or `PersistentVolumeClaim`.
  public var type: String
  public var max: [String: Quantity] = [:]
  public var min: [String: Quantity] = [:]
  /// The default limits.
  public var `default`: [String: Quantity] = [:]
  public var defaultRequest: [String: Quantity] = [:]
  public var maxLimitRequestRatio: [String: Quantity] = [:]
}

/// A ResourceQuota: the most a namespace may use (counts of objects, sums of requests and
/// limits), enforced when objects are created; its status shows the use.
public struct ResourceQuota: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var hard: [String: Quantity] = [:]
  public var used: [String: Quantity] = [:]
  /// `scopes` as written (Terminating, NotTerminating, BestEffort, NotBestEffort).
  public var scopes: [String] = []

  public init(metadata: ObjectMeta) { self.metadata = metadata }
}
