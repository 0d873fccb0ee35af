extension ConfigMap {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    ConfigMap, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "ConfigMap")
    var configMap = ConfigMap(metadata: metadata)
    configMap.data = try top.stringMap("data")
    configMap.binaryData = try top.base64Map("binaryData", kind: "ConfigMap")
    configMap.immutable = try top.bool("immutable")
    top.finish()
    return (configMap, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("binaryData", Base64.encodedMap(binaryData))
    out.set("data", data)
    out.set("immutable", immutable)
    out.set("kind", "ConfigMap")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    return out.value
  }
}
