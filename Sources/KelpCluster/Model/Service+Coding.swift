extension Service {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    Service, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Service")
    var spec = ServiceSpec()
    if var d = try top.object("spec", goType: "ServiceSpec") {
      spec.type = try d.string("type") ?? "ClusterIP"
      if d.fields["selector"] != nil { spec.selector = try d.stringMap("selector") }
      for var port in try d.objects("ports", goType: "ServicePort") {
        guard let number = try port.int("port") else {
          throw ManifestError(
            "\(port.path).port: Required value", fieldPath: "\(port.path).port")
        }
        var parsed = ServicePort(port: number, targetPort: try port.intOrString("targetPort"))
        parsed.name = try port.string("name") ?? ""
        parsed.protocol = try port.string("protocol") ?? "TCP"
        parsed.nodePort = try port.int("nodePort")
        parsed.appProtocol = try port.string("appProtocol")
        port.finish()
        spec.ports.append(parsed)
      }
      spec.clusterIP = try d.string("clusterIP") ?? ""
      if spec.clusterIP.isEmpty, let first = try d.strings("clusterIPs").first {
        spec.clusterIP = first
      }
      spec.externalName = try d.string("externalName") ?? ""
      spec.sessionAffinity = try d.string("sessionAffinity") ?? "None"
      if var config = try d.object("sessionAffinityConfig", goType: "SessionAffinityConfig") {
        if var clientIP = try config.object("clientIP", goType: "ClientIPConfig") {
          spec.sessionAffinityTimeout = try clientIP.int("timeoutSeconds") ?? 10_800
          clientIP.finish()
        }
        config.finish()
      }
      spec.externalTrafficPolicy = try d.string("externalTrafficPolicy") ?? "Cluster"
      spec.loadBalancerIP = try d.string("loadBalancerIP") ?? ""
      spec.externalIPs = try d.strings("externalIPs")
      spec.publishNotReadyAddresses = try d.bool("publishNotReadyAddresses") ?? false
      // Valid fields whose effect Kelp does not simulate (single-stack IPv4 clusters).
      for key in [
        "internalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts",
        "loadBalancerClass", "loadBalancerSourceRanges", "healthCheckNodePort",
        "trafficDistribution",
      ] {
        _ = d.raw(key)
      }
      d.finish()
    }
    top.finish()
    return (Service(metadata: metadata, spec: spec), top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "Service")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    let external = self.spec.type == "ExternalName"
    if serverFields && self.spec.type == "LoadBalancer" {
      spec.set("allocateLoadBalancerNodePorts", true)
    }
    if !self.spec.clusterIP.isEmpty {
      spec.set("clusterIP", self.spec.clusterIP)
      if serverFields { spec.fields["clusterIPs"] = [.string(self.spec.clusterIP)] }
    }
    spec.set("externalIPs", .array(self.spec.externalIPs.map(JSONValue.string)))
    if external { spec.set("externalName", self.spec.externalName) }
    if serverFields && (self.spec.type == "NodePort" || self.spec.type == "LoadBalancer") {
      spec.set("externalTrafficPolicy", self.spec.externalTrafficPolicy)
    }
    if serverFields && !external {
      spec.set("internalTrafficPolicy", "Cluster")
      spec.fields["ipFamilies"] = ["IPv4"]
      spec.set("ipFamilyPolicy", "SingleStack")
    }
    spec.set("loadBalancerIP", self.spec.loadBalancerIP.isEmpty ? nil : self.spec.loadBalancerIP)
    spec.set(
      "ports",
      .array(
        self.spec.ports.map { port in
          var item = JSONObjectBuilder()
          item.set("appProtocol", port.appProtocol)
          item.set("name", port.name.isEmpty ? nil : port.name)
          item.set("nodePort", port.nodePort)
          item.set("port", port.port)
          item.set("protocol", port.protocol)
          item.fields["targetPort"] = port.targetPort.json
          return item.value
        }))
    if self.spec.publishNotReadyAddresses { spec.set("publishNotReadyAddresses", true) }
    if let selector = self.spec.selector { spec.set("selector", selector) }
    if serverFields || self.spec.sessionAffinity != "None" {
      spec.set("sessionAffinity", self.spec.sessionAffinity)
    }
    if self.spec.sessionAffinity == "ClientIP" {
      spec.fields["sessionAffinityConfig"] = [
        "clientIP": ["timeoutSeconds": .int(Int64(self.spec.sessionAffinityTimeout))]
      ]
    }
    if serverFields || self.spec.type != "ClusterIP" { spec.set("type", self.spec.type) }
    out.fields["spec"] = spec.value
    if serverFields {
      let ingress = loadBalancerIngress.map { ip -> JSONValue in
        ["ip": .string(ip), "ipMode": "VIP"]
      }
      out.fields["status"] = [
        "loadBalancer": ingress.isEmpty ? [:] : ["ingress": .array(ingress)]
      ]
    }
    return out.value
  }
}

extension Endpoints {
  public func encoded(serverFields: Bool = true) -> JSONValue {
    func addresses(_ list: [EndpointAddress]) -> JSONValue {
      .array(
        list.map { address in
          [
            "ip": .string(address.ip), "nodeName": .string(address.nodeName),
            "targetRef": [
              "kind": "Pod", "name": .string(address.podName),
              "namespace": .string(address.podNamespace), "uid": .string(address.podUID),
            ],
          ]
        })
    }
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "Endpoints")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.set(
      "subsets",
      .array(
        subsets.map { subset in
          var item = JSONObjectBuilder()
          item.set("addresses", addresses(subset.addresses))
          item.set("notReadyAddresses", addresses(subset.notReadyAddresses))
          item.fields["ports"] = .array(
            subset.ports.map { port in
              var entry = JSONObjectBuilder()
              entry.set("name", port.name.isEmpty ? nil : port.name)
              entry.set("port", port.port)
              entry.set("protocol", port.protocol)
              return entry.value
            })
          return item.value
        }))
    return out.value
  }
}
