import KelpCluster
import KelpLisp

/// Constructors: build an object's manifest as a map, apply it, and return the map, so a
/// script can also keep it, change it and apply it again.
extension ClusterSession {
  func constructorBuiltins() -> [Builtin] {
    [
      Builtin(
        "pod",
        "(pod \"web\" :image \"nginx:1.25\" :labels {:app \"web\"} :requests {:cpu \"100m\"} ...)",
        "Creates a pod and returns its manifest. One container from :image with :command :args :ports :env :requests :limits :readiness-probe :liveness-probe, or :containers as maps; also :namespace :labels :annotations :node-selector :node-name :tolerations :restart-policy, and :run-for :exit-code :ready-after :memory-usage :cpu-usage (the kelp.dev/* annotations).",
        atLeast: 1
      ) { args throws(LispError) in
        let manifest = try ClusterSession.podManifest(args)
        let json = try manifest.json("pod")
        do throws(ClusterError) {
          let result = try self.cluster.apply(json, createOnly: true)
          for warning in result.warnings { self.interpreter.output("Warning: \(warning)\n") }
        } catch {
          throw ClusterSession.error("pod", error)
        }
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
        let json = try manifest.json("namespace")
        do throws(ClusterError) {
          try self.cluster.apply(json, createOnly: true)
        } catch {
          throw ClusterSession.error("namespace", error)
        }
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

  static func stringMapValue(_ map: [String: String]) -> Value {
    .map(MapBox(map.sorted { $0.key < $1.key }.map { (.keyword($0.key), Value($0.value)) }))
  }
}
