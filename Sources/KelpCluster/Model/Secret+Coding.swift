extension Secret {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    Secret, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Secret")
    var secret = Secret(metadata: metadata)
    for (key, value) in try top.stringMap("data") {
      secret.data[key] = Array(value.utf8)
    }
    for (key, value) in try top.stringMap("stringData") { secret.data[key] = Array(value.utf8) }
    secret.type = try top.string("type") ?? "Opaque"
    secret.immutable = try top.bool("immutable") ?? false
    top.finish()
    return (secret, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("data", data.mapValues { String(decoding: $0, as: UTF8.self) })
    if immutable { out.set("immutable", true) }
    out.set("kind", "Secret")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.set("type", type)
    return out.value
  }
}
