/// A ConfigMap: configuration as text (`data`) and bytes (`binaryData`, base64 in manifests),
/// consumed by pods as environment variables or files.
public struct ConfigMap: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var data: [String: String] = [:]
  /// Decoded bytes, by key; manifests and `-o yaml` carry them as base64.
  public var binaryData: [String: [UInt8]] = [:]
  /// Optional as upstream's `*bool` is: a manifest that writes `immutable: false` reads it
  /// back, one that leaves it out does not.
  public var immutable: Bool?

  public init(metadata: ObjectMeta) { self.metadata = metadata }

  /// Whether the values are frozen: only labels and annotations may change, and deleting is
  /// the only way to change the data.
  public var isImmutable: Bool { immutable == true }

  /// What counts against the 1 MiB limit: the bytes of every value, text and binary.
  public var valueBytes: Int {
    data.values.reduce(0) { $0 + $1.utf8.count } + binaryData.values.reduce(0) { $0 + $1.count }
  }
}

extension ConfigMap {
  static let keyFormat = "[-._a-zA-Z0-9]+"
  static let keyMessage =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

  /// Upstream `validation.IsConfigMapKey`, the rule for ConfigMap and Secret keys alike: a
  /// key becomes a file name in a volume, so it may not be `.`, `..` or start with `..`.
  public static func keyProblems(_ key: String) -> [String] {
    var problems: [String] = []
    let bytes = key.utf8
    if bytes.count > Validation.dns1123SubdomainMaxLength {
      problems.append(Validation.maxLenError(Validation.dns1123SubdomainMaxLength))
    }
    let allowed = { (byte: UInt8) -> Bool in
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"):
        return true
      default: return false
      }
    }
    if bytes.isEmpty || !bytes.allSatisfy(allowed) {
      problems.append(
        Validation.regexError(
          keyMessage, keyFormat, examples: ["key.name", "KEY_NAME", "key-name"]))
    }
    if key == "." {
      problems.append("must not be '.'")
    } else if key == ".." {
      problems.append("must not be '..'")
    } else if key.hasPrefix("..") {
      problems.append("must not start with '..'")
    }
    return problems
  }
}
