/// The cluster's only source of randomness: SplitMix64, seeded, so the same seed gives the same
/// names, uids, tie-breaks and traffic choices on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Names and uids, drawn from the cluster's seeded source.
final class IdentitySource {
  var random: SeededRandom

  init(random: SeededRandom) { self.random = random }

  /// The alphabet of `utilrand.String`: no vowels, no 0/1/3, so generated names never spell words.
  static let alphanumerics = Array("bcdfghjklmnpqrstvwxz2456789")

  /// Five characters, as `generateName` appends (`web-7d4b9c5f6-x2x9k` ends in one).
  func nameSuffix(length: Int = 5) -> String {
    String(
      (0..<length).map { _ in
        IdentitySource.alphanumerics[
          Int(random.next() % UInt64(IdentitySource.alphanumerics.count))]
      })
  }

  /// A version-4 UUID in its usual text form.
  func uid() -> String { uuidText(high: random.next(), low: random.next()) }

  func int(below bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
}
