/// A Secret: like a ConfigMap, but its values are base64 in `data` (`stringData` is merged in
/// on write), typed (`Opaque`, `kubernetes.io/tls`, …), and mounted in memory.
public struct Secret: Hashable, Sendable {
  public var metadata: ObjectMeta
  /// Decoded values, by key.
  public var data: [String: [UInt8]] = [:]
  public var type = "Opaque"
  public var immutable = false

  public init(metadata: ObjectMeta) { self.metadata = metadata }
}
