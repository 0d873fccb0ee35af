/// Names and traffic: cluster DNS as CoreDNS answers it (a pod's search path, headless
/// Services answering with pod IPs), and requests routed the way kube-proxy's iptables rules
/// route them (a random ready endpoint per connection, ClientIP affinity, REJECT without
/// endpoints).
extension Cluster {
  /// Why a lookup or a request failed, as a client would report it.
  public struct TrafficError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// How a batch of requests went: the answers per pod (or external host), the failures per
  /// reason (`connection refused`, `connection timed out`, …).
  public struct RequestOutcome: Sendable, Equatable {
    public var answered: [String: Int] = [:]
    public var failed: [String: Int] = [:]
  }

  static let clusterDomain = "cluster.local"

  /// The names tried for `name` from a pod in `namespace`: the search path first for names with
  /// fewer than five dots (ndots:5), as the kubelet writes resolv.conf.
  static func searchNames(_ name: String, namespace: String) -> [String] {
    if name.hasSuffix(".") { return [String(name.dropLast())] }
    let search = [
      "\(namespace).svc.\(clusterDomain)", "svc.\(clusterDomain)", clusterDomain,
    ]
    let expanded = search.map { "\(name).\($0)" }
    return name.split(separator: ".").count - 1 < 5 ? expanded + [name] : [name] + expanded
  }

  /// What cluster DNS answers for a fully qualified name: addresses, or a CNAME's target
  /// (ExternalName), or nil (NXDOMAIN).
  func dnsRecord(_ name: String) -> (addresses: [String], alias: String?)? {
    let suffix = ".svc.\(Cluster.clusterDomain)"
    if name.hasSuffix(suffix) {
      let parts = name.dropLast(suffix.count).split(separator: ".").map(String.init)
      guard parts.count == 2, let service = store.services.get(parts[1], parts[0]) else {
        return nil
      }
      if service.spec.type == "ExternalName" { return ([], service.spec.externalName) }
      if service.isHeadless {
        let endpoints = store.endpoints.get(parts[1], parts[0])
        let ips = (endpoints?.subsets ?? []).flatMap { $0.addresses.map(\.ip) }
        return ips.isEmpty ? nil : (ips.sorted(by: Cluster.ipOrder), nil)
      }
      return ([service.spec.clusterIP], nil)
    }
    let podSuffix = ".pod.\(Cluster.clusterDomain)"
    if name.hasSuffix(podSuffix) {
      let parts = name.dropLast(podSuffix.count).split(separator: ".").map(String.init)
      guard parts.count == 2 else { return nil }
      let ip = parts[0].split(separator: "-").joined(separator: ".")
      return store.pods.list(namespace: parts[1]).contains { $0.status.podIP == ip }
        ? ([ip], nil) : nil
    }
    return nil
  }

  /// Resolves a name from a pod (its search path), or from outside the cluster (nil: only
  /// addresses). Returns the addresses, or the ExternalName's target.
  public func resolve(_ name: String, from client: ObjectKey?) throws(TrafficError) -> [String] {
    if Cluster.ipValue(name) != nil { return [name] }
    guard let client else {
      throw TrafficError(
        message:
          "can't resolve \"\(name)\" from outside the cluster: cluster DNS names resolve only in pods"
      )
    }
    guard let pod = store.pods[client] else {
      throw TrafficError(message: "pod \"\(client.name)\" not found in namespace \(client.namespace)")
    }
    // The kubelet's /etc/hosts: localhost, and the pod's own name.
    if name == "localhost" { return ["127.0.0.1"] }
    if name == (pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name) {
      return [pod.status.podIP]
    }
    let candidates = Cluster.searchNames(name, namespace: pod.metadata.namespace)
    for candidate in candidates {
      if let record = dnsRecord(candidate) {
        return record.alias.map { [$0] } ?? record.addresses
      }
    }
    throw TrafficError(
      message:
        "** server can't find \(name): NXDOMAIN (searched \(candidates.joined(separator: ", ")))")
  }

  /// Sends `count` requests to `url` (`http://web.shop:80/`, `http://172.18.0.3:30080`) from a
  /// pod or from outside (nil), each a new connection.
  public func request(_ url: String, from client: ObjectKey?, count: Int) throws(TrafficError)
    -> RequestOutcome
  {
    let (host, port) = try Cluster.parseURL(url)
    var clientIP = "203.0.113.10"  // a documentation address, standing for "outside"
    if let client {
      guard let pod = store.pods[client], !pod.status.podIP.isEmpty else {
        throw TrafficError(
          message: "pod \"\(client.name)\" has no IP: it is not running in namespace \(client.namespace)")
      }
      clientIP = pod.status.podIP
    }
    let addresses = try resolve(host, from: client)
    var outcome = RequestOutcome()
    guard let address = addresses.first else { return outcome }
    // An ExternalName answers with a name outside the cluster: the request goes there.
    if Cluster.ipValue(address) == nil {
      outcome.answered[address] = count
      return outcome
    }
    // Loopback from a pod is the pod itself: its containers share one network namespace.
    let target = address.hasPrefix("127.") && client != nil ? clientIP : address
    let now = clock.now
    for _ in 0..<max(count, 0) {
      // A headless name resolves to every ready pod; the client takes the first, as getaddrinfo
      // sorts them.
      switch route(target, port: port, fromPod: client != nil, clientIP: clientIP, now: now) {
      case .success(let answer): outcome.answered[answer, default: 0] += 1
      case .failure(let error): outcome.failed[error.message, default: 0] += 1
      }
    }
    return outcome
  }

