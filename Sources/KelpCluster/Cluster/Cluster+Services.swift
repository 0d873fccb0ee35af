/// Services through the API server: validation, cluster IPs from 10.96.0.0/12, node ports from
/// 30000–32767, and load balancer addresses from a simulated pool (what a cloud's, or
/// MetalLB's, controller would assign).
extension Cluster {
  /// The service CIDR: 10.96.0.0/12, with 10.96.0.1 kept for `kubernetes`.
  static let serviceNetwork: UInt32 = (10 << 24) | (96 << 16)
  static let serviceNetworkSize: UInt32 = 1 << 20
  static let nodePortRange = 30000...32767

  static func ipText(_ address: UInt32) -> String {
    "\(address >> 24).\((address >> 16) & 255).\((address >> 8) & 255).\(address & 255)"
  }

  static func ipValue(_ text: String) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
    guard parts.count == 4, parts.allSatisfy({ $0 != nil && $0! < 256 }) else { return nil }
    return parts.reduce(0) { ($0 << 8) | $1! }
  }

  /// The `kubernetes` Service every cluster has, in front of the API server.
  func createKubernetesService() {
    var service = Service(
      metadata: ObjectMeta(name: "kubernetes", namespace: "default"), spec: ServiceSpec())
    service.metadata.labels = ["component": "apiserver", "provider": "kubernetes"]
    service.spec.clusterIP = "10.96.0.1"
    var port = ServicePort(port: 443, targetPort: .int(6443))
    port.name = "https"
    service.spec.ports = [port]
    _ = try? store.create(service, uid: EventRecorder.uid(from: "service/default/kubernetes"))
    var endpoints = Endpoints(metadata: ObjectMeta(name: "kubernetes", namespace: "default"))
    endpoints.metadata.labels = ["endpointslice.kubernetes.io/skip-mirror": "true"]
    endpoints.subsets = [
      EndpointSubset(
        addresses: [
          EndpointAddress(
            ip: Cluster.apiServerAddress, nodeName: "", podName: "", podNamespace: "", podUID: "")
        ],
        ports: [EndpointPort(name: "https", port: 6443, protocol: "TCP")])
    ]
    _ = try? store.create(endpoints, uid: EventRecorder.uid(from: "endpoints/default/kubernetes"))
  }

  /// Where the simulated API server listens.
  static let apiServerAddress = "172.18.0.1"

  func applyService(_ service: Service, createOnly: Bool) throws(APIError) -> ApplyResult {
    var service = service
    let name = service.metadata.name
    try checkNamespace(service.metadata.namespace, for: .service, name)
    let existing = store.services[service.key]
    if existing != nil && createOnly { throw .alreadyExists(.service, name) }
    var causes = Cluster.serviceProblems(service)
    if let existing {
      // Allocated fields stay unless the update names them, and then may not change.
      if service.spec.clusterIP.isEmpty && service.spec.type != "ExternalName" {
        service.spec.clusterIP = existing.spec.clusterIP
      } else if service.spec.clusterIP != existing.spec.clusterIP
        && !existing.spec.clusterIP.isEmpty && service.spec.type != "ExternalName"
      {
        causes.append(
          "spec.clusterIPs[0]: Invalid value: []string{\"\(service.spec.clusterIP)\"}: may not change once set"
        )
      }
      for index in service.spec.ports.indices where service.spec.ports[index].nodePort == nil {
        let old = existing.spec.ports.first {
          $0.port == service.spec.ports[index].port
            && $0.protocol == service.spec.ports[index].protocol
        }
        service.spec.ports[index].nodePort = old?.nodePort
      }
      service.loadBalancerIngress = existing.loadBalancerIngress
    }
    if !causes.isEmpty { throw .invalid(.service, name, causes) }
    try allocate(&service, replacing: existing)
    if let existing {
      var updated = existing
      updated.metadata.labels = service.metadata.labels
      updated.metadata.annotations = service.metadata.annotations
      updated.spec = service.spec
      // The service controller follows a change of type: no longer a load balancer, the
      // address goes back to the pool; newly one, it gets an address.
      updated.loadBalancerIngress =
        service.spec.type == "LoadBalancer" ? service.loadBalancerIngress : []
      if updated == existing {
        return ApplyResult(
          resource: .service, name: name, namespace: service.metadata.namespace,
          outcome: .unchanged, warnings: [])
      }
      let written = try store.update(updated)
      if written.spec.type == "LoadBalancer" && written.loadBalancerIngress.isEmpty {
        ensureLoadBalancer(written)
      } else if !existing.loadBalancerIngress.isEmpty && written.loadBalancerIngress.isEmpty {
        retryPendingLoadBalancers()
      }
      return ApplyResult(
        resource: .service, name: name, namespace: service.metadata.namespace,
        outcome: .configured, warnings: [])
    }
    let created = try store.create(service)
    if created.spec.type == "LoadBalancer" { ensureLoadBalancer(created) }
    return ApplyResult(
      resource: .service, name: name, namespace: created.metadata.namespace, outcome: .created,
      warnings: [])
  }

  /// Upstream `ValidateService`, the parts a user meets.
  static func serviceProblems(_ service: Service) -> [String] {
    let spec = service.spec
    let name = service.metadata.name
    var causes: [String] = []
    if name.isEmpty {
      causes.append("metadata.name: Required value: name or generateName is required")
    } else {
      causes += Validation.nameIsValid(name, kind: "Service").map {
        "metadata.name: Invalid value: \"\(name)\": \($0)"
      }
    }
    let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    guard types.contains(spec.type) else {
      return causes + [
        "spec.type: Unsupported value: \"\(spec.type)\": supported values: "
          + types.map { "\"\($0)\"" }.joined(separator: ", ")
      ]
    }
    if spec.type == "ExternalName" {
      if spec.externalName.isEmpty { causes.append("spec.externalName: Required value") }
      return causes
    }
    if spec.ports.isEmpty && !service.isHeadless { causes.append("spec.ports: Required value") }
    var names: Set<String> = []
    for (index, port) in spec.ports.enumerated() {
      let path = "spec.ports[\(index)]"
      if spec.ports.count > 1 && port.name.isEmpty {
        causes.append("\(path).name: Required value")
      } else if !port.name.isEmpty && !names.insert(port.name).inserted {
        causes.append("\(path).name: Duplicate value: \"\(port.name)\"")
      }
      if !(1...65535).contains(port.port) {
        causes.append(
          "\(path).port: Invalid value: \(port.port): must be between 1 and 65535, inclusive")
      }
      if !["TCP", "UDP", "SCTP"].contains(port.protocol) {
        causes.append(
          "\(path).protocol: Unsupported value: \"\(port.protocol)\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        )
      }
      if case .int(let target) = port.targetPort, !(1...65535).contains(target) {
        causes.append(
          "\(path).targetPort: Invalid value: \(target): must be between 1 and 65535, inclusive")
      }
      if let nodePort = port.nodePort {
        if spec.type == "ClusterIP" {
          causes.append(
            "\(path).nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")
        } else if !nodePortRange.contains(nodePort) {
          causes.append(
            "\(path).nodePort: Invalid value: \(nodePort): provided port is not in the valid range. The range of valid ports is 30000-32767"
          )
        }
      }
    }
    if service.isHeadless && spec.type != "ClusterIP" {
      causes.append(
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for \(spec.type) services"
      )
    }
    if !["None", "ClientIP"].contains(spec.sessionAffinity) {
      causes.append(
        "spec.sessionAffinity: Unsupported value: \"\(spec.sessionAffinity)\": supported values: \"ClientIP\", \"None\""
      )
    }
    return causes
  }

  /// The cluster IP and node ports a new Service needs, chosen at random among the free ones
  /// (from the seeded source) or checked when given.
  private func allocate(_ service: inout Service, replacing existing: Service?) throws(APIError) {
    let name = service.metadata.name
    let others = store.services.unordered.filter { $0.metadata.uid != existing?.metadata.uid }
    if service.spec.type != "ExternalName" && !service.isHeadless
      && (existing == nil || existing?.spec.clusterIP != service.spec.clusterIP)
    {
      // 10.96.0.10 is kube-dns's, as kubeadm reserves it.
      let used = Set(others.map(\.spec.clusterIP)).union(["10.96.0.10"])
      if service.spec.clusterIP.isEmpty {
        guard used.count < Int(Cluster.serviceNetworkSize) - 3 else {
          throw .invalid(
            .service, name,
            ["spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full"])
        }
        var address: UInt32
        repeat {
          address =
            Cluster.serviceNetwork + 2 + UInt32(identities.int(below: Int(Cluster.serviceNetworkSize) - 3))
        } while used.contains(Cluster.ipText(address))
        service.spec.clusterIP = Cluster.ipText(address)
      } else {
        let given = service.spec.clusterIP
        let problem: String?
        if let value = Cluster.ipValue(given),
          value & ~(Cluster.serviceNetworkSize - 1) == Cluster.serviceNetwork
        {
          problem = used.contains(given) ? "provided IP is already allocated" : nil
        } else {
          problem =
            "the provided IP (\(given)) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
        }
        if let problem {
          throw .invalid(
            .service, name,
            [
              "spec.clusterIPs: Invalid value: []string{\"\(given)\"}: failed to allocate IP \(given): \(problem)"
            ])
        }
      }
    }
    guard service.spec.type == "NodePort" || service.spec.type == "LoadBalancer" else {
      for index in service.spec.ports.indices { service.spec.ports[index].nodePort = nil }
      return
    }
    var taken = Set(others.flatMap { $0.spec.ports.compactMap(\.nodePort) })
    // Ports this Service already holds (or names) are taken before new ones are drawn.
    var own: Set<Int> = []
    for index in service.spec.ports.indices {
      if let port = service.spec.ports[index].nodePort {
        let unchanged = existing?.spec.ports.contains { $0.nodePort == port } ?? false
        if (!unchanged && taken.contains(port)) || !own.insert(port).inserted {
          throw .invalid(
            .service, name,
            [
              "spec.ports[\(index)].nodePort: Invalid value: \(port): provided port is already allocated"
            ])
        }
      }
    }
    taken.formUnion(own)
    for index in service.spec.ports.indices where service.spec.ports[index].nodePort == nil {
      let size = Cluster.nodePortRange.count
      guard taken.count < size else {
        throw .invalid(
          .service, name,
          ["spec.ports[\(index)].nodePort: Internal error: range is full"])
      }
      var port: Int
      repeat {
        port = Cluster.nodePortRange.lowerBound + identities.int(below: size)
      } while taken.contains(port)
      taken.insert(port)
      service.spec.ports[index].nodePort = port
    }
  }

  /// Load balancers still `<pending>` get an address that has come free.
  func retryPendingLoadBalancers() {
    for service in store.services.list()
    where service.spec.type == "LoadBalancer" && service.loadBalancerIngress.isEmpty {
      ensureLoadBalancer(service)
    }
  }

  /// The service controller's part: the first free address of the pool, or `<pending>` with an
  /// event when the pool is exhausted.
  func ensureLoadBalancer(_ service: Service) {
    let used = Set(store.services.unordered.flatMap(\.loadBalancerIngress))
    recorder.record(
      service, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer",
      source: "service-controller")
    guard let address = loadBalancerPool.first(where: { !used.contains($0) }) else {
      recorder.record(
        service, "Warning", "AllocationFailed",
        "Failed to allocate IP for \"\(service.metadata.namespace)/\(service.metadata.name)\": no available IPs",
        source: "service-controller")
      return
    }
    store.modify(Service.self, service.key) { $0.loadBalancerIngress = [address] }
    recorder.record(
      service, "Normal", "EnsuredLoadBalancer", "Ensured load balancer",
      source: "service-controller")
  }
}
