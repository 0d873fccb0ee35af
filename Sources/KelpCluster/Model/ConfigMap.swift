/// A ConfigMap: configuration as text (`data`) and bytes (`binaryData`, base64 in manifests),
/// consumed by pods as environment variables or files.
public struct ConfigMap: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var data: [String: String] = [:]
  /// Base64 text, as the API carries it.
  public var binaryData: [String: String] = [:]
  public var immutable = false

  public init(metadata: ObjectMeta) { self.metadata = metadata }
}
