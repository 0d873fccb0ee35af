/// The metadata every API object carries, with the fields the API server sets on create.
public struct ObjectMeta: Hashable, Sendable {
  public var name: String = ""
  public var generateName: String = ""
  /// Empty for cluster-scoped kinds (Node, Namespace).
  public var namespace: String = ""
  public var uid: String = ""
  public var resourceVersion: Int = 0
  public var generation: Int = 0
  public var creationTimestamp: Millis = 0
  public var deletionTimestamp: Millis?
  public var deletionGracePeriodSeconds: Int?
  public var labels: [String: String] = [:]
  public var annotations: [String: String] = [:]
  public var ownerReferences: [OwnerReference] = []
  public var finalizers: [String] = []

  public init(name: String = "", namespace: String = "") {
    self.name = name
    self.namespace = namespace
  }

  /// The controller among the owners, as `metav1.GetControllerOf` finds it.
  public var controller: OwnerReference? { ownerReferences.first { $0.controller } }
}

public struct OwnerReference: Hashable, Sendable {
  public var apiVersion: String
  public var kind: String
  public var name: String
  public var uid: String
  public var controller: Bool = false
  public var blockOwnerDeletion: Bool = false

  public init(
    apiVersion: String, kind: String, name: String, uid: String, controller: Bool = false,
    blockOwnerDeletion: Bool = false
  ) {
    self.apiVersion = apiVersion
    self.kind = kind
    self.name = name
    self.uid = uid
    self.controller = controller
    self.blockOwnerDeletion = blockOwnerDeletion
  }
}

extension ObjectMeta {
  init(decoding decoder: inout FieldDecoder) throws(ManifestError) {
    name = try decoder.string("name") ?? ""
    generateName = try decoder.string("generateName") ?? ""
    namespace = try decoder.string("namespace") ?? ""
    labels = try decoder.stringMap("labels")
    annotations = try decoder.stringMap("annotations")
    finalizers = try decoder.strings("finalizers")
    for var owner in try decoder.objects("ownerReferences", goType: "OwnerReference") {
      ownerReferences.append(
        OwnerReference(
          apiVersion: try owner.requiredString("apiVersion"),
          kind: try owner.requiredString("kind"),
          name: try owner.requiredString("name"), uid: try owner.requiredString("uid"),
          controller: try owner.bool("controller") ?? false,
          blockOwnerDeletion: try owner.bool("blockOwnerDeletion") ?? false))
      owner.finish()
    }
    // Server-set fields are accepted and ignored on input, as the API server does on create.
    for ignored in [
      "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
      "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ] {
      _ = decoder.raw(ignored)
    }
    decoder.finish()
  }

  /// As the server returns it; `serverFields` false leaves out what the server sets, for
  /// manifests meant to be applied again.
  func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("annotations", annotations)
    if serverFields {
      out.set("creationTimestamp", Timestamp.rfc3339(creationTimestamp))
      out.set("deletionGracePeriodSeconds", deletionGracePeriodSeconds)
      out.set("deletionTimestamp", deletionTimestamp.map(Timestamp.rfc3339))
    }
    out.set("finalizers", .array(finalizers.map(JSONValue.string)))
    out.set("generateName", generateName)
    if serverFields, generation > 0 { out.set("generation", generation) }
    out.set("labels", labels)
    out.set("name", name)
    out.set("namespace", namespace)
    out.set(
      "ownerReferences",
      .array(
        ownerReferences.map { owner in
          var ref = JSONObjectBuilder()
          ref.set("apiVersion", owner.apiVersion)
          if owner.blockOwnerDeletion { ref.set("blockOwnerDeletion", true) }
          if owner.controller { ref.set("controller", true) }
          ref.set("kind", owner.kind)
          ref.set("name", owner.name)
          ref.set("uid", owner.uid)
          return ref.value
        }))
    if serverFields {
      out.set("resourceVersion", String(resourceVersion))
      out.set("uid", uid)
    }
    return out.value
  }
}
