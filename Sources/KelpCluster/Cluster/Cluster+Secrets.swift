import Foundation

/// Secrets stay secret: every text Kelp shows about the cluster — kubectl's describe, events,
/// logs and errors, the `(events)` messages, the timeline, notebook diffs — goes through
/// `redactingSecrets`, which writes `***` (as CI systems mask secrets) for any Secret value it
/// contains. A value comes out in clear only when asked for: by name with `(secret-value NAME
/// KEY)`, or from inside a container with `exec`/`read-file` (a program that reads its own
/// secret gets it). `get -o yaml|json` shows `data` base64-encoded, as kubectl does.
extension Cluster {
  /// What a Secret value is replaced with.
  public static let secretMark = "***"

  /// Values shorter than this are left alone: masking every `a` or `on` would garble all output,
  /// and so short a value hides nothing.
  public static let shortestMaskedSecret = 4

  /// Every Secret value in the cluster (decoded; `stringData` is already merged into `data`) of
  /// at least `shortestMaskedSecret` characters, longest first so that a value containing
  /// another is masked whole, and each line of a multi-line value on its own too.
  public var secretTexts: [String] {
    var texts = Set<String>()
    for secret in store.secrets.list() {
      for bytes in secret.data.values {
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for candidate in [text, trimmed] + trimmed.split(separator: "\n").map(String.init)
        where candidate.count >= Cluster.shortestMaskedSecret
          && candidate.trimmingCharacters(in: .whitespaces).count >= Cluster.shortestMaskedSecret
        {
          texts.insert(candidate)
        }
      }
    }
    return texts.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
  }

  /// The text with every Secret value masked.
  public func redactingSecrets(_ text: String) -> String {
    guard !store.secrets.list().isEmpty else { return text }
    return Cluster.redacting(secretTexts, in: text)
  }

  /// The text with each of `secrets` (longest first) masked.
  public static func redacting(_ secrets: [String], in text: String) -> String {
    var result = text
    for secret in secrets where result.contains(secret) {
      result = result.replacingOccurrences(of: secret, with: Cluster.secretMark)
    }
    return result
  }

  /// A Secret key's value in clear, for `(secret-value NAME KEY)`; nil when there is none.
  public func secretValue(namespace: String, name: String, key: String) -> String? {
    store.secrets.get(namespace, name)?.data[key].map { String(decoding: $0, as: UTF8.self) }
  }
}
