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
    for document in documents {
      do {
        _ = try decode(document.value)
      } catch {
        report.errors.append(Cluster.located(error, in: document, file: file))
      }
    }
    if !report.errors.isEmpty { return report }
    for document in documents {
      do {
        let manifest =
          recordLastApplied
          ? Cluster.withLastApplied(document.value, defaultNamespace: defaultNamespace)
          : document.value
        let missing = recordLastApplied ? missingLastApplied(document.value, defaultNamespace) : nil
        var result = try apply(manifest, defaultNamespace: defaultNamespace, createOnly: createOnly)
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
}
