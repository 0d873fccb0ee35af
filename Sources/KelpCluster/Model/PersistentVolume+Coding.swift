import OrderedCollections

extension PersistentVolume {
  static let accessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]

  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    PersistentVolume, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "PersistentVolume")
    metadata.namespace = ""
    guard var spec = try top.object("spec", goType: "PersistentVolumeSpec") else {
      throw ManifestError("spec.capacity: Required value", fieldPath: "spec.capacity")
    }
    guard let storage = try spec.quantities("capacity")["storage"] else {
      throw ManifestError("spec.capacity: Required value", fieldPath: "spec.capacity")
    }
    var volume = PersistentVolume(metadata: metadata, capacity: storage)
    volume.accessModes = try spec.strings("accessModes")
    try PersistentVolume.checkAccessModes(volume.accessModes, path: "spec.accessModes")
    volume.reclaimPolicy = try spec.string("persistentVolumeReclaimPolicy") ?? "Retain"
    volume.storageClassName = try spec.string("storageClassName") ?? ""
    if var claim = try spec.object("claimRef", goType: "ObjectReference") {
      volume.claimRef = ClaimReference(
        namespace: try claim.string("namespace") ?? "default",
        name: try claim.string("name") ?? "", uid: try claim.string("uid") ?? "")
      for key in ["apiVersion", "kind", "resourceVersion", "fieldPath"] { _ = claim.raw(key) }
      claim.finish()
    }
    for key in [
      "hostPath", "local", "nfs", "csi", "iscsi", "fc", "awsElasticBlockStore", "gcePersistentDisk",
      "azureDisk", "azureFile", "cephfs", "rbd", "nodeAffinity", "volumeMode", "mountOptions",
    ] {
      if let value = spec.raw(key) { volume.source[key] = value }
    }
    spec.finish()
    top.finish()
    return (volume, top.unknownFieldWarnings)
  }

  static func checkAccessModes(_ modes: [String], path: String) throws(ManifestError) {
    if modes.isEmpty { throw ManifestError("\(path): Required value", fieldPath: path) }
    for mode in modes where !accessModes.contains(mode) {
      throw ManifestError(
        "\(path): Unsupported value: \"\(mode)\": supported values: "
          + accessModes.map { "\"\($0)\"" }.joined(separator: ", "), fieldPath: path)
    }
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "PersistentVolume")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    spec.fields["accessModes"] = .array(accessModes.map(JSONValue.string))
    spec.fields["capacity"] = ["storage": .string(capacity.description)]
    if let claimRef {
      spec.fields["claimRef"] = [
        "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": .string(claimRef.name),
        "namespace": .string(claimRef.namespace), "uid": .string(claimRef.uid),
      ]
    }
    for (key, value) in source.sorted(by: { $0.key < $1.key }) { spec.fields[key] = value }
    spec.set("persistentVolumeReclaimPolicy", reclaimPolicy)
    spec.set("storageClassName", storageClassName)
    if serverFields && source["volumeMode"] == nil { spec.set("volumeMode", "Filesystem") }
    out.fields["spec"] = spec.value
    if serverFields { out.fields["status"] = ["phase": .string(phase)] }
    return out.value
  }
}

extension PersistentVolumeClaim {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    PersistentVolumeClaim, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "PersistentVolumeClaim")
    guard var spec = try top.object("spec", goType: "PersistentVolumeClaimSpec") else {
      throw ManifestError("spec.accessModes: Required value", fieldPath: "spec.accessModes")
    }
    let accessModes = try spec.strings("accessModes")
    try PersistentVolume.checkAccessModes(accessModes, path: "spec.accessModes")
    var storage: Quantity?
    if var resources = try spec.object("resources", goType: "VolumeResourceRequirements") {
      storage = try resources.quantities("requests")["storage"]
      _ = resources.raw("limits")
      resources.finish()
    }
    guard let storage else {
      throw ManifestError(
        "spec.resources[storage]: Required value", fieldPath: "spec.resources.requests")
    }
    var claim = PersistentVolumeClaim(metadata: metadata, request: storage)
    claim.accessModes = accessModes
    claim.storageClassName = try spec.string("storageClassName")
    claim.volumeName = try spec.string("volumeName") ?? ""
    if var selector = try spec.object("selector", goType: "LabelSelector") {
      claim.selector = try SelectorSpec(decoding: &selector)
    }
    for key in ["volumeMode", "dataSource", "dataSourceRef", "volumeAttributesClassName"] {
      _ = spec.raw(key)
    }
    spec.finish()
    top.finish()
    return (claim, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("kind", "PersistentVolumeClaim")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    var spec = JSONObjectBuilder()
    spec.fields["accessModes"] = .array(accessModes.map(JSONValue.string))
    spec.fields["resources"] = ["requests": ["storage": .string(request.description)]]
    if let selector { spec.fields["selector"] = selector.encoded }
    if let storageClassName { spec.fields["storageClassName"] = .string(storageClassName) }
    if serverFields { spec.set("volumeMode", "Filesystem") }
    spec.set("volumeName", volumeName)
    out.fields["spec"] = spec.value
    if serverFields {
      var status = JSONObjectBuilder()
      status.set("accessModes", .array(boundAccessModes.map(JSONValue.string)))
      if let boundCapacity {
        status.fields["capacity"] = ["storage": .string(boundCapacity.description)]
      }
      status.set("phase", phase)
      out.fields["status"] = status.value
    }
    return out.value
  }
}

extension StorageClass {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    StorageClass, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "StorageClass")
    metadata.namespace = ""
    let provisioner = try top.requiredString("provisioner")
    var storageClass = StorageClass(metadata: metadata, provisioner: provisioner)
    storageClass.reclaimPolicy = try top.string("reclaimPolicy") ?? "Delete"
    storageClass.volumeBindingMode = try top.string("volumeBindingMode") ?? "Immediate"
    guard ["Immediate", "WaitForFirstConsumer"].contains(storageClass.volumeBindingMode) else {
      throw ManifestError(
        "volumeBindingMode: Unsupported value: \"\(storageClass.volumeBindingMode)\": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
        fieldPath: "volumeBindingMode")
    }
    storageClass.allowVolumeExpansion = try top.bool("allowVolumeExpansion")
    storageClass.parameters = try top.stringMap("parameters")
    for key in ["mountOptions", "allowedTopologies"] { _ = top.raw(key) }
    top.finish()
    return (storageClass, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("allowVolumeExpansion", allowVolumeExpansion)
    out.set("apiVersion", "storage.k8s.io/v1")
    out.set("kind", "StorageClass")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.set("parameters", parameters)
    out.set("provisioner", provisioner)
    out.set("reclaimPolicy", reclaimPolicy)
    out.set("volumeBindingMode", volumeBindingMode)
    return out.value
  }
}
