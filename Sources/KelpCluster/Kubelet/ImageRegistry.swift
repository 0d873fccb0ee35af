/// The simulated image registry: every image exists and pulls at 50 MB/s after a one-second
/// round trip, unless a fault broke it (`break-image`).
public final class ImageRegistry {
  private(set) var broken: Set<String> = []
  /// Extra pull time per image (the slow-pull fault).
  var slowdown: [String: Millis] = [:]

  public func breakImage(_ image: String) { broken.insert(image) }
  public func fixImage(_ image: String) { broken.remove(image) }
  public func isBroken(_ image: String) -> Bool { broken.contains(image) }

  func size(_ image: String) -> Int64 { ImageCatalog.entry(for: image).sizeBytes }

  /// A pull of an image the node already has only checks the digest (imagePullPolicy Always).
  func pullTime(_ image: String, cached: Bool = false) -> Millis {
    (cached ? 400 : 1_000 + size(image) / 50_000) + (slowdown[image] ?? 0)
  }

  /// The runtime's error for a pull that fails, or nil.
  func pullFailure(_ image: String) -> String? {
    guard broken.contains(image) else { return nil }
    let name = ImageReference(image).fullyQualified
    return "rpc error: code = NotFound desc = failed to pull and unpack image \"\(name)\": "
      + "failed to resolve reference \"\(name)\": \(name): not found"
  }
}
