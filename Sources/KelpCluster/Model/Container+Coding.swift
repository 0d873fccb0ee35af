import OrderedCollections

extension Container {
  static let passthroughKeys = [
    "envFrom", "lifecycle", "resizePolicy", "restartPolicy", "securityContext", "stdin",
    "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices",
    "workingDir",
  ]

  init(decoding d: inout FieldDecoder) throws(ManifestError) {
    let name = try d.requiredString("name")
    let image = try d.string("image") ?? ""
    if image.isEmpty {
      throw ManifestError(
        "\(d.childPath("image")): Required value", fieldPath: d.childPath("image"))
    }
    self.init(name: name, image: image)
    command = try d.strings("command")
    args = try d.strings("args")
    imagePullPolicy = try d.string("imagePullPolicy") ?? ""
    for var p in try d.objects("ports", goType: "ContainerPort") {
      guard let number = try p.int("containerPort") else {
        throw ManifestError(
          "\(p.childPath("containerPort")): Required value", fieldPath: p.childPath("containerPort")
        )
      }
      var port = ContainerPort(containerPort: number)
      port.name = try p.string("name") ?? ""
      port.hostPort = try p.int("hostPort") ?? 0
      port.protocol = try p.string("protocol") ?? "TCP"
      _ = p.raw("hostIP")
      p.finish()
      ports.append(port)
    }
    for var e in try d.objects("env", goType: "EnvVar") {
      env.append(
        EnvVar(
          name: try e.requiredString("name"), value: try e.string("value") ?? "",
          valueFrom: e.raw("valueFrom")))
      e.finish()
    }
    if var resources = try d.object("resources", goType: "ResourceRequirements") {
      requests = try resources.quantities("requests")
      limits = try resources.quantities("limits")
      _ = resources.raw("claims")
      resources.finish()
    }
    for var m in try d.objects("volumeMounts", goType: "VolumeMount") {
      volumeMounts.append(
        VolumeMount(
          name: try m.requiredString("name"), mountPath: try m.requiredString("mountPath"),
          readOnly: try m.bool("readOnly") ?? false, subPath: try m.string("subPath") ?? ""))
      for key in ["mountPropagation", "subPathExpr", "recursiveReadOnly"] { _ = m.raw(key) }
      m.finish()
    }
    livenessProbe = try Probe(decoding: d.object("livenessProbe", goType: "Probe"))
    readinessProbe = try Probe(decoding: d.object("readinessProbe", goType: "Probe"))
    startupProbe = try Probe(decoding: d.object("startupProbe", goType: "Probe"))
    for key in Container.passthroughKeys {
      if let value = d.raw(key) { passthrough[key] = value }
    }
    d.finish()
  }

  func encoded(serverFields: Bool) -> JSONValue {
    var out = JSONObjectBuilder()
    for (key, value) in passthrough { out.set(key, value) }
    out.set("args", .array(args.map(JSONValue.string)))
    out.set("command", .array(command.map(JSONValue.string)))
    out.set(
      "env",
      .array(
        env.map { variable in
          var item = JSONObjectBuilder()
          item.set("name", variable.name)
          item.set("value", variable.value)
          item.set("valueFrom", variable.valueFrom)
          return item.value
        }))
    out.set("image", image)
    out.set("imagePullPolicy", serverFields ? effectivePullPolicy : imagePullPolicy)
    out.set("livenessProbe", livenessProbe?.encoded)
    out.set("name", name)
    out.set(
      "ports",
      .array(
        ports.map { port in
          var item = JSONObjectBuilder()
          item.set("containerPort", port.containerPort)
          if port.hostPort != 0 { item.set("hostPort", port.hostPort) }
          item.set("name", port.name)
          item.set("protocol", serverFields || port.protocol != "TCP" ? port.protocol : nil)
          return item.value
        }))
    out.set("readinessProbe", readinessProbe?.encoded)
    var resources = JSONObjectBuilder()
    resources.set("limits", Quantity.encode(limits))
    resources.set("requests", Quantity.encode(requests))
    if serverFields || !resources.fields.isEmpty { out.fields["resources"] = resources.value }
    out.set("startupProbe", startupProbe?.encoded)
    if serverFields {
      out.set(
        "terminationMessagePath",
        passthrough["terminationMessagePath"] ?? .string("/dev/termination-log"))
      out.set(
        "terminationMessagePolicy", passthrough["terminationMessagePolicy"] ?? .string("File"))
    }
    out.set(
      "volumeMounts",
      .array(
        volumeMounts.map { mount in
          var item = JSONObjectBuilder()
          item.set("mountPath", mount.mountPath)
          item.set("name", mount.name)
          if mount.readOnly { item.set("readOnly", true) }
          item.set("subPath", mount.subPath)
          return item.value
        }))
    return out.value
  }
}

