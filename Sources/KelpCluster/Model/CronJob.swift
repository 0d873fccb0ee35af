/// A CronJob: a Job template run on a cron schedule.
public struct CronJob: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: CronJobSpec
  public var status = CronJobStatus()

  public init(metadata: ObjectMeta, spec: CronJobSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

public struct CronJobSpec: Hashable, Sendable {
  public var schedule: CronSchedule
  public var timeZone: String?
  public var startingDeadlineSeconds: Int?
  /// `Allow` (the default), `Forbid` or `Replace`.
  public var concurrencyPolicy = "Allow"
  public var suspend = false
  public var successfulJobsHistoryLimit = 3
  public var failedJobsHistoryLimit = 1
  public var jobLabels: [String: String] = [:]
  public var jobAnnotations: [String: String] = [:]
  public var jobSpec: JobSpec
}

public struct CronJobStatus: Hashable, Sendable {
  /// The Jobs it started that are still running, oldest first.
  public var active: [String] = []
  public var lastScheduleTime: Millis?
  public var lastSuccessfulTime: Millis?
}
