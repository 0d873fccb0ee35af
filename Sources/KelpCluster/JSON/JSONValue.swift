import OrderedCollections

/// An API object as the API server sees it on the wire: the shape that YAML manifests decode to,
/// that `kubectl get -o json|yaml` prints, and that the DSL turns into Lisp maps. Objects keep
/// their keys in the order they were written, so a manifest reads back as its author wrote it.
public enum JSONValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(OrderedDictionary<String, JSONValue>)

  public subscript(key: String) -> JSONValue? {
    guard case .object(let fields) = self else { return nil }
    return fields[key]
  }

  /// The value at a path of object keys, or nil when any step is missing.
  public subscript(path path: [String]) -> JSONValue? {
    var current = self
    for key in path {
      guard let next = current[key] else { return nil }
      current = next
    }
    return current
  }

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var objectValue: OrderedDictionary<String, JSONValue>? {
    if case .object(let fields) = self { return fields }
    return nil
  }

  public var doubleValue: Double? {
    switch self {
    case .int(let number): return Double(number)
    case .double(let number): return number
    default: return nil
    }
  }

  /// The name of the value's type as the API server's decoding errors say it.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "bool"
    case .int, .double: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// Sets the value at a path, creating objects on the way.
  public mutating func set(_ path: ArraySlice<String>, to value: JSONValue) {
    guard let key = path.first else {
      self = value
      return
    }
    var fields = objectValue ?? [:]
    var inner = fields[key] ?? .null
    inner.set(path.dropFirst(), to: value)
    fields[key] = inner
    self = .object(fields)
  }
}

/// Builds objects without repeating `.string(…)` around every field, and leaves out empty ones,
/// as the API server's encoder omits `omitempty` fields.
public struct JSONObjectBuilder {
  public var fields: OrderedDictionary<String, JSONValue> = [:]
  public init() {}

  public mutating func set(_ key: String, _ value: JSONValue?) {
    guard let value else { return }
    switch value {
    case .null: return
    case .object(let inner) where inner.isEmpty: return
    case .array(let items) where items.isEmpty: return
    default: fields[key] = value
    }
  }
  public mutating func set(_ key: String, _ text: String?) {
    guard let text, !text.isEmpty else { return }
    fields[key] = .string(text)
  }
  public mutating func set(_ key: String, _ number: Int?) {
    guard let number else { return }
    fields[key] = .int(Int64(number))
  }
  public mutating func set(_ key: String, _ flag: Bool?) {
    guard let flag else { return }
    fields[key] = .bool(flag)
  }
  public mutating func set(_ key: String, _ map: [String: String]) {
    guard !map.isEmpty else { return }
    fields[key] = .object(
      OrderedDictionary(
        uniqueKeysWithValues: map.sorted { $0.key < $1.key }.map { ($0, .string($1)) }))
  }
  public var value: JSONValue { .object(fields) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
