import OrderedCollections

/// Applying YAML text: every document, each on its own, as `kubectl apply -f` does.
extension Cluster {
  public struct ApplyReport: Sendable {
    public var results: [ApplyResult] = []
    /// One message per document that failed, with its file:line:column.
    public var errors: [String] = []
  }

  /// `recordLastApplied`: as `kubectl apply` (client-side) does, keep each manifest as sent in
  /// the `kubectl.kubernetes.io/last-applied-configuration` annotation.
  public func apply(
    yaml text: String, file: String, createOnly: Bool = false, defaultNamespace: String = "default",
    recordLastApplied: Bool = false
  )
    -> ApplyReport
  {
    var report = ApplyReport()
    let documents: [ManifestDocument]
    do {
      documents = try ManifestLoader.documents(text, file: file)
    } catch {
      report.errors.append("error: \(error)")
      return report
    }
    if documents.isEmpty {
      report.errors.append("error: no objects passed to \(createOnly ? "create" : "apply")")
    }
    // Every document decodes before any is applied: a file with a broken document changes
    // nothing (kubectl would apply the documents before it; see docs/fidelity.md).
    var unknownFields: [[String]] = []
    for document in documents {
      do {
        unknownFields.append(try decode(document.value).unknownFields)
      } catch {
        report.errors.append(Cluster.located(error, in: document, file: file))
      }
    }
    if !report.errors.isEmpty { return report }
    for (document, unknown) in zip(documents, unknownFields) {
      do {
        var manifest =
          recordLastApplied
          ? Cluster.withLastApplied(document.value, defaultNamespace: defaultNamespace)
          : document.value
        let missing = recordLastApplied ? missingLastApplied(document.value, defaultNamespace) : nil
        if recordLastApplied, let merged = threeWayMerged(manifest, defaultNamespace) {
          manifest = merged
        }
        var result = try apply(manifest, defaultNamespace: defaultNamespace, createOnly: createOnly)
        // The warnings are about what the user wrote, not the merged object.
        result.warnings = unknown.map { "unknown field \"\($0)\"" }
        if let missing { result.warnings.insert(missing, at: 0) }
        report.results.append(result)
      } catch {
        report.errors.append(Cluster.located(error, in: document, file: file))
      }
    }
    return report
  }

  static func located(_ error: ClusterError, in document: ManifestDocument, file: String) -> String
  {
    switch error {
    case .manifest(var problem):
      problem.location = document.location(of: problem.fieldPath)
      return "error: \(problem)"
    case .api(let apiError):
      let verb = apiError.reason == .alreadyExists ? "creating" : "applying"
      return
        "Error from server (\(apiError.reason.rawValue)): error when \(verb) \"\(file)\": \(apiError.message)"
    case .unsupported(let message, let hint):
      return "error: \(document.location): \(message)\n\(hint)"
    }
  }

  static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

  /// The manifest with kubectl's record of it: compact JSON with sorted keys (as Go marshals a
  /// map), its namespace filled in and `annotations` present, the old record left out.
  static func withLastApplied(_ manifest: JSONValue, defaultNamespace: String) -> JSONValue {
    guard case .object = manifest else { return manifest }
    var recorded = manifest
    var annotations = manifest[path: ["metadata", "annotations"]]?.objectValue ?? [:]
    annotations[lastAppliedAnnotation] = nil
    recorded.set(["metadata", "annotations"], to: .object(annotations))
    let kind = manifest["kind"]?.stringValue ?? ""
    let namespaced = ResourceKind.all.first { $0.kind == kind }?.namespaced ?? true
    if namespaced && manifest[path: ["metadata", "namespace"]] == nil {
      recorded.set(["metadata", "namespace"], to: .string(defaultNamespace))
    }
    annotations[lastAppliedAnnotation] = .string(JSONPath.GoFormat.json(recorded) + "\n")
    var result = manifest
    result.set(["metadata", "annotations"], to: .object(annotations))
    return result
  }

  /// kubectl's warning when `apply` meets an object that was not made by `apply`.
  private func missingLastApplied(_ manifest: JSONValue, _ defaultNamespace: String) -> String? {
    guard let kindName = manifest["kind"]?.stringValue,
      let resource = ResourceKind.all.first(where: { $0.kind == kindName }),
      let name = manifest[path: ["metadata", "name"]]?.stringValue
    else { return nil }
    let namespace = manifest[path: ["metadata", "namespace"]]?.stringValue ?? defaultNamespace
    guard let metadata = store.metadata(resource, name, namespace: namespace),
      metadata.annotations[Cluster.lastAppliedAnnotation] == nil
    else { return nil }
    return "resource \(resource.qualifiedPlural)/\(name) is missing the "
      + "\(Cluster.lastAppliedAnnotation) annotation which is required by kubectl apply. "
      + "kubectl apply should only be used on resources created declaratively by either "
      + "kubectl create --save-config or kubectl apply. The missing annotation will be patched "
      + "automatically."
  }

  /// `kubectl apply` on an object it applied before: the change from the last applied
  /// manifest to this one, merged into the live object, so fields the manifest never set
  /// (replicas a `scale` changed, a label another command added) stay as they are, and fields
  /// the manifest dropped are removed. nil when there is nothing to merge with.
  private func threeWayMerged(_ manifest: JSONValue, _ defaultNamespace: String) -> JSONValue? {
    guard let kindName = manifest["kind"]?.stringValue,
      let resource = ResourceKind.all.first(where: { $0.kind == kindName }),
      let name = manifest[path: ["metadata", "name"]]?.stringValue
    else { return nil }
    let namespace = manifest[path: ["metadata", "namespace"]]?.stringValue ?? defaultNamespace
    // The live object as written, without the server's defaults (which would read as changes).
    guard
      let live = store.encodedObject(resource, name, namespace: namespace, serverFields: false),
      let recorded = live[path: ["metadata", "annotations", Cluster.lastAppliedAnnotation]]?
        .stringValue,
      let last = try? ManifestLoader.documents(recorded, file: "last-applied").first?.value
    else { return nil }
    let patch = Cluster.difference(from: last, to: manifest)
    return Kubectl.mergePatch(live, patch, strategic: true)
  }

  /// A strategic merge patch that turns `old` into `new`: changed and added fields, null for
  /// removed ones; maps compared field by field; keyed lists (containers by name, …) item by
  /// item, an item gone from `new` marked `$patch: delete`; other lists replaced whole.
  static func difference(from old: JSONValue, to new: JSONValue, path: [String] = []) -> JSONValue
  {
    guard case .object(let before) = old, case .object(let after) = new else { return new }
    var patch: OrderedDictionary<String, JSONValue> = [:]
    for (key, value) in after where before[key] != value {
      switch (before[key], value) {
      case (.object?, .object):
        patch[key] = difference(from: before[key]!, to: value, path: path + [key])
      case (.array(let previous)?, .array(let items)):
        guard let mergeKey = Kubectl.mergeKey(key, under: path) else {
          patch[key] = value
          continue
        }
        let kept = Set(items.compactMap { $0[mergeKey] })
        let deleted = previous.compactMap { item -> JSONValue? in
          guard let identity = item[mergeKey], !kept.contains(identity) else { return nil }
          return .object([mergeKey: identity, "$patch": "delete"])
        }
        patch[key] = .array(items + deleted)
      default:
        patch[key] = value
      }
    }
    for key in before.keys where after[key] == nil { patch[key] = .null }
    return .object(patch)
  }
}
