extension LimitRange {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    LimitRange, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "LimitRange")
    var range = LimitRange(metadata: metadata)
    if var spec = try top.object("spec", goType: "LimitRangeSpec") {
      for var item in try spec.objects("limits", goType: "LimitRangeItem") {
        var parsed = LimitRangeItem(type: try item.requiredString("type"))
        parsed.max = try item.quantities("max")
        parsed.min = try item.quantities("min")
        parsed.default = try item.quantities("default")
        parsed.defaultRequest = try item.quantities("defaultRequest")
        parsed.maxLimitRequestRatio = try item.quantities("maxLimitRequestRatio")
        item.finish()
        // The API server's defaulting: a Container item's default limit is its max, and its
        // default request its default limit.
        if parsed.type == "Container" {
          for (resource, value) in parsed.max where parsed.default[resource] == nil {
            parsed.default[resource] = value
          }
          for (resource, value) in parsed.default where parsed.defaultRequest[resource] == nil {
            parsed.defaultRequest[resource] = value
          }
          for (resource, value) in parsed.min where parsed.defaultRequest[resource] == nil {
            parsed.defaultRequest[resource] = value
          }
        }
        range.limits.append(parsed)
      }
      spec.finish()
    }
    top.finish()
    return (range, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "LimitRange")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.fields["spec"] = [
      "limits": .array(
        limits.map { item in
          var entry = JSONObjectBuilder()
          for (field, values) in [
            ("default", item.default), ("defaultRequest", item.defaultRequest),
            ("max", item.max), ("maxLimitRequestRatio", item.maxLimitRequestRatio),
            ("min", item.min),
          ] where !values.isEmpty {
            entry.fields[field] = Quantity.encode(values)
          }
          entry.set("type", item.type)
          return entry.value
        })
    ]
    return out.value
  }
}

extension ResourceQuota {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    ResourceQuota, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "ResourceQuota")
    var quota = ResourceQuota(metadata: metadata)
    if var spec = try top.object("spec", goType: "ResourceQuotaSpec") {
      quota.hard = try spec.quantities("hard")
      quota.scopes = try spec.strings("scopes")
      _ = spec.raw("scopeSelector")
      spec.finish()
    }
    top.finish()
    return (quota, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "ResourceQuota")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    spec.fields["hard"] = Quantity.encode(hard)
    spec.set("scopes", .array(scopes.map(JSONValue.string)))
    out.fields["spec"] = spec.value
    if serverFields {
      out.fields["status"] = ["hard": Quantity.encode(hard), "used": Quantity.encode(used)]
    }
    return out.value
  }
}
