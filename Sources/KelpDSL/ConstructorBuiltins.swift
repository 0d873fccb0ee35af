import KelpCluster
import KelpLisp

/// Constructors: build an object's manifest as a map, apply it, and return the map, so a
/// script can also keep it, change it and apply it again.
extension ClusterSession {
  func constructorBuiltins() -> [Builtin] {
    workloadConstructors() + [
      Builtin(
        "pod",
        "(pod \"web\" :image \"nginx:1.25\" :labels {:app \"web\"} :requests {:cpu \"100m\"} ...)",
        "Creates a pod and returns its manifest. One container from :image with :command :args :ports :env :requests :limits :readiness-probe :liveness-probe, or :containers as maps; also :namespace :labels :annotations :node-selector :node-name :tolerations :restart-policy, and :run-for :exit-code :ready-after :memory-usage :cpu-usage (the kelp.dev/* annotations).",
        atLeast: 1
      ) { args throws(LispError) in
        let manifest = try ClusterSession.podManifest(args)
        try self.apply(manifest, "pod", createOnly: true)
        return manifest
      },
      Builtin(
        "deployment", "(deployment \"web\" :image \"nginx:1.25\" :replicas 3 ...)",
        "Creates or updates a Deployment and returns its manifest. Takes the pod's options (:image, :requests, :ports, …; :labels default to {:app name}) and :replicas :strategy (\"RollingUpdate\" or \"Recreate\") :max-surge :max-unavailable :min-ready-seconds.",
        atLeast: 1
      ) { args throws(LispError) in
        let manifest = try ClusterSession.deploymentManifest(args)
        try self.apply(manifest, "deployment")
        return manifest
      },
      Builtin(
        "namespace", "(namespace \"team-a\" :labels {:team \"a\"})",
        "Creates a namespace and returns its manifest.", arity: 1...3
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "namespace", "name")
        let options = try Arguments.keywords(args[1...], "namespace", allowed: ["labels"])
        var metadata: [(Value, Value)] = [(.keyword("name"), Value(name))]
        if let labels = options["labels"] { metadata.append((.keyword("labels"), labels)) }
        let manifest = Value.map(
          MapBox([
            (.keyword("apiVersion"), Value("v1")), (.keyword("kind"), Value("Namespace")),
            (.keyword("metadata"), .map(MapBox(metadata))),
          ]))
        try self.apply(manifest, "namespace", createOnly: true)
        return manifest
      },
    ]
  }

  static let podOptions = [
    "image", "namespace", "labels", "annotations", "command", "args", "ports", "requests", "limits",
    "node-selector", "restart-policy", "containers", "tolerations", "node-name", "env",
    "readiness-probe", "liveness-probe", "run-for", "exit-code", "ready-after", "memory-usage",
    "cpu-usage",
  ]

  static func podManifest(_ args: [Value]) throws(LispError) -> Value {
    let name = try Arguments.string(args[0], "pod", "name")
    let options = try Arguments.keywords(args[1...], "pod", allowed: podOptions)
    var containers: Value
    if let given = options["containers"] {
      containers = given
    } else {
      guard let image = options["image"] else {
        throw LispError(
          .value, "pod: give :image (one container) or :containers",
          hint: "(pod \"web\" :image \"nginx:1.25\")")
      }
      var container: [(Value, Value)] = [
        (.keyword("name"), Value(name)), (.keyword("image"), image),
      ]
      for (key, field) in [
        ("command", "command"), ("args", "args"), ("env", "env"),
        ("readiness-probe", "readinessProbe"), ("liveness-probe", "livenessProbe"),
      ] {
        if let value = options[key] { container.append((.keyword(field), value)) }
      }
      if let ports = options["ports"] {
        let items = try Arguments.sequence(ports, "pod").map { port -> Value in
          if case .map = port { return port }
          return .map(MapBox([(.keyword("containerPort"), port)]))
        }
        container.append((.keyword("ports"), .vector(VectorBox(items))))
      }
      var resources: [(Value, Value)] = []
      if let requests = options["requests"] { resources.append((.keyword("requests"), requests)) }
      if let limits = options["limits"] { resources.append((.keyword("limits"), limits)) }
      if !resources.isEmpty { container.append((.keyword("resources"), .map(MapBox(resources)))) }
      containers = .vector(VectorBox([.map(MapBox(container))]))
    }
    var annotations = try options["annotations"]?.stringMap("pod", ":annotations") ?? [:]
    for (option, annotation) in [
      ("run-for", "kelp.dev/run-for"), ("exit-code", "kelp.dev/exit-code"),
      ("ready-after", "kelp.dev/ready-after"), ("memory-usage", "kelp.dev/memory-usage"),
      ("cpu-usage", "kelp.dev/cpu-usage"),
    ] {
      guard let value = options[option] else { continue }
      switch value {
      case .string(let box): annotations[annotation] = box.value
      case .int(let number):
        annotations[annotation] = option == "exit-code" ? String(number) : "\(number)s"
      default: throw Arguments.typeError("pod", "a string", value, name: ":" + option)
      }
    }
    var metadata: [(Value, Value)] = [(.keyword("name"), Value(name))]
    if let namespace = options["namespace"] { metadata.append((.keyword("namespace"), namespace)) }
    if let labels = options["labels"] { metadata.append((.keyword("labels"), labels)) }
    if !annotations.isEmpty {
      metadata.append((.keyword("annotations"), ClusterSession.stringMapValue(annotations)))
    }
    var spec: [(Value, Value)] = [(.keyword("containers"), containers)]
    for (key, field) in [
      ("node-selector", "nodeSelector"), ("restart-policy", "restartPolicy"),
      ("tolerations", "tolerations"), ("node-name", "nodeName"),
    ] {
      if let value = options[key] { spec.append((.keyword(field), value)) }
    }
    return .map(
      MapBox([
        (.keyword("apiVersion"), Value("v1")), (.keyword("kind"), Value("Pod")),
        (.keyword("metadata"), .map(MapBox(metadata))), (.keyword("spec"), .map(MapBox(spec))),
      ]))
  }

  static let deploymentOptions = [
    "replicas", "strategy", "max-surge", "max-unavailable", "min-ready-seconds",
  ]

  /// A Deployment's manifest: the pod's options make its template; labels default to
  /// `{:app name}`, which is also the selector.
  static func deploymentManifest(_ args: [Value]) throws(LispError) -> Value {
    let options = try Arguments.keywords(
      args[1...], "deployment", allowed: podOptions + deploymentOptions)
    let (labels, template) = try podTemplate(args[0], options, "deployment")
    var spec: [(Value, Value)] = [
      (.keyword("replicas"), options["replicas"] ?? .int(1)),
      (.keyword("selector"), .map(MapBox([(.keyword("matchLabels"), labels)]))),
    ]
    if options["strategy"] != nil || options["max-surge"] != nil
      || options["max-unavailable"] != nil
    {
      var strategy: [(Value, Value)] = [
        (.keyword("type"), options["strategy"] ?? Value("RollingUpdate"))
      ]
      var rolling: [(Value, Value)] = []
      if let surge = options["max-surge"] { rolling.append((.keyword("maxSurge"), surge)) }
      if let unavailable = options["max-unavailable"] {
        rolling.append((.keyword("maxUnavailable"), unavailable))
      }
      if !rolling.isEmpty { strategy.append((.keyword("rollingUpdate"), .map(MapBox(rolling)))) }
      spec.append((.keyword("strategy"), .map(MapBox(strategy))))
    }
    if let minReady = options["min-ready-seconds"] {
      spec.append((.keyword("minReadySeconds"), minReady))
    }
    spec.append((.keyword("template"), template))
    return try manifest("apps/v1", "Deployment", args[0], options, spec: spec)
  }

  /// A pod template from the pod's options, with `labels` (by default `{:app name}`).
  static func podTemplate(
    _ name: Value, _ options: [String: Value], _ function: String,
    defaultLabels: Bool = true
  ) throws(LispError) -> (labels: Value, template: Value) {
    let text = try Arguments.string(name, function, "name")
    var podArgs: [Value] = [name]
    for (key, value) in options.sorted(by: { $0.key < $1.key })
    where podOptions.contains(key) && key != "namespace" {
      podArgs += [.keyword(key), value]
    }
    var labels = options["labels"] ?? .null
    if labels == .null && defaultLabels {
      labels = .map(MapBox([(.keyword("app"), Value(text))]))
      podArgs += [.keyword("labels"), labels]
    }
    let pod = try podManifest(podArgs)
    guard case .map(let podMap) = pod, let podMetadata = podMap.get(.keyword("metadata")),
      let podSpec = podMap.get(.keyword("spec"))
    else { throw LispError(.value, "\(function): could not build the pod template") }
    var templateMetadata: [(Value, Value)] = []
    if labels != .null { templateMetadata.append((.keyword("labels"), labels)) }
    if case .map(let meta) = podMetadata, let annotations = meta.get(.keyword("annotations")) {
      templateMetadata.append((.keyword("annotations"), annotations))
    }
    let template = Value.map(
      MapBox([
        (.keyword("metadata"), .map(MapBox(templateMetadata))), (.keyword("spec"), podSpec),
      ]))
    return (labels, template)
  }

  /// `{:apiVersion … :kind … :metadata {:name … :namespace …} :spec …}`.
  static func manifest(
    _ apiVersion: String, _ kind: String, _ name: Value, _ options: [String: Value],
    spec: [(Value, Value)], labels: Value? = nil
  ) throws(LispError) -> Value {
    var metadata: [(Value, Value)] = [(.keyword("name"), name)]
    if let namespace = options["namespace"] { metadata.append((.keyword("namespace"), namespace)) }
    if let labels { metadata.append((.keyword("labels"), labels)) }
    return .map(
      MapBox([
        (.keyword("apiVersion"), Value(apiVersion)), (.keyword("kind"), Value(kind)),
        (.keyword("metadata"), .map(MapBox(metadata))), (.keyword("spec"), .map(MapBox(spec))),
      ]))
  }

  static func stringMapValue(_ map: [String: String]) -> Value {
    .map(MapBox(map.sorted { $0.key < $1.key }.map { (.keyword($0.key), Value($0.value)) }))
  }
}