extension Probe {
  init?(decoding decoder: FieldDecoder?) throws(ManifestError) {
    guard var d = decoder else { return nil }
    if var exec = try d.object("exec", goType: "ExecAction") {
      handler = .exec(try exec.strings("command"))
      exec.finish()
    } else if var http = try d.object("httpGet", goType: "HTTPGetAction") {
      guard let port = try http.intOrString("port") else {
        throw ManifestError("\(http.childPath("port")): Required value")
      }
      handler = .httpGet(path: try http.string("path") ?? "/", port: port)
      for key in ["host", "scheme", "httpHeaders"] { _ = http.raw(key) }
      http.finish()
    } else if var tcp = try d.object("tcpSocket", goType: "TCPSocketAction") {
      guard let port = try tcp.intOrString("port") else {
        throw ManifestError("\(tcp.childPath("port")): Required value")
      }
      handler = .tcpSocket(port: port)
      _ = tcp.raw("host")
      tcp.finish()
    } else if var grpc = try d.object("grpc", goType: "GRPCAction") {
      handler = .grpc(port: try grpc.int("port") ?? 0)
      _ = grpc.raw("service")
      grpc.finish()
    } else {
      throw ManifestError(
        "\(d.path): Required value: must specify a handler type", fieldPath: d.path)
    }
    // Upstream SetDefaults_Probe: an unset or zero field takes its default.
    func field(_ key: String, _ fallback: Int, minimum: Int) throws(ManifestError) -> Int {
      let value = try d.int(key) ?? 0
      if value < minimum || (value < 0) {
        throw ManifestError(
          "\(d.childPath(key)): Invalid value: \(value): must be greater than or equal to \(max(minimum, 0))",
          fieldPath: d.childPath(key))
      }
      return value == 0 ? fallback : value
    }
    initialDelaySeconds = try d.int("initialDelaySeconds") ?? 0
    if initialDelaySeconds < 0 {
      throw ManifestError(
        "\(d.childPath("initialDelaySeconds")): Invalid value: \(initialDelaySeconds): must be greater than or equal to 0",
        fieldPath: d.childPath("initialDelaySeconds"))
    }
    periodSeconds = try field("periodSeconds", 10, minimum: 0)
    timeoutSeconds = try field("timeoutSeconds", 1, minimum: 0)
    successThreshold = try field("successThreshold", 1, minimum: 0)
    failureThreshold = try field("failureThreshold", 3, minimum: 0)
    _ = d.raw("terminationGracePeriodSeconds")
    d.finish()
  }

  var encoded: JSONValue {
    var out = JSONObjectBuilder()
    switch handler {
    case .exec(let command):
      out.set("exec", .object(["command": .array(command.map(JSONValue.string))]))
    case .httpGet(let path, let port):
      out.set("httpGet", .object(["path": .string(path), "port": port.json, "scheme": "HTTP"]))
    case .tcpSocket(let port):
      out.set("tcpSocket", .object(["port": port.json]))
    case .grpc(let port):
      out.set("grpc", .object(["port": .int(Int64(port)), "service": ""]))
    }
    out.set("failureThreshold", failureThreshold)
    if initialDelaySeconds > 0 { out.set("initialDelaySeconds", initialDelaySeconds) }
    out.set("periodSeconds", periodSeconds)
    out.set("successThreshold", successThreshold)
    out.set("timeoutSeconds", timeoutSeconds)
    return out.value
  }
}
