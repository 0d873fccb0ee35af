import KelpCluster
import KelpLisp

/// Constructors of the other workloads: DaemonSet, Job, CronJob, and the autoscaler, each
/// built from the pod's options like `deployment`.
extension ClusterSession {
  static let jobOptions = [
    "completions", "parallelism", "backoff-limit", "active-deadline-seconds",
    "ttl-seconds-after-finished", "suspend",
  ]

  func workloadConstructors() -> [Builtin] {
    func applying(_ function: String, _ build: @escaping ([Value]) throws(LispError) -> Value)
      -> ([Value]) throws(LispError) -> Value
    {
      { args throws(LispError) in
        let manifest = try build(args)
        try self.apply(manifest, function)
        return manifest
      }
    }
    return [
      Builtin(
        "daemonset", "(daemonset \"log-agent\" :image \"fluentd\" :update-strategy \"OnDelete\")",
        "Creates or updates a DaemonSet (a pod on every eligible node) and returns its manifest. Takes the pod's options (:labels default to {:app name}) and :update-strategy (\"RollingUpdate\" or \"OnDelete\") :max-unavailable :min-ready-seconds.",
        atLeast: 1, applying("daemonset", ClusterSession.daemonSetManifest)),
      Builtin(
        "job", "(job \"report\" :image \"busybox\" :command [\"sleep\" \"20\"] :completions 5 :parallelism 2)",
        "Creates a Job and returns its manifest. Takes the pod's options (:restart-policy defaults to \"Never\") and :completions :parallelism :backoff-limit :active-deadline-seconds :ttl-seconds-after-finished :suspend.",
        atLeast: 1, applying("job", ClusterSession.jobManifest)),
      Builtin(
        "cronjob", "(cronjob \"backup\" :schedule \"*/5 * * * *\" :image \"busybox\" :command [\"echo\" \"hi\"])",
        "Creates or updates a CronJob and returns its manifest. Takes :schedule (required) :time-zone :concurrency-policy (\"Allow\", \"Forbid\", \"Replace\") :starting-deadline-seconds :suspend :successful-jobs-history-limit :failed-jobs-history-limit, and the job's options.",
        atLeast: 1, applying("cronjob", ClusterSession.cronJobManifest)),
      Builtin(
        "autoscale", "(autoscale \"Deployment\" \"web\" :min 2 :max 10 :cpu-percent 50)",
        "Creates or updates a HorizontalPodAutoscaler for a Deployment or ReplicaSet, as kubectl autoscale does (named after the target unless :name), and returns its manifest. :max is required; :cpu-percent defaults to 80.",
        atLeast: 2, applying("autoscale", ClusterSession.autoscalerManifest)),
    ]
  }

  static func daemonSetManifest(_ args: [Value]) throws(LispError) -> Value {
    let options = try Arguments.keywords(
      args[1...], "daemonset",
      allowed: podOptions + ["update-strategy", "max-unavailable", "min-ready-seconds"])
    let (labels, template) = try podTemplate(args[0], options, "daemonset")
    var spec: [(Value, Value)] = [
      (.keyword("selector"), .map(MapBox([(.keyword("matchLabels"), labels)])))
    ]
    if options["update-strategy"] != nil || options["max-unavailable"] != nil {
      var strategy: [(Value, Value)] = [
        (.keyword("type"), options["update-strategy"] ?? Value("RollingUpdate"))
      ]
      if let unavailable = options["max-unavailable"] {
        strategy.append(
          (.keyword("rollingUpdate"), .map(MapBox([(.keyword("maxUnavailable"), unavailable)]))))
      }
      spec.append((.keyword("updateStrategy"), .map(MapBox(strategy))))
    }
    if let minReady = options["min-ready-seconds"] {
      spec.append((.keyword("minReadySeconds"), minReady))
    }
    spec.append((.keyword("template"), template))
    return try manifest("apps/v1", "DaemonSet", args[0], options, spec: spec)
  }

