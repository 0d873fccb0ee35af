/// Applying YAML text: every document, each on its own, as `kubectl apply -f` does.
extension Cluster {
  public struct ApplyReport: Sendable {
    public var results: [ApplyResult] = []
    /// One message per document that failed, with its file:line:column.
    public var errors: [String] = []
  }

  public func apply(
    yaml text: String, file: String, createOnly: Bool = false, defaultNamespace: String = "default"
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
      report.errors.append("error: no objects passed to apply")
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
        report.results.append(
          try apply(document.value, defaultNamespace: defaultNamespace, createOnly: createOnly))
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
}
