/// The API server's storage: typed tables per kind, the resource version counter, and the watch
/// stream controllers react to. Every write goes through `create`, `update` or `remove`, which
/// stamp server fields and notify watchers; nothing else changes stored objects.
public final class ObjectStore {
  public let pods = ObjectTable<Pod>()
  public let nodes = ObjectTable<Node>()
  public let namespaces = ObjectTable<Namespace>()
  public let replicaSets = ObjectTable<ReplicaSet>()
  public let deployments = ObjectTable<Deployment>()
  public let daemonSets = ObjectTable<DaemonSet>()
  public let jobs = ObjectTable<Job>()
  public let cronJobs = ObjectTable<CronJob>()
  public let horizontalPodAutoscalers = ObjectTable<HorizontalPodAutoscaler>()
  public let services = ObjectTable<Service>()
  public let endpoints = ObjectTable<Endpoints>()
  public let endpointSlices = ObjectTable<EndpointSlice>()
  public let limitRanges = ObjectTable<LimitRange>()
  public let persistentVolumes = ObjectTable<PersistentVolume>()
  public let persistentVolumeClaims = ObjectTable<PersistentVolumeClaim>()
  public let storageClasses = ObjectTable<StorageClass>()
  public let resourceQuotas = ObjectTable<ResourceQuota>()
  public let configMaps = ObjectTable<ConfigMap>()
  public let secrets = ObjectTable<Secret>()

  public private(set) var resourceVersion = 0
  private var watchers: [(WatchEvent) -> Void] = []
  private let clock: VirtualClock
  private let identities: IdentitySource

  init(clock: VirtualClock, identities: IdentitySource) {
    self.clock = clock
    self.identities = identities
  }

  public func get<T: APIObject>(_ type: T.Type, _ namespace: String, _ name: String) -> T? {
    T.table(in: self).get(namespace, name)
  }

  /// The stored kinds by kind name.
  public static let objectTypes: [String: any APIObject.Type] = [
    "Pod": Pod.self, "Node": Node.self, "Namespace": Namespace.self,
    "ReplicaSet": ReplicaSet.self, "Deployment": Deployment.self, "DaemonSet": DaemonSet.self,
    "Job": Job.self, "CronJob": CronJob.self,
    "HorizontalPodAutoscaler": HorizontalPodAutoscaler.self, "ConfigMap": ConfigMap.self,
    "Secret": Secret.self, "Service": Service.self, "Endpoints": Endpoints.self,
    "EndpointSlice": EndpointSlice.self,
    "LimitRange": LimitRange.self, "ResourceQuota": ResourceQuota.self,
    "PersistentVolume": PersistentVolume.self,
    "PersistentVolumeClaim": PersistentVolumeClaim.self, "StorageClass": StorageClass.self,
  ]

  /// One object of any stored kind as the API returns it, or nil.
  public func encodedObject(
    _ resource: ResourceKind, _ name: String, namespace: String, serverFields: Bool = true
  ) -> JSONValue? {
    func find<T: APIObject>(_ type: T.Type) -> JSONValue? {
      T.table(in: self).get(resource.namespaced ? namespace : "", name)?
        .encoded(serverFields: serverFields)
    }
    return ObjectStore.objectTypes[resource.kind].flatMap { find($0) }
  }

  /// Whether an object of any stored kind is there (being deleted counts as there).
  public func contains(_ resource: ResourceKind, _ name: String, namespace: String) -> Bool {
    func find<T: APIObject>(_ type: T.Type) -> Bool {
      T.table(in: self).get(resource.namespaced ? namespace : "", name) != nil
    }
    return ObjectStore.objectTypes[resource.kind].map { find($0) } ?? false
  }

  /// The metadata of an object of any stored kind, or nil.
  public func metadata(_ resource: ResourceKind, _ name: String, namespace: String) -> ObjectMeta? {
    func find<T: APIObject>(_ type: T.Type) -> ObjectMeta? {
      T.table(in: self).get(resource.namespaced ? namespace : "", name)?.metadata
    }
    return ObjectStore.objectTypes[resource.kind].flatMap { find($0) }
  }

  /// Changes the metadata of an object of any stored kind (labels, annotations); false when
  /// there is no such object. Watchers hear of it as of any write.
  @discardableResult
  public func modifyMetadata(
    _ resource: ResourceKind, _ name: String, namespace: String,
    _ change: (inout ObjectMeta) -> Void
  ) -> Bool {
    func modify<T: APIObject>(_ type: T.Type) -> Bool {
      let key = ObjectKey(namespace: resource.namespaced ? namespace : "", name: name)
      return self.modify(T.self, key) { change(&$0.metadata) } != nil
    }
    return ObjectStore.objectTypes[resource.kind].map { modify($0) } ?? false
  }

