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
  /// `NonIndexed` (the default) or `Indexed`: each pod gets an index 0..<completions, and the
  /// Job is done when every index has succeeded.
  public var completionMode = "NonIndexed"
  public var backoffLimitPerIndex: Int?
  public var maxFailedIndexes: Int?
  public var podFailurePolicy: [PodFailurePolicyRule] = []
  public var successPolicy: [SuccessPolicyRule] = []
  /// `TerminatingOrFailed` (the default) replaces a pod as soon as it is being deleted;
  /// `Failed` (the default with a podFailurePolicy) only once it has finished.
  public var podReplacementPolicy = "TerminatingOrFailed"

  public var isIndexed: Bool { completionMode == "Indexed" }
}

/// A rule of `podFailurePolicy`: what a failed pod whose exit codes or conditions match does to
/// the Job (`FailJob`, `FailIndex`, `Ignore`, `Count`).
public struct PodFailurePolicyRule: Hashable, Sendable {
  public var action: String
  public var containerName: String?
  /// `In` or `NotIn`, with `exitCodes`; nil when the rule is on pod conditions.
  public var exitCodeOperator: String?
  public var exitCodes: [Int] = []
  public var podConditions: [PodConditionPattern] = []

  public struct PodConditionPattern: Hashable, Sendable {
    public var type: String
    public var status = "True"
  }
}

/// A rule of `successPolicy`: the Job succeeds once `succeededCount` of `succeededIndexes`
/// (all of them, without a count) have succeeded.
public struct SuccessPolicyRule: Hashable, Sendable {
  public var succeededIndexes: Set<Int>?
  public var succeededIndexesText: String?
  public var succeededCount: Int?
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
  /// Indexed Jobs: the indexes that succeeded, and (with backoffLimitPerIndex) failed.
  public var completedIndexes: Set<Int> = []
  public var failedIndexes: Set<Int>?

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

/// Index sets as the API writes them: `0-2,4,6-8`.
public enum IndexRanges {
  public static func text(_ indexes: Set<Int>) -> String {
    var parts: [String] = []
    var start: Int?
    var last = 0
    for index in indexes.sorted() {
      if start != nil, index == last + 1 {
        last = index
        continue
      }
      if let first = start { parts.append(first == last ? "\(first)" : "\(first)-\(last)") }
      start = index
      last = index
    }
    if let first = start { parts.append(first == last ? "\(first)" : "\(first)-\(last)") }
    return parts.joined(separator: ",")
  }

  /// nil when the text is not a list of indexes and ascending ranges below `limit`.
  public static func parse(_ text: String, below limit: Int) -> Set<Int>? {
    var result: Set<Int> = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0,
        let high = Int(bounds[bounds.count - 1]), high >= low, high < limit
      else { return nil }
      result.formUnion(low...high)
    }
    return result
  }
}

extension Job {
  static let completionIndexAnnotation = "batch.kubernetes.io/job-completion-index"
  static let indexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count"
  static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
  static let jobNameLabel = "batch.kubernetes.io/job-name"
}
