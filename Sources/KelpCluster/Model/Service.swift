/// A Service: a stable name and virtual IP in front of the pods its selector picks.
public struct Service: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var spec: ServiceSpec
  /// The LoadBalancer's external addresses, once one is assigned.
  public var loadBalancerIngress: [String] = []

  public init(metadata: ObjectMeta, spec: ServiceSpec) {
    self.metadata = metadata
    self.spec = spec
  }

  public var isHeadless: Bool { spec.clusterIP == "None" }
}

public struct ServiceSpec: Hashable, Sendable {
  /// `ClusterIP` (the default), `NodePort`, `LoadBalancer` or `ExternalName`.
  public var type = "ClusterIP"
  /// Without a selector the Service's Endpoints are the user's to write.
  public var selector: [String: String]?
  public var ports: [ServicePort] = []
  /// Allocated by the API server unless given; `None` makes the Service headless.
  public var clusterIP = ""
  public var externalName = ""
  /// `None` or `ClientIP` (sticky per client address for `sessionAffinityTimeout` seconds).
  public var sessionAffinity = "None"
  public var sessionAffinityTimeout = 10_800
  public var externalTrafficPolicy = "Cluster"
  public var loadBalancerIP = ""
  public var externalIPs: [String] = []
  public var publishNotReadyAddresses = false

  public init() {}
}

public struct ServicePort: Hashable, Sendable {
  public var name = ""
  public var `protocol` = "TCP"
  public var port: Int
  /// A number or a container port's name; the port itself when not given.
  public var targetPort: IntOrString
  /// Allocated from 30000–32767 for NodePort and LoadBalancer Services unless given.
  public var nodePort: Int?
  public var appProtocol: String?

  public init(port: Int, targetPort: IntOrString? = nil) {
    self.port = port
    self.targetPort = targetPort ?? .int(port)
  }
}

/// The v1 Endpoints of a Service: ready and not-ready addresses with their ports, as the
/// endpoints controller keeps them.
public struct Endpoints: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var subsets: [EndpointSubset] = []

  public init(metadata: ObjectMeta) { self.metadata = metadata }
}

public struct EndpointSubset: Hashable, Sendable {
  public var addresses: [EndpointAddress] = []
  public var notReadyAddresses: [EndpointAddress] = []
  public var ports: [EndpointPort] = []
}

public struct EndpointAddress: Hashable, Sendable {
  public var ip: String
  public var nodeName: String
  /// The pod behind the address.
  public var podName: String
  public var podNamespace: String
  public var podUID: String
}

public struct EndpointPort: Hashable, Sendable {
  public var name: String
  public var port: Int
  public var `protocol`: String
}