  /// The names of the objects of a kind in a namespace whose metadata passes `filter`, sorted.
  public func names(
    _ resource: ResourceKind, namespace: String, where filter: (ObjectMeta) -> Bool = { _ in true }
  ) -> [String] {
    func find<T: APIObject>(_ type: T.Type) -> [String] {
      T.table(in: self).list(namespace: resource.namespaced ? namespace : nil)
        .filter { filter($0.metadata) }.map(\.metadata.name).sorted()
    }
    return ObjectStore.objectTypes[resource.kind].map { find($0) } ?? []
  }

  public func list<T: APIObject>(_ type: T.Type, namespace: String? = nil) -> [T] {
    T.table(in: self).list(namespace: namespace)
  }

  /// Watchers are called after each write, in the order they subscribed.
  public func watch(_ handler: @escaping (WatchEvent) -> Void) { watchers.append(handler) }

  /// Stores a new object: fills in generated names, uid, resource version and creation time.
  /// Validation and defaulting happen before (see `Admission`).
  @discardableResult
  public func create<T: APIObject>(
    _ object: T, uid: String? = nil, stamp: ((inout T) -> Void)? = nil
  ) throws(APIError) -> T {
    var object = object
    let table = T.table(in: self)
    if object.metadata.name.isEmpty && !object.metadata.generateName.isEmpty {
      repeat {
        object.metadata.name = object.metadata.generateName + identities.nameSuffix()
      } while table[object.key] != nil
    }
    if table[object.key] != nil { throw .alreadyExists(T.resource, object.metadata.name) }
    resourceVersion += 1
    // Objects every cluster starts with take a fixed uid, so the seed's draws stay the user's.
    object.metadata.uid = uid ?? identities.uid()
    object.metadata.resourceVersion = resourceVersion
    object.metadata.creationTimestamp = clock.now
    object.metadata.deletionTimestamp = nil
    // Fields derived from the uid (a Job's selector) are written with the object.
    stamp?(&object)
    table.put(object)
    notify(WatchEvent(type: .added, resource: T.resource, key: object.key, object: object))
    return object
  }

  /// Replaces a stored object. The resource version moves on; watchers see old and new.
  @discardableResult
  public func update<T: APIObject>(_ object: T) throws(APIError) -> T {
    let table = T.table(in: self)
    guard let old = table[object.key] else { throw .notFound(T.resource, object.metadata.name) }
    var object = object
    object.metadata.uid = old.metadata.uid
    object.metadata.creationTimestamp = old.metadata.creationTimestamp
    resourceVersion += 1
    object.metadata.resourceVersion = resourceVersion
    table.put(object)
    notify(WatchEvent(type: .modified, resource: T.resource, key: object.key, object: object))
    return object
  }

  /// Reads, changes and writes back one object; nil when it is gone.
  @discardableResult
  public func modify<T: APIObject>(
    _ type: T.Type, _ key: ObjectKey, _ change: (inout T) -> Void
  ) -> T? {
    let table = T.table(in: self)
    guard var object = table[key] else { return nil }
    let before = object
    change(&object)
    if before == object { return before }
    resourceVersion += 1
    object.metadata.resourceVersion = resourceVersion
    table.put(object)
    notify(WatchEvent(type: .modified, resource: T.resource, key: key, object: object))
    return object
  }

  /// Removes an object for good (the end of a graceful deletion, or an immediate one).
  @discardableResult
  public func remove<T: APIObject>(_ type: T.Type, _ key: ObjectKey) -> T? {
    guard let old = T.table(in: self).remove(key) else { return nil }
    resourceVersion += 1
    notify(WatchEvent(type: .deleted, resource: T.resource, key: key, object: old))
    return old
  }

  /// Removes every object of one kind in a namespace, in name order.
  public func removeAll<T: APIObject>(_ type: T.Type, inNamespace namespace: String) {
    for object in T.table(in: self).list(namespace: namespace) { remove(T.self, object.key) }
  }

  private func notify(_ event: WatchEvent) {
    for watcher in watchers { watcher(event) }
  }
}

/// One change, as a watch stream delivers it.
public struct WatchEvent {
  public enum EventType: String, Sendable {
    case added = "ADDED", modified = "MODIFIED", deleted = "DELETED"
  }
  public let type: EventType
  public let resource: ResourceKind
  public let key: ObjectKey
  /// The object as written (for a deletion, as it was last).
  public let object: any APIObject
}
