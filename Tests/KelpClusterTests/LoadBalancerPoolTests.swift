import Testing

@testable import KelpCluster

/// The service controller's address pool: a LoadBalancer Service waits `<pending>` while the
/// pool is used up and gets the address of one that goes, whichever way it goes.
@Suite struct LoadBalancerPoolTests {
  func loadBalancer(_ name: String, namespace: String) -> String {
    """
    apiVersion: v1
    kind: Service
    metadata: {name: \(name), namespace: \(namespace)}
    spec:
      type: LoadBalancer
      selector: {app: \(name)}
      ports: [{port: 80}]
    """
  }

  /// The EXTERNAL-IP column of `kubectl get svc second`.
  func externalIP(_ kubectl: Kubectl) throws -> String? {
    let lines = try kubectl.run(arguments: ["get", "svc", "second"]).split(separator: "\n")
    guard lines.count == 2 else { return nil }
    return lines[1].split(separator: " ").map(String.init)[3]
  }

  /// One address in the pool, taken by `first` in namespace `shop`; `second` waits.
  func clusterWithPendingService() throws -> (Cluster, Kubectl) {
    let cluster = Cluster(seed: 3)
    cluster.loadBalancerPool = ["172.18.255.200"]
    let kubectl = Kubectl(cluster: cluster)
    _ = try kubectl.run(arguments: ["create", "namespace", "shop"])
    for (name, namespace) in [("first", "shop"), ("second", "default")] {
      let report = cluster.apply(
        yaml: loadBalancer(name, namespace: namespace), file: "\(name).yaml")
      #expect(report.errors.isEmpty)
    }
    cluster.settle()
    #expect(try externalIP(kubectl) == "<pending>")
    return (cluster, kubectl)
  }

  @Test(arguments: [
    ["delete", "svc", "first", "-n", "shop"],
    ["delete", "namespace", "shop"],
  ])
  func aFreedAddressGoesToThePendingService(_ deletion: [String]) throws {
    let (cluster, kubectl) = try clusterWithPendingService()
    _ = try kubectl.run(arguments: deletion)
    cluster.advance(by: 1000)
    #expect(try externalIP(kubectl) == "172.18.255.200")
  }
}