  static func parseURL(_ url: String) throws(TrafficError) -> (host: String, port: Int) {
    var rest = Substring(url)
    var port = 80
    if rest.hasPrefix("http://") {
      rest = rest.dropFirst(7)
    } else if rest.hasPrefix("https://") {
      rest = rest.dropFirst(8)
      port = 443
    } else if rest.contains("://") {
      throw TrafficError(message: "unsupported protocol in \"\(url)\": use http:// or https://")
    }
    let authority = rest.prefix { $0 != "/" && $0 != "?" }
    let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
    guard let host = parts.first, !host.isEmpty, parts.count <= 2 else {
      throw TrafficError(message: "malformed URL \"\(url)\": expected http://HOST[:PORT]/PATH")
    }
    if parts.count == 2 {
      guard let number = Int(parts[1]), (1...65535).contains(number) else {
        throw TrafficError(message: "malformed URL \"\(url)\": the port must be 1–65535")
      }
      port = number
    }
    return (String(host), port)
  }

  /// One connection to `address:port`: through a Service (cluster IP, node port, load
  /// balancer) to an endpoint, or straight to a pod.
  private func route(
    _ address: String, port: Int, fromPod: Bool, clientIP: String, now: Millis
  ) -> Result<String, TrafficError> {
    let services = store.services.unordered
    if fromPod, let service = services.first(where: { $0.spec.clusterIP == address }) {
      guard let servicePort = service.spec.ports.first(where: { $0.port == port }) else {
        return .failure(TrafficError(message: "connection timed out"))
      }
      return viaService(service, servicePort, clientIP: clientIP, now: now)
    }
    if store.nodes.unordered.contains(where: { $0.status.internalIP == address }) {
      if let service = services.first(where: {
        $0.spec.ports.contains { $0.nodePort == port }
      }) {
        let servicePort = service.spec.ports.first { $0.nodePort == port }!
        return viaService(service, servicePort, clientIP: clientIP, now: now)
      }
      return .failure(TrafficError(message: "connection refused"))
    }
    if let service = services.first(where: { $0.loadBalancerIngress.contains(address) }) {
      guard let servicePort = service.spec.ports.first(where: { $0.port == port }) else {
        return .failure(TrafficError(message: "connection timed out"))
      }
      return viaService(service, servicePort, clientIP: clientIP, now: now)
    }
    if let pod = store.pods.unordered.first(where: { $0.status.podIP == address }) {
      return deliver(to: pod, port: port)
    }
    return .failure(TrafficError(message: "connection timed out"))
  }

  /// kube-proxy's rules for one Service port: REJECT without ready endpoints, otherwise a
  /// uniformly random ready endpoint (iptables' `statistic --mode random` chain), or the
  /// client's previous one under ClientIP affinity.
  private func viaService(
    _ service: Service, _ port: ServicePort, clientIP: String, now: Millis
  ) -> Result<String, TrafficError> {
    let endpoints = store.endpoints[service.key]
    var candidates: [(address: EndpointAddress, port: Int)] = []
    for subset in endpoints?.subsets ?? [] {
      guard let match = subset.ports.first(where: { $0.name == port.name }) else { continue }
      for address in subset.addresses { candidates.append((address, match.port)) }
    }
    // No ready endpoint: kube-proxy falls back to terminating ones that still serve
    // (ProxyTerminatingEndpoints, GA in 1.28), so a Recreate or a scale-down drains gently.
    if candidates.isEmpty { candidates = servingTerminating(service, port) }
    guard !candidates.isEmpty else { return .failure(TrafficError(message: "connection refused")) }
    var chosen: (address: EndpointAddress, port: Int)
    let affinityKey = service.metadata.uid + "/" + port.name + "/" + clientIP
    if service.spec.sessionAffinity == "ClientIP", let sticky = affinity[affinityKey],
      now - sticky.at < Millis(service.spec.sessionAffinityTimeout) * 1000,
      let again = candidates.first(where: { $0.address.ip == sticky.ip })
    {
      chosen = again
    } else {
      chosen = candidates[identities.int(below: candidates.count)]
    }
    if service.spec.sessionAffinity == "ClientIP" {
      affinity[affinityKey] = (chosen.address.ip, now)
    }
    guard let pod = store.pods.get(chosen.address.podNamespace, chosen.address.podName) else {
      return .failure(TrafficError(message: "connection refused"))
    }
    return deliver(to: pod, port: chosen.port)
  }

  /// The EndpointSlice's terminating endpoints that still serve, with the target port.
  private func servingTerminating(_ service: Service, _ port: ServicePort)
    -> [(address: EndpointAddress, port: Int)]
  {
    guard
      let slice = store.endpointSlices.list(namespace: service.metadata.namespace).first(where: {
        $0.metadata.labels[EndpointSlice.serviceNameLabel] == service.metadata.name
      })
    else { return [] }
    return slice.endpoints.filter { $0.terminating && $0.serving }.compactMap { endpoint in
      guard let pod = store.pods.get(endpoint.address.podNamespace, endpoint.address.podName)
      else { return nil }
      switch port.targetPort {
      case .int(let number): return (endpoint.address, number)
      case .string(let name):
        return pod.spec.containers.flatMap(\.ports).first { $0.name == name }.map {
          (endpoint.address, $0.containerPort)
        }
      }
    }
  }

  /// The packet reaches the pod: its node must be up and a container must listen on the port.
  private func deliver(to pod: Pod, port: Int) -> Result<String, TrafficError> {
    guard let kubelet = kubelets[pod.spec.nodeName], kubelet.isUp else {
      return .failure(TrafficError(message: "connection timed out"))
    }
    guard pod.status.phase == .running,
      let runtime = kubelet.pods[pod.key],
      runtime.containers.contains(where: { $0.running && $0.program.listensOn.contains(port) })
    else {
      return .failure(TrafficError(message: "connection refused"))
    }
    return .success(pod.metadata.name)
  }
}