  /// A Job's spec from the job options and the pod's; the selector is the API server's to make.
  static func jobSpec(_ name: Value, _ options: [String: Value], _ function: String)
    throws(LispError) -> [(Value, Value)]
  {
    var podOptions = options
    if podOptions["restart-policy"] == nil { podOptions["restart-policy"] = Value("Never") }
    let (_, template) = try podTemplate(name, podOptions, function, defaultLabels: false)
    var spec: [(Value, Value)] = []
    for (option, field) in [
      ("completions", "completions"), ("parallelism", "parallelism"),
      ("backoff-limit", "backoffLimit"), ("active-deadline-seconds", "activeDeadlineSeconds"),
      ("ttl-seconds-after-finished", "ttlSecondsAfterFinished"), ("suspend", "suspend"),
    ] {
      if let value = options[option] { spec.append((.keyword(field), value)) }
    }
    spec.append((.keyword("template"), template))
    return spec
  }

  static func jobManifest(_ args: [Value]) throws(LispError) -> Value {
    let options = try Arguments.keywords(args[1...], "job", allowed: podOptions + jobOptions)
    return try manifest(
      "batch/v1", "Job", args[0], options, spec: try jobSpec(args[0], options, "job"))
  }

  static func cronJobManifest(_ args: [Value]) throws(LispError) -> Value {
    let cronOptions = [
      "schedule", "time-zone", "concurrency-policy", "starting-deadline-seconds",
      "successful-jobs-history-limit", "failed-jobs-history-limit",
    ]
    let options = try Arguments.keywords(
      args[1...], "cronjob", allowed: podOptions + jobOptions + cronOptions)
    guard let schedule = options["schedule"] else {
      throw LispError(
        .value, "cronjob: :schedule is required",
        hint: "(cronjob \"backup\" :schedule \"*/5 * * * *\" :image \"busybox\")")
    }
    var jobOptions = options
    // suspend belongs to the CronJob here, not to its Jobs.
    jobOptions["suspend"] = nil
    var spec: [(Value, Value)] = [(.keyword("schedule"), schedule)]
    for (option, field) in [
      ("time-zone", "timeZone"), ("concurrency-policy", "concurrencyPolicy"),
      ("starting-deadline-seconds", "startingDeadlineSeconds"), ("suspend", "suspend"),
      ("successful-jobs-history-limit", "successfulJobsHistoryLimit"),
      ("failed-jobs-history-limit", "failedJobsHistoryLimit"),
    ] {
      if let value = options[option] { spec.append((.keyword(field), value)) }
    }
    let jobSpec = try ClusterSession.jobSpec(args[0], jobOptions, "cronjob")
    spec.append(
      (.keyword("jobTemplate"), .map(MapBox([(.keyword("spec"), .map(MapBox(jobSpec)))]))))
    return try manifest("batch/v1", "CronJob", args[0], options, spec: spec)
  }

  static func autoscalerManifest(_ args: [Value]) throws(LispError) -> Value {
    let kind = try Arguments.string(args[0], "autoscale", "kind")
    let target = try Arguments.string(args[1], "autoscale", "name")
    let options = try Arguments.keywords(
      args[2...], "autoscale", allowed: ["min", "max", "cpu-percent", "name", "namespace"])
    guard let max = options["max"] else {
      throw LispError(
        .value, "autoscale: :max is required",
        hint: "(autoscale \"Deployment\" \"web\" :min 2 :max 10 :cpu-percent 50)")
    }
    var spec: [(Value, Value)] = [
      (
        .keyword("scaleTargetRef"),
        .map(
          MapBox([
            (.keyword("apiVersion"), Value("apps/v1")), (.keyword("kind"), Value(kind)),
            (.keyword("name"), Value(target)),
          ]))
      ),
      (.keyword("maxReplicas"), max),
    ]
    if let min = options["min"] { spec.append((.keyword("minReplicas"), min)) }
    if let percent = options["cpu-percent"] {
      spec.append((.keyword("targetCPUUtilizationPercentage"), percent))
    }
    return try manifest(
      "autoscaling/v1", "HorizontalPodAutoscaler", options["name"] ?? Value(target), options,
      spec: spec)
  }
}
