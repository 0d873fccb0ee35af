import OrderedCollections

/// `kubectl get|describe svc|endpoints` and `kubectl expose` (upstream `printService`,
/// `printEndpoints`, `ServiceDescriber`, `expose.go`).
extension Service: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] + (wide ? ["SELECTOR"] : [])
  }

  /// `80/TCP`, `80:30080/TCP`, joined by commas; `<none>` without ports.
  var portsText: String {
    guard !spec.ports.isEmpty else { return "<none>" }
    return spec.ports.map { port in
      port.nodePort.map { "\(port.port):\($0)/\(port.protocol)" } ?? "\(port.port)/\(port.protocol)"
    }.joined(separator: ",")
  }

  var externalIPText: String {
    switch spec.type {
    case "ExternalName": return spec.externalName
    case "LoadBalancer":
      let addresses = loadBalancerIngress + spec.externalIPs
      return addresses.isEmpty ? "<pending>" : addresses.joined(separator: ",")
    default: return spec.externalIPs.isEmpty ? "<none>" : spec.externalIPs.joined(separator: ",")
    }
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    var cells = [
      metadata.name, spec.type, spec.clusterIP.isEmpty ? "<none>" : spec.clusterIP, externalIPText,
      portsText, kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells.append(spec.selector.map(Kubectl.formatLabels) ?? "<none>") }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Selector:\t\(spec.selector.map(Kubectl.formatLabels) ?? "<none>")\n"
    text += "Type:\t\(spec.type)\n"
    if spec.type != "ExternalName" {
      text += "IP Family Policy:\tSingleStack\nIP Families:\tIPv4\n"
      text += "IP:\t\(spec.clusterIP)\nIPs:\t\(spec.clusterIP)\n"
    } else {
      text += "External Name:\t\(spec.externalName)\n"
    }
    if !loadBalancerIngress.isEmpty {
      text += "LoadBalancer Ingress:\t\(loadBalancerIngress.joined(separator: ", ")) (VIP)\n"
    }
    let endpoints = kubectl.cluster.store.endpoints[key]
    for port in spec.ports {
      text += "Port:\t\(port.name.isEmpty ? "<unset>" : port.name)  \(port.port)/\(port.protocol)\n"
      let target: String
      switch port.targetPort {
      case .int(let number): target = "\(number)/\(port.protocol)"
      case .string(let name): target = "\(name)/\(port.protocol)"
      }
      text += "TargetPort:\t\(target)\n"
      if let nodePort = port.nodePort {
        text += "NodePort:\t\(port.name.isEmpty ? "<unset>" : port.name)  \(nodePort)/\(port.protocol)\n"
      }
      let addresses = (endpoints?.subsets ?? []).flatMap { subset in
        subset.addresses.compactMap { address -> String? in
          guard let match = subset.ports.first(where: { $0.name == port.name }) else { return nil }
          return "\(address.ip):\(match.port)"
        }
      }
      text += "Endpoints:\t\(addresses.isEmpty ? "" : Kubectl.shortList(addresses))\n"
    }
    text += "Session Affinity:\t\(spec.sessionAffinity)\n"
    if spec.type == "NodePort" || spec.type == "LoadBalancer" {
      text += "External Traffic Policy:\t\(spec.externalTrafficPolicy)\n"
    }
    if spec.type != "ExternalName" { text += "Internal Traffic Policy:\tCluster\n" }
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension Endpoints: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "ENDPOINTS", "AGE"] }

  /// Upstream `formatEndpoints`: port by port, the ready addresses; `<none>` without subsets.
  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    let entries = subsets.flatMap { subset in
      subset.ports.isEmpty
        ? subset.addresses.map(\.ip)
        : subset.ports.flatMap { port in subset.addresses.map { "\($0.ip):\(port.port)" } }
    }
    return [
      metadata.name, subsets.isEmpty ? "<none>" : Kubectl.shortList(entries),
      kubectl.age(metadata.creationTimestamp),
    ]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Subsets:\n"
    for subset in subsets {
      text += "  Addresses:\t\(subset.addresses.map(\.ip).joined(separator: ","))\n"
      let notReady = subset.notReadyAddresses.map(\.ip).joined(separator: ",")
      text += "  NotReadyAddresses:\t\(notReady.isEmpty ? "<none>" : notReady)\n"
      text += "  Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n"
      for port in subset.ports {
        text += "    \(port.name.isEmpty ? "<unset>" : port.name)\t\(port.port)\t\(port.protocol)\n"
      }
      text += "\n"
    }
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension Kubectl {
  /// kubectl's `formatEndpoints`: at most three, then `+ N more...`.
  static func shortList(_ items: [String]) -> String {
    guard items.count > 3 else { return items.joined(separator: ",") }
    return items.prefix(3).joined(separator: ",") + " + \(items.count - 3) more..."
  }

  /// `kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort --name=...`:
  /// a Service with the workload's selector.
  func expose(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let targets = try resolve(command)
    guard let (kind, names) = targets.first, let name = names.first else {
      throw KubectlError(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"
      )
    }
    let namespace = self.namespace(command)
    guard let object = try list(kind, namespace: namespace, names: [name], selector: .everything).first
    else { throw KubectlError.api(.notFound(kind, name)) }
    let selector: [String: String]
    var ports: [Int] = []
    switch object {
    case .pod(let pod):
      selector = pod.metadata.labels
      ports = pod.spec.containers.flatMap { $0.ports.map(\.containerPort) }
    case .deployment(let deployment):
      selector = deployment.spec.selector.matchLabels
      ports = deployment.spec.template.spec.containers.flatMap { $0.ports.map(\.containerPort) }
    case .replicaSet(let replicaSet):
      selector = replicaSet.spec.selector.matchLabels
      ports = replicaSet.spec.template.spec.containers.flatMap { $0.ports.map(\.containerPort) }
    case .printable(let service as Service):
      selector = service.spec.selector ?? [:]
      ports = service.spec.ports.map(\.port)
    default:
      throw KubectlError(
        "error: cannot expose a \(kind.kind)")
    }
    if selector.isEmpty {
      throw KubectlError(
        "error: couldn't retrieve selectors via --selector flag or introspection: the \(kind.singular) has no selector")
    }
    if let given = command.value("port").flatMap({ Int($0) }) { ports = [given] }
    guard let port = ports.first else {
      throw KubectlError(
        "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples"
      )
    }
    let serviceName = command.value("name") ?? name
    // As kubectl's expose generator builds it: the object's labels, its selector, one port.
    var servicePort: OrderedDictionary<String, JSONValue> = [
      "protocol": .string(command.value("protocol") ?? "TCP"), "port": .int(Int64(port)),
    ]
    if let target = command.value("target-port") {
      servicePort["targetPort"] = Int(target).map { JSONValue.int(Int64($0)) } ?? .string(target)
    } else {
      servicePort["targetPort"] = .int(Int64(port))
    }
    var spec: OrderedDictionary<String, JSONValue> = [
      "ports": .array([.object(servicePort)]),
      "selector": .object(
        .init(uniqueKeysWithValues: selector.sorted { $0.key < $1.key }.map { ($0, .string($1)) })),
    ]
    if let type = command.value("type") { spec["type"] = .string(type) }
    let labels = cluster.store.metadata(kind, name, namespace: namespace)?.labels ?? [:]
    let manifest: JSONValue = .object([
      "kind": "Service", "apiVersion": "v1",
      "metadata": generatedMetadata(
        serviceName, command, labels: labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
      "spec": .object(spec), "status": ["loadBalancer": .object([:])],
    ])
    return try finishGenerated(command, .service, manifest, serviceName, verb: "exposed")
  }
}

extension Kubectl {
  /// `kubectl exec POD [-c CONTAINER] -- COMMAND ARGS...`.
  func exec(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard var target = command.arguments.first else {
      throw KubectlError(
        "error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples")
    }
    if target.hasPrefix("pod/") { target = String(target.dropFirst(4)) }
    guard !command.trailing.isEmpty else {
      throw KubectlError("error: you must specify at least one command for the container")
    }
    let key = ObjectKey(namespace: namespace(command), name: target)
    let result: Cluster.ExecResult
    do throws(Cluster.TrafficError) {
      result = try cluster.exec(command.trailing, in: key, container: command.value("container"))
    } catch {
      if cluster.store.pods[key] == nil { throw KubectlError.api(.notFound(.pod, target)) }
      throw KubectlError("error: \(error.message)")
    }
    guard result.exitCode == 0 else {
      throw KubectlError(
        result.output + result.errors + "command terminated with exit code \(result.exitCode)")
    }
    return result.output + result.errors
  }
}
