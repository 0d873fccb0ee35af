import Foundation

/// The OpenAPI v3 schemas `kubectl explain` reads, for the kinds Kelp serves (Kubernetes
/// v1.32.0's; see Tools/explain-schemas/generate.py), parsed once on first use.
enum ExplainSchemas {
  typealias Schema = [String: Any]

  struct Kind {
    let group: String
    let version: String
    let kind: String
    let resource: String
  }

  nonisolated(unsafe) private static let document: [String: Any] = {
    let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8))
    return parsed as? [String: Any] ?? [:]
  }()

  static var schemas: [String: Schema] { document["schemas"] as? [String: Schema] ?? [:] }

  static var kinds: [Kind] {
    (document["kinds"] as? [[String: String]] ?? []).map {
      Kind(group: $0["group"] ?? "", version: $0["version"] ?? "", kind: $0["kind"] ?? "", resource: $0["resource"] ?? "")
    }
  }

  /// The schema of a kind: its x-kubernetes-group-version-kind names it.
  static func schema(of kind: Kind) -> Schema? {
    let prefix = "io.k8s.api." + (kind.group.isEmpty ? "core" : String(kind.group.split(separator: ".")[0]))
    return schemas[prefix + "." + kind.version + "." + kind.kind]
  }

  /// A `#/components/schemas/NAME` reference's schema.
  static func resolve(_ reference: Any?) -> Schema? {
    guard let reference = reference as? String, reference.hasPrefix("#/components/schemas/") else { return nil }
    return schemas[String(reference.dropFirst("#/components/schemas/".count))]
  }
}
