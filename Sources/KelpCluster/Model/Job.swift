/// A Job: runs pods from its template until `completions` of them succeed, or gives up.
public struct Job: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: JobSpec
  public var status = JobStatus()

  public init(metadata: ObjectMeta, spec: JobSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct JobSpec: Hashable, Sendable {
  /// Upstream defaulting: both unset → both 1; only parallelism set → completions stay unset
  /// (a work queue: the first success finishes the Job once the others stop).
  public var parallelism = 1
  public var completions: Int? = 1
  public var backoffLimit = 6
  public var activeDeadlineSeconds: Int?
  public var ttlSecondsAfterFinished: Int?
  public var suspend = false
  public var manualSelector = false
  public var selector = SelectorSpec()
  public var template: PodTemplate
}

public struct JobStatus: Hashable, Sendable {
  public var conditions: [JobCondition] = []
  public var startTime: Millis?
  public var completionTime: Millis?
  public var active = 0
  public var succeeded = 0
  public var failed = 0
  public var ready = 0
  public var terminating = 0

  public func condition(_ type: String) -> JobCondition? {
    conditions.first { $0.type == type && $0.status == "True" }
  }

  /// Complete or Failed: the controller's work is done.
  public var isFinished: Bool { condition("Complete") != nil || condition("Failed") != nil }
}

/// A condition of a Job (and, with the same fields, of a HorizontalPodAutoscaler).
public struct JobCondition: Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastProbeTime: Millis
  public var lastTransitionTime: Millis
  public var reason: String
  public var message: String

  var encoded: JSONValue {
    [
      "lastProbeTime": .string(Timestamp.rfc3339(lastProbeTime)),
      "lastTransitionTime": .string(Timestamp.rfc3339(lastTransitionTime)),
      "message": .string(message), "reason": .string(reason), "status": .string(status),
      "type": .string(type),
    ]
  }
}

extension Job {
  static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
  static let jobNameLabel = "batch.kubernetes.io/job-name"
  static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
}
