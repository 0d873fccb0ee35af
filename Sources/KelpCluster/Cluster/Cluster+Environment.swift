/// What a container is given: its environment (values, the downward API, ConfigMap and Secret
/// keys, the Service variables), and whether the objects it needs exist.
extension Cluster {
  /// The text of a ConfigMap's or Secret's key, or nil.
  func configValue(_ kind: String, _ namespace: String, _ name: String, _ key: String)
    -> String?
  {
    if kind == "ConfigMap" { return store.configMaps.get(namespace, name)?.data[key] }
    return store.secrets.get(namespace, name)?.data[key].map { String(decoding: $0, as: UTF8.self) }
  }

  /// A ConfigMap's or Secret's keys as files show them (a ConfigMap's binaryData too).
  func configKeys(_ kind: String, _ namespace: String, _ name: String) -> [String: String]? {
    if kind == "ConfigMap" {
      guard let configMap = store.configMaps.get(namespace, name) else { return nil }
      return configMap.data.merging(
        configMap.binaryData.mapValues { String(decoding: $0, as: UTF8.self) }
      ) { text, _ in text }
    }
    return store.secrets.get(namespace, name)?.data.mapValues { String(decoding: $0, as: UTF8.self) }
  }

  /// Why a container cannot be created from the objects it references, in the kubelet's words
  /// (CreateContainerConfigError), or nil.
  func configProblem(for container: Container, in pod: Pod) -> String? {
    let namespace = pod.metadata.namespace
    for variable in container.env {
      guard let source = variable.valueFrom else { continue }
      for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        guard let reference = source[field], reference["optional"] != .bool(true),
          let name = reference["name"]?.stringValue, let key = reference["key"]?.stringValue
        else { continue }
        guard configKeys(kind, namespace, name) != nil else {
          return "\(kind.lowercased()) \"\(name)\" not found"
        }
        if configValue(kind, namespace, name, key) == nil {
          return "couldn't find key \(key) in \(kind) \(namespace)/\(name)"
        }
      }
    }
    for source in container.envFrom {
      for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
        guard let reference = source[field], reference["optional"] != .bool(true),
          let name = reference["name"]?.stringValue
        else { continue }
        if configKeys(kind, namespace, name) == nil {
          return "\(kind.lowercased()) \"\(name)\" not found"
        }
      }
    }
    return nil
  }

  /// Why a volume cannot be set up, in the volume plugin's words (FailedMount), or nil.
  func volumeProblem(_ volume: Volume, in pod: Pod) -> String? {
    let namespace = pod.metadata.namespace
    for (field, kind, nameKey) in [
      ("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName"),
    ] {
      guard let source = volume.source[field], source["optional"] != .bool(true) else { continue }
      let name = source[nameKey]?.stringValue ?? ""
      guard let keys = configKeys(kind, namespace, name) else {
        return "\(kind.lowercased()) \"\(name)\" not found"
      }
      if case .array(let items) = source["items"] ?? .null {
        for item in items {
          if let key = item["key"]?.stringValue, keys[key] == nil {
            return "\(kind.lowercased()) references non-existent config key: \(key)"
          }
        }
      }
    }
    return nil
  }

  /// The environment a container's process starts with.
  func environment(of container: Container, in pod: Pod) -> [String: String] {
    var environment: [String: String] = [
      "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOSTNAME": pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name,
      "HOME": "/root",
    ]
    environment.merge(serviceVariables(for: pod)) { _, service in service }
    let namespace = pod.metadata.namespace
    for source in container.envFrom {
      let prefix = source["prefix"]?.stringValue ?? ""
      for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
        guard let name = source[field]?["name"]?.stringValue,
          let keys = configKeys(kind, namespace, name)
        else { continue }
        for (key, value) in keys { environment[prefix + key] = value }
      }
    }
    for variable in container.env {
      guard let source = variable.valueFrom else {
        environment[variable.name] = VariableReferences.expand(variable.value, environment)
        continue
      }
      if let value = downwardValue(source, pod) {
        environment[variable.name] = value
      }
      for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        guard let reference = source[field], let name = reference["name"]?.stringValue,
          let key = reference["key"]?.stringValue,
          let value = configValue(kind, namespace, name, key)
        else { continue }
        environment[variable.name] = value
      }
    }
    return environment
  }

  /// The downward API's `fieldRef`.
  private func downwardValue(_ source: JSONValue, _ pod: Pod) -> String? {
    guard let path = source["fieldRef"]?["fieldPath"]?.stringValue else { return nil }
    switch path {
    case "metadata.name": return pod.metadata.name
    case "metadata.namespace": return pod.metadata.namespace
    case "metadata.uid": return pod.metadata.uid
    case "spec.nodeName": return pod.spec.nodeName
    case "spec.serviceAccountName": return pod.spec.serviceAccountName
    case "status.podIP": return pod.status.podIP
    case "status.hostIP": return pod.status.hostIP
    default:
      for (prefix, map) in [
        ("metadata.labels['", pod.metadata.labels),
        ("metadata.annotations['", pod.metadata.annotations),
      ] where path.hasPrefix(prefix) && path.hasSuffix("']") {
        return map[String(path.dropFirst(prefix.count).dropLast(2))]
      }
      return nil
    }
  }

  /// The Docker-link variables of the Services that exist when the container starts, in its
  /// namespace (with `enableServiceLinks`, the default), and always the `kubernetes` Service's.
  func serviceVariables(for pod: Pod) -> [String: String] {
    var services = store.services.list(namespace: "default").filter {
      $0.metadata.name == "kubernetes"
    }
    if pod.spec.passthrough["enableServiceLinks"] != .bool(false) {
      services += store.services.list(namespace: pod.metadata.namespace).filter {
        !($0.metadata.namespace == "default" && $0.metadata.name == "kubernetes")
      }
    }
    var variables: [String: String] = [:]
    for service in services
    where !service.isHeadless && service.spec.type != "ExternalName"
      && !service.spec.clusterIP.isEmpty
    {
      let prefix = service.metadata.name.uppercased().map { $0 == "-" ? "_" : String($0) }
        .joined()
      let ip = service.spec.clusterIP
      guard let first = service.spec.ports.first else { continue }
      variables["\(prefix)_SERVICE_HOST"] = ip
      variables["\(prefix)_SERVICE_PORT"] = String(first.port)
      variables["\(prefix)_PORT"] = "\(first.protocol.lowercased())://\(ip):\(first.port)"
      for port in service.spec.ports {
        if !port.name.isEmpty {
          let name = port.name.uppercased().map { $0 == "-" ? "_" : String($0) }.joined()
          variables["\(prefix)_SERVICE_PORT_\(name)"] = String(port.port)
        }
        let base = "\(prefix)_PORT_\(port.port)_\(port.protocol)"
        variables[base] = "\(port.protocol.lowercased())://\(ip):\(port.port)"
        variables[base + "_PROTO"] = port.protocol.lowercased()
        variables[base + "_PORT"] = String(port.port)
        variables[base + "_ADDR"] = ip
      }
    }
    return variables
  }
}

extension Container {
  /// `envFrom` as written: configMapRef/secretRef with an optional prefix.
  var envFrom: [JSONValue] {
    if case .array(let sources) = passthrough["envFrom"] ?? .null { return sources }
    return []
  }
}
