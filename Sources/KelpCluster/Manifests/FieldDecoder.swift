import OrderedCollections

/// Why a manifest could not become an object, said as the API server says it, with the field
/// path (`spec.containers[0].image`) so the YAML loader can point at the line.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var fieldPath: String
  /// `file:line:column` of the offending field, filled in by the YAML loader when it knows.
  public var location: String?

  public init(_ message: String, fieldPath: String = "", location: String? = nil) {
    self.message = message
    self.fieldPath = fieldPath
    self.location = location
  }

  public var description: String {
    guard let location else { return message }
    return "\(location): \(message)"
  }
}

/// Reads one JSON object field by field, tracking the path for error messages and the fields it
/// did not recognise, which kubectl reports as `Warning: unknown field "spec.replica"`.
public struct FieldDecoder {
  public let path: String
  let fields: OrderedDictionary<String, JSONValue>
  /// Shared by every decoder of one manifest.
  final class Warnings {
    var unknownFields: [String] = []
  }
  let warnings: Warnings
  /// The Go type name used in type errors (`Container`, `PodSpec`).
  let goType: String
  /// Few fields per object: a list is cheaper than a set here.
  private var known: [String] = []

  init(_ value: JSONValue, path: String, goType: String, warnings: Warnings) throws(ManifestError) {
    guard case .object(let fields) = value else {
      throw ManifestError(
        "json: cannot unmarshal \(value.typeName) into Go value of type \(goType)",
        fieldPath: path)
    }
    self.fields = fields
    self.path = path
    self.goType = goType
    self.warnings = warnings
  }

  public static func top(_ value: JSONValue, goType: String) throws(ManifestError) -> FieldDecoder {
    try FieldDecoder(value, path: "", goType: goType, warnings: Warnings())
  }

  /// A whole object's decoder, past the fields every kind has: apiVersion and kind (checked by
  /// the caller), status (the server's to set) and metadata, which comes back decoded.
  public static func object(_ manifest: JSONValue, goType: String) throws(ManifestError)
    -> (decoder: FieldDecoder, metadata: ObjectMeta)
  {
    var top = try FieldDecoder.top(manifest, goType: goType)
    _ = top.raw("apiVersion")
    _ = top.raw("kind")
    _ = top.raw("status")
    var metadata = ObjectMeta()
    if var meta = try top.object("metadata", goType: "ObjectMeta") {
      metadata = try ObjectMeta(decoding: &meta)
    }
    return (top, metadata)
  }

  public var unknownFieldWarnings: [String] { warnings.unknownFields }

  func childPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

  mutating func raw(_ key: String) -> JSONValue? {
    known.append(key)
    guard let value = fields[key], value != .null else { return nil }
    return value
  }

  func typeError(_ key: String, _ value: JSONValue, expected: String) -> ManifestError {
    ManifestError(
      "json: cannot unmarshal \(value.typeName) into Go struct field \(goType).\(childPath(key)) of type \(expected)",
      fieldPath: childPath(key))
  }

  public mutating func string(_ key: String) throws(ManifestError) -> String? {
    guard let value = raw(key) else { return nil }
    guard case .string(let text) = value else { throw typeError(key, value, expected: "string") }
    return text
  }

  public mutating func requiredString(_ key: String) throws(ManifestError) -> String {
    guard let text = try string(key), !text.isEmpty else {
      throw ManifestError("\(childPath(key)): Required value", fieldPath: childPath(key))
    }
    return text
  }

  /// Go's int32 fields: a number that is not a whole int32 does not decode.
  public mutating func int(_ key: String) throws(ManifestError) -> Int? {
    guard let value = raw(key) else { return nil }
    switch value {
    case .int(let number) where Int64(Int32.min)...Int64(Int32.max) ~= number: return Int(number)
    case .double(let number):
      guard let whole = Int32(exactly: number) else { break }
      return Int(whole)
    case .int: break
    default: throw typeError(key, value, expected: "int32")
    }
    let shown = value == .null ? "null" : JSONValue.numberText(value.doubleValue ?? 0)
    throw ManifestError(
      "json: cannot unmarshal number \(shown) into Go struct field \(goType).\(childPath(key)) of type int32",
      fieldPath: childPath(key))
  }

