/// A kind the API serves: its names as kubectl accepts them (`pods`, `pod`, `po`), and whether
/// its objects live in a namespace. `kubectl api-resources` lists the same table.
public struct ResourceKind: Hashable, Sendable {
  public let kind: String
  public let plural: String
  public let shortNames: [String]
  public let apiVersion: String
  public let namespaced: Bool

  public static let namespace = ResourceKind(
    kind: "Namespace", plural: "namespaces", shortNames: ["ns"], apiVersion: "v1",
    namespaced: false)
  public static let node = ResourceKind(
    kind: "Node", plural: "nodes", shortNames: ["no"], apiVersion: "v1", namespaced: false)
  public static let pod = ResourceKind(
    kind: "Pod", plural: "pods", shortNames: ["po"], apiVersion: "v1", namespaced: true)
  public static let event = ResourceKind(
    kind: "Event", plural: "events", shortNames: ["ev"], apiVersion: "v1", namespaced: true)

  public static let replicaSet = ResourceKind(
    kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], apiVersion: "apps/v1",
    namespaced: true)

  public static let deployment = ResourceKind(
    kind: "Deployment", plural: "deployments", shortNames: ["deploy"], apiVersion: "apps/v1",
    namespaced: true)

  public static let daemonSet = ResourceKind(
    kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], apiVersion: "apps/v1",
    namespaced: true)

  public static let job = ResourceKind(
    kind: "Job", plural: "jobs", shortNames: [], apiVersion: "batch/v1", namespaced: true)

  public static let cronJob = ResourceKind(
    kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], apiVersion: "batch/v1",
    namespaced: true)

  public static let horizontalPodAutoscaler = ResourceKind(
    kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", shortNames: ["hpa"],
    apiVersion: "autoscaling/v2", namespaced: true)

  public static let configMap = ResourceKind(
    kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], apiVersion: "v1",
    namespaced: true)
  public static let service = ResourceKind(
    kind: "Service", plural: "services", shortNames: ["svc"], apiVersion: "v1", namespaced: true)
  public static let endpoints = ResourceKind(
    kind: "Endpoints", plural: "endpoints", shortNames: ["ep"], apiVersion: "v1", namespaced: true)
  public static let limitRange = ResourceKind(
    kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], apiVersion: "v1",
    namespaced: true)
  public static let resourceQuota = ResourceKind(
    kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], apiVersion: "v1",
    namespaced: true)
  public static let persistentVolume = ResourceKind(
    kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"], apiVersion: "v1",
    namespaced: false)
  public static let persistentVolumeClaim = ResourceKind(
    kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
    apiVersion: "v1", namespaced: true)
  public static let storageClass = ResourceKind(
    kind: "StorageClass", plural: "storageclasses", shortNames: ["sc"],
    apiVersion: "storage.k8s.io/v1", namespaced: false)
  public static let endpointSlice = ResourceKind(
    kind: "EndpointSlice", plural: "endpointslices", shortNames: [],
    apiVersion: "discovery.k8s.io/v1", namespaced: true)
  public static let secret = ResourceKind(
    kind: "Secret", plural: "secrets", shortNames: [], apiVersion: "v1", namespaced: true)

  /// Every kind Kelp simulates, in `kubectl api-resources` order.
  public static let all: [ResourceKind] = [
    configMap, endpoints, event, limitRange, namespace, node, persistentVolumeClaim,
    persistentVolume, pod, resourceQuota, secret, service, daemonSet, deployment,
    replicaSet,
    horizontalPodAutoscaler, cronJob, job, endpointSlice, storageClass,
  ]

  /// The kind a kubectl resource argument names: `pods`, `pod`, `po`, `Pod`, `pods.v1`.
  public static func named(_ text: String) -> ResourceKind? {
    let lower = text.lowercased()
    let base = lower.split(separator: ".").first.map(String.init) ?? lower
    return all.first {
      $0.plural == base || $0.kind.lowercased() == base || $0.shortNames.contains(base)
    }
  }

  /// `pods`, `replicasets.apps`: the resource as the API server's messages name it.
  public var qualifiedPlural: String {
    apiVersion.contains("/")
      ? plural + "." + (apiVersion.split(separator: "/").first ?? "") : plural
  }

  /// `pod`, as kubectl names objects (`pod/web-1`, `pod "web-1" deleted`); kinds outside the
  /// core group carry it (`replicaset.apps/web`).
  public var singular: String {
    let group = apiVersion.contains("/") ? "." + (apiVersion.split(separator: "/").first ?? "") : ""
    return kind.lowercased() + group
  }
}

