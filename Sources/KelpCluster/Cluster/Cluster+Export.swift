/// The objects a user made, as manifests to apply elsewhere: what `(export-manifests "dir/")`
/// writes. Server-set fields (uid, resourceVersion, timestamps, status) are left out, and so is
/// what the cluster makes itself: nodes, the built-in namespaces, the
/// `kubernetes` Service, Events, objects a controller owns (a Deployment's ReplicaSets and pods,
/// a CronJob's Jobs), the endpoints of Services with a selector, and volumes a provisioner made.
extension Cluster {
  public struct Manifest: Sendable {
    public var resource: ResourceKind
    public var namespace: String
    public var name: String
    public var manifest: JSONValue

    /// `NN-kind-namespace-name.yaml`, NN its kind's place in the apply order, so that a
    /// folder of them applies in name order.
    public var fileName: String {
      let position = Cluster.exportPosition(resource)
      let parts =
        [(position < 10 ? "0" : "") + String(position), resource.kind.lowercased()]
        + (namespace.isEmpty ? [] : [namespace]) + [name]
      return parts.joined(separator: "-") + ".yaml"
    }
  }

  /// Kinds in the order they apply cleanly: namespaces and what pods need before the workloads.
  static let exportOrder: [ResourceKind] = [
    .namespace, .storageClass, .persistentVolume, .resourceQuota, .limitRange, .configMap,
    .secret, .persistentVolumeClaim, .service, .endpoints, .deployment, .replicaSet, .daemonSet,
    .job, .cronJob, .pod, .horizontalPodAutoscaler,
  ]

  /// Where a kind comes in the apply order (1 first), for file names that sort that way.
  public static func exportPosition(_ resource: ResourceKind) -> Int {
    (exportOrder.firstIndex(of: resource) ?? exportOrder.count) + 1
  }

  static let builtInNamespaces: Set<String> = [
    "default", "kube-system", "kube-public", "kube-node-lease",
  ]

  public func userManifests() -> [Manifest] {
    var manifests: [Manifest] = []
    func collect<T: APIObject>(_ type: T.Type) {
      for object in T.table(in: store).list().sorted(by: { $0.key < $1.key })
      where isUserMade(object) {
        manifests.append(
          Manifest(
            resource: T.resource, namespace: object.metadata.namespace,
            name: object.metadata.name,
            manifest: Cluster.withoutAssignments(object.encoded(serverFields: false))))
      }
    }
    for resource in Cluster.exportOrder {
      if let type = ObjectStore.objectTypes[resource.kind] { collect(type) }
    }
    return manifests
  }

  /// What this cluster chose for an object rather than its author: the node a pod was
  /// scheduled to, a Service's cluster IP and node ports. Another cluster chooses its own.
  static func withoutAssignments(_ manifest: JSONValue) -> JSONValue {
    var result = manifest
    switch manifest["kind"]?.stringValue {
    case "Pod":
      result.set(["spec"], to: .object((manifest["spec"]?.objectValue ?? [:]).filter { $0.key != "nodeName" }))
    case "Service":
      guard var spec = manifest["spec"]?.objectValue else { return manifest }
      if spec["clusterIP"]?.stringValue != "None" {
        spec["clusterIP"] = nil
        spec["clusterIPs"] = nil
      }
      if case .array(let ports)? = spec["ports"] {
        spec["ports"] = .array(
          ports.map { port in .object((port.objectValue ?? [:]).filter { $0.key != "nodePort" }) })
      }
      result.set(["spec"], to: .object(spec))
    default: break
    }
    return result
  }

  private func isUserMade<T: APIObject>(_ object: T) -> Bool {
    let meta = object.metadata
    if !meta.ownerReferences.isEmpty || meta.deletionTimestamp != nil { return false }
    switch object {
    case let namespace as Namespace:
      return !Cluster.builtInNamespaces.contains(namespace.metadata.name)
    case let service as Service:
      return !(service.metadata.name == "kubernetes" && service.metadata.namespace == "default")
    case let endpoints as Endpoints:
      // Endpoints of a Service with a selector are the endpoints controller's.
      guard
        let service = store.services.get(endpoints.metadata.namespace, endpoints.metadata.name)
      else { return true }
      return (service.spec.selector ?? [:]).isEmpty && service.metadata.name != "kubernetes"
    case let volume as PersistentVolume:
      return volume.metadata.annotations["pv.kubernetes.io/provisioned-by"] == nil
    case let configMap as ConfigMap:
      return configMap.metadata.name != "kube-root-ca.crt"
    default:
      return true
    }
  }
}
