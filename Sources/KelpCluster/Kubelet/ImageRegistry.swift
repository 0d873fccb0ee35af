/// The simulated image registry: every image exists and pulls at 50 MB/s after a one-second
/// round trip, unless a fault broke it (`break-image`).
public final class ImageRegistry {
  private(set) var broken: Set<String> = []

  public func breakImage(_ image: String) { broken.insert(image) }
  public func fixImage(_ image: String) { broken.remove(image) }

  /// What the runtime reports of an image, worked out once per image name.
  struct Facts {
    var sizeBytes: Int64
    var name: String
    var id: String
  }
  private var facts: [String: Facts] = [:]

  func facts(_ image: String) -> Facts {
    if let known = facts[image] { return known }
    let reference = ImageReference(image)
    let name = reference.fullyQualified
    let digest = (0..<4).map { hexDigits((name + String($0)).hashValueStable, width: 16) }.joined()
    let found = Facts(
      sizeBytes: ImageCatalog.entry(for: image).sizeBytes, name: name,
      id: reference.repositoryWithRegistry + "@sha256:" + digest)
    facts[image] = found
    return found
  }

  func size(_ image: String) -> Int64 { facts(image).sizeBytes }

  /// A pull of an image the node already has only checks the digest (imagePullPolicy Always).
  func pullTime(_ image: String, cached: Bool = false) -> Millis {
    cached ? 400 : 1_000 + size(image) / 50_000
  }

  /// The runtime's error for a pull that fails, or nil.
  func pullFailure(_ image: String) -> String? {
    guard broken.contains(image) else { return nil }
    let name = ImageReference(image).fullyQualified
    return "rpc error: code = NotFound desc = failed to pull and unpack image \"\(name)\": "
      + "failed to resolve reference \"\(name)\": \(name): not found"
  }
}
