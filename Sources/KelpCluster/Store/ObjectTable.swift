/// The objects of one kind, by namespace and name. Lists come back sorted by namespace, then
/// name, as the API server returns them.
public final class ObjectTable<Object: APIObject> {
  private(set) var objects: [ObjectKey: Object] = [:]

  public var count: Int { objects.count }

  public subscript(key: ObjectKey) -> Object? { objects[key] }

  public func get(_ namespace: String, _ name: String) -> Object? {
    objects[ObjectKey(namespace: namespace, name: name)]
  }

  /// Every object, or those of one namespace, in API order.
  public func list(namespace: String? = nil) -> [Object] {
    let chosen =
      namespace.map { ns in objects.values.filter { $0.metadata.namespace == ns } }
      ?? Array(objects.values)
    return chosen.sorted { $0.key < $1.key }
  }

  /// Every object in no particular order, for controllers that do not print.
  public var unordered: Dictionary<ObjectKey, Object>.Values { objects.values }

  func put(_ object: Object) { objects[object.key] = object }
  @discardableResult
  func remove(_ key: ObjectKey) -> Object? { objects.removeValue(forKey: key) }
}