  public mutating func bool(_ key: String) throws(ManifestError) -> Bool? {
    guard let value = raw(key) else { return nil }
    guard case .bool(let flag) = value else { throw typeError(key, value, expected: "bool") }
    return flag
  }

  /// A field that is an integer or a string (Kubernetes' IntOrString: ports, maxSurge).
  public mutating func intOrString(_ key: String) throws(ManifestError) -> IntOrString? {
    guard let value = raw(key) else { return nil }
    switch value {
    case .int(let number): return .int(Int(number))
    case .string(let text): return .string(text)
    default: throw typeError(key, value, expected: "intstr.IntOrString")
    }
  }

  public mutating func object(_ key: String, goType: String) throws(ManifestError) -> FieldDecoder?
  {
    guard let value = raw(key) else { return nil }
    return try FieldDecoder(value, path: childPath(key), goType: goType, warnings: warnings)
  }

  public mutating func objects(_ key: String, goType: String) throws(ManifestError)
    -> [FieldDecoder]
  {
    guard let value = raw(key) else { return [] }
    guard case .array(let items) = value else {
      throw typeError(key, value, expected: "[]" + goType)
    }
    var result: [FieldDecoder] = []
    for (index, item) in items.enumerated() {
      result.append(
        try FieldDecoder(
          item, path: "\(childPath(key))[\(index)]", goType: goType, warnings: warnings))
    }
    return result
  }

  public mutating func strings(_ key: String) throws(ManifestError) -> [String] {
    guard let value = raw(key) else { return [] }
    guard case .array(let items) = value else { throw typeError(key, value, expected: "[]string") }
    var result: [String] = []
    for item in items {
      switch item {
      case .string(let text): result.append(text)
      case .int(let number): result.append(String(number))
      default: throw typeError(key, item, expected: "string")
      }
    }
    return result
  }

  /// A map of strings (labels, annotations, nodeSelector).
  public mutating func stringMap(_ key: String) throws(ManifestError) -> [String: String] {
    guard let value = raw(key) else { return [:] }
    guard case .object(let entries) = value else {
      throw typeError(key, value, expected: "map[string]string")
    }
    var result: [String: String] = [:]
    for (name, entry) in entries {
      switch entry {
      case .string(let text): result[name] = text
      case .null: result[name] = ""
      default: throw typeError(key, entry, expected: "string")
      }
    }
    return result
  }

  /// A resource list (`cpu: 500m`, `memory: 128Mi`); numbers are accepted as YAML writes them.
  public mutating func quantities(_ key: String) throws(ManifestError) -> [String: Quantity] {
    guard let value = raw(key) else { return [:] }
    guard case .object(let entries) = value else {
      throw typeError(key, value, expected: "v1.ResourceList")
    }
    var result: [String: Quantity] = [:]
    for (name, entry) in entries {
      let text: String
      switch entry {
      case .string(let string): text = string
      case .int(let number): text = String(number)
      case .double(let number): text = String(number)
      default: throw typeError(key, entry, expected: "resource.Quantity")
      }
      do {
        result[name] = try Quantity(text)
      } catch {
        throw ManifestError(
          "\(childPath(key)).\(name): Invalid value: \"\(text)\": \(error)",
          fieldPath: childPath(key) + "." + name)
      }
    }
    return result
  }

  /// Records every field this decoder did not read as an unknown field.
  public func finish() {
    for key in fields.keys where !known.contains(key) {
      warnings.unknownFields.append(childPath(key))
    }
  }
}

/// Kubernetes' IntOrString: `targetPort: 8080` or `targetPort: http`, `maxSurge: 25%`.
public enum IntOrString: Hashable, Sendable, CustomStringConvertible {
  case int(Int)
  case string(String)
  public var description: String {
    switch self {
    case .int(let number): return String(number)
    case .string(let text): return text
    }
  }
  public var json: JSONValue {
    switch self {
    case .int(let number): return .int(Int64(number))
    case .string(let text): return .string(text)
    }
  }
}
