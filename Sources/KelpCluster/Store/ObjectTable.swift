/// The objects of one kind, by namespace and name. Lists come back sorted by namespace, then
/// name, as the API server returns them.
public final class ObjectTable<Object: APIObject> {
  private(set) var objects: [ObjectKey: Object] = [:]
  /// The names in each namespace, so that a controller listing one namespace does not walk
  /// every object of the kind.
  private var names: [String: Set<String>] = [:]
  /// The objects each owner uid is named by (any owner reference), and the objects with no
  /// controller in each namespace: a controller reconciling one owner reads its own dependents
  /// and the orphans it might adopt, not every object of the namespace.
  private var dependents: [String: Set<ObjectKey>] = [:]
  private var orphans: [String: Set<String>] = [:]

  public var count: Int { objects.count }

  public subscript(key: ObjectKey) -> Object? { objects[key] }

  public func get(_ namespace: String, _ name: String) -> Object? {
    objects[ObjectKey(namespace: namespace, name: name)]
  }

  /// Every object, or those of one namespace, in API order.
  public func list(namespace: String? = nil) -> [Object] {
    guard let namespace else { return objects.values.sorted { $0.key < $1.key } }
    return (names[namespace] ?? []).sorted().compactMap {
      objects[ObjectKey(namespace: namespace, name: $0)]
    }
  }

  /// Every object in no particular order, for controllers that do not print.
  public var unordered: Dictionary<ObjectKey, Object>.Values { objects.values }

  /// The objects whose controller is the owner with this uid, in API order.
  public func owned(by uid: String) -> [Object] {
    dependents(of: uid).filter { $0.metadata.controller?.uid == uid }
  }

  /// The objects with any owner reference to this uid, in API order.
  public func dependents(of uid: String) -> [Object] {
    (dependents[uid] ?? []).sorted().compactMap { objects[$0] }
  }

  /// The objects of a namespace that no controller owns, in API order.
  public func orphans(in namespace: String) -> [Object] {
    (orphans[namespace] ?? []).sorted().compactMap {
      objects[ObjectKey(namespace: namespace, name: $0)]
    }
  }

  func put(_ object: Object) {
    let key = object.key
    let old = objects.updateValue(object, forKey: key)
    if old == nil { names[key.namespace, default: []].insert(key.name) }
    let oldOwners = old?.metadata.ownerReferences ?? []
    let newOwners = object.metadata.ownerReferences
    guard old == nil || oldOwners != newOwners else { return }
    if let old { unindexOwners(old) }
    index(object)
  }

  private func index(_ object: Object) {
    for owner in object.metadata.ownerReferences {
      dependents[owner.uid, default: []].insert(object.key)
    }
    if object.metadata.controller == nil {
      orphans[object.key.namespace, default: []].insert(object.key.name)
    }
  }

  private func unindexOwners(_ object: Object) {
    let key = object.key
    for owner in object.metadata.ownerReferences {
      dependents[owner.uid]?.remove(key)
      if dependents[owner.uid]?.isEmpty == true { dependents[owner.uid] = nil }
    }
    orphans[key.namespace]?.remove(key.name)
    if orphans[key.namespace]?.isEmpty == true { orphans[key.namespace] = nil }
  }

  @discardableResult
  func remove(_ key: ObjectKey) -> Object? {
    guard let removed = objects.removeValue(forKey: key) else { return nil }
    names[key.namespace]?.remove(key.name)
    if names[key.namespace]?.isEmpty == true { names[key.namespace] = nil }
    unindexOwners(removed)
    return removed
  }
}
