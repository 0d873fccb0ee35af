/// An image name split as the container runtime reads it: `registry:5000/team/app:1.2`.
public struct ImageReference: Hashable, Sendable {
  public var repository: String
  /// `latest` when the reference names no tag and no digest.
  public var tag: String
  public var digest: String

  public init(_ reference: String) {
    var rest = Substring(reference)
    digest = ""
    if let at = rest.firstIndex(of: "@") {
      digest = String(rest[rest.index(after: at)...])
      rest = rest[..<at]
    }
    // A colon after the last slash separates the tag; one before it is a registry port.
    let lastSlash = rest.lastIndex(of: "/")
    if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
      repository = String(rest[..<colon])
      tag = String(rest[rest.index(after: colon)...])
    } else {
      repository = String(rest)
      tag = digest.isEmpty ? "latest" : ""
    }
  }

  /// The last path component without registry: `nginx` for `docker.io/library/nginx:1.25`.
  public var shortName: String {
    String(repository.split(separator: "/").last ?? Substring(repository))
  }

  /// `docker.io/library/nginx`: the repository with its registry, as image IDs name it.
  public var repositoryWithRegistry: String {
    let full = ImageReference(fullyQualified)
    return full.repository
  }

  /// The name as the runtime reports it in `status.containerStatuses[].image`.
  public var fullyQualified: String {
    let firstPart = repository.split(separator: "/").first.map(String.init) ?? repository
    let hasRegistry =
      repository.contains("/")
      && (firstPart.contains(".") || firstPart.contains(":") || firstPart == "localhost")
    var name = repository
    if !hasRegistry {
      name =
        repository.contains("/") ? "docker.io/" + repository : "docker.io/library/" + repository
    }
    if !digest.isEmpty && tag.isEmpty { return name + "@" + digest }
    return name + ":" + tag
  }
}
