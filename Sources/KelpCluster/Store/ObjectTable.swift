/// The objects of one kind, by namespace and name. Lists come back sorted by namespace, then
/// name, as the API server returns them.
public final class ObjectTable<Object: APIObject> {
  private(set) var objects: [ObjectKey: Object] = [:]
  /// The names in each namespace, so that a controller listing one namespace does not walk
  /// every object of the kind.
  private var names: [String: Set<String>] = [:]

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

  func put(_ object: Object) {
    if objects.updateValue(object, forKey: object.key) == nil {
      names[object.key.namespace, default: []].insert(object.key.name)
    }
  }

  @discardableResult
  func remove(_ key: ObjectKey) -> Object? {
    guard let removed = objects.removeValue(forKey: key) else { return nil }
    names[key.namespace]?.remove(key.name)
    if names[key.namespace]?.isEmpty == true { names[key.namespace] = nil }
    return removed
  }
}
