/// An EndpointSlice (discovery.k8s.io/v1): the newer form of a Service's endpoints, with each
/// endpoint's conditions. Kelp keeps one slice per Service, named `<service>-xxxxx`.
public struct EndpointSlice: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var endpoints: [Endpoint] = []
  public var ports: [EndpointPort] = []

  public init(metadata: ObjectMeta) { self.metadata = metadata }

  public struct Endpoint: Hashable, Sendable {
    public var address: EndpointAddress
    public var ready: Bool
    public var serving: Bool
    public var terminating: Bool
  }

  static let serviceNameLabel = "kubernetes.io/service-name"

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("addressType", "IPv4")
    out.set("apiVersion", "discovery.k8s.io/v1")
    out.fields["endpoints"] = .array(
      endpoints.map { endpoint in
        [
          "addresses": [.string(endpoint.address.ip)],
          "conditions": [
            "ready": .bool(endpoint.ready), "serving": .bool(endpoint.serving),
            "terminating": .bool(endpoint.terminating),
          ],
          "nodeName": .string(endpoint.address.nodeName),
          "targetRef": [
            "kind": "Pod", "name": .string(endpoint.address.podName),
            "namespace": .string(endpoint.address.podNamespace),
            "uid": .string(endpoint.address.podUID),
          ],
        ]
      })
    out.set("kind", "EndpointSlice")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.fields["ports"] = .array(
      ports.map { port in
        var entry = JSONObjectBuilder()
        entry.fields["name"] = .string(port.name)
        entry.set("port", port.port)
        entry.set("protocol", port.protocol)
        return entry.value
      })
    return out.value
  }
}

extension EndpointSlice: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    let ports = self.ports.map { String($0.port) }
    let addresses = endpoints.map(\.address.ip)
    return [
      metadata.name, "IPv4", ports.isEmpty ? "<unset>" : Kubectl.shortList(ports),
      addresses.isEmpty ? "<unset>" : Kubectl.shortList(addresses),
      kubectl.age(metadata.creationTimestamp),
    ]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelLines(metadata.labels)
    text += "AddressType:\tIPv4\nPorts:\n  Name\tPort\tProtocol\n  ----\t----\t--------\n"
    for port in ports {
      text += "  \(port.name.isEmpty ? "<unset>" : port.name)\t\(port.port)\t\(port.protocol)\n"
    }
    text += "Endpoints:\n"
    for endpoint in endpoints {
      text += "  - Addresses:\t\(endpoint.address.ip)\n    Conditions:\n"
      text += "      Ready:\t\(endpoint.ready)\n    Hostname:\t<unset>\n"
      text += "    TargetRef:\tPod/\(endpoint.address.podName)\n"
      text += "    NodeName:\t\(endpoint.address.nodeName)\n"
    }
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}