/// An object the store keeps. Each kind has its own typed table in the store.
public protocol APIObject: Sendable, Equatable {
  static var resource: ResourceKind { get }
  var metadata: ObjectMeta { get set }
  func encoded(serverFields: Bool) -> JSONValue
  static func table(in store: ObjectStore) -> ObjectTable<Self>
}

extension APIObject {
  public var name: String { metadata.name }
  public var namespace: String { metadata.namespace }
  public var key: ObjectKey { ObjectKey(namespace: metadata.namespace, name: metadata.name) }
}

public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var namespace: String
  public var name: String
  public init(namespace: String, name: String) {
    self.namespace = namespace
    self.name = name
  }
  public static func < (a: ObjectKey, b: ObjectKey) -> Bool {
    (a.namespace, a.name) < (b.namespace, b.name)
  }
  public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

extension Pod: APIObject {
  public static var resource: ResourceKind { .pod }
  public static func table(in store: ObjectStore) -> ObjectTable<Pod> { store.pods }
}

extension Node: APIObject {
  public static var resource: ResourceKind { .node }
  public static func table(in store: ObjectStore) -> ObjectTable<Node> { store.nodes }
}

extension ReplicaSet: APIObject {
  public static var resource: ResourceKind { .replicaSet }
  public static func table(in store: ObjectStore) -> ObjectTable<ReplicaSet> { store.replicaSets }
}

extension Deployment: APIObject {
  public static var resource: ResourceKind { .deployment }
  public static func table(in store: ObjectStore) -> ObjectTable<Deployment> { store.deployments }
}

extension DaemonSet: APIObject {
  public static var resource: ResourceKind { .daemonSet }
  public static func table(in store: ObjectStore) -> ObjectTable<DaemonSet> { store.daemonSets }
}

extension Job: APIObject {
  public static var resource: ResourceKind { .job }
  public static func table(in store: ObjectStore) -> ObjectTable<Job> { store.jobs }
}

extension CronJob: APIObject {
  public static var resource: ResourceKind { .cronJob }
  public static func table(in store: ObjectStore) -> ObjectTable<CronJob> { store.cronJobs }
}

extension HorizontalPodAutoscaler: APIObject {
  public static var resource: ResourceKind { .horizontalPodAutoscaler }
  public static func table(in store: ObjectStore) -> ObjectTable<HorizontalPodAutoscaler> {
    store.horizontalPodAutoscalers
  }
}

extension ConfigMap: APIObject {
  public static var resource: ResourceKind { .configMap }
  public static func table(in store: ObjectStore) -> ObjectTable<ConfigMap> { store.configMaps }
}

extension Secret: APIObject {
  public static var resource: ResourceKind { .secret }
  public static func table(in store: ObjectStore) -> ObjectTable<Secret> { store.secrets }
}

extension Service: APIObject {
  public static var resource: ResourceKind { .service }
  public static func table(in store: ObjectStore) -> ObjectTable<Service> { store.services }
}

extension Endpoints: APIObject {
  public static var resource: ResourceKind { .endpoints }
  public static func table(in store: ObjectStore) -> ObjectTable<Endpoints> { store.endpoints }
}

extension LimitRange: APIObject {
  public static var resource: ResourceKind { .limitRange }
  public static func table(in store: ObjectStore) -> ObjectTable<LimitRange> { store.limitRanges }
}

extension ResourceQuota: APIObject {
  public static var resource: ResourceKind { .resourceQuota }
  public static func table(in store: ObjectStore) -> ObjectTable<ResourceQuota> {
    store.resourceQuotas
  }
}

extension PersistentVolume: APIObject {
  public static var resource: ResourceKind { .persistentVolume }
  public static func table(in store: ObjectStore) -> ObjectTable<PersistentVolume> {
    store.persistentVolumes
  }
}

extension PersistentVolumeClaim: APIObject {
  public static var resource: ResourceKind { .persistentVolumeClaim }
  public static func table(in store: ObjectStore) -> ObjectTable<PersistentVolumeClaim> {
    store.persistentVolumeClaims
  }
}

extension StorageClass: APIObject {
  public static var resource: ResourceKind { .storageClass }
  public static func table(in store: ObjectStore) -> ObjectTable<StorageClass> {
    store.storageClasses
  }
}

extension EndpointSlice: APIObject {
  public static var resource: ResourceKind { .endpointSlice }
  public static func table(in store: ObjectStore) -> ObjectTable<EndpointSlice> {
    store.endpointSlices
  }
}

extension Namespace: APIObject {
  public static var resource: ResourceKind { .namespace }
  public static func table(in store: ObjectStore) -> ObjectTable<Namespace> { store.namespaces }
}
