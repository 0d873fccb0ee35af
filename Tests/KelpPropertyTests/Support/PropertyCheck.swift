import Foundation
import PropertyBased
import Testing

/// Runs a property over `count` inputs drawn from `input`, deterministically.
///
/// swift-property-based's `propertyCheck` draws a fresh system-random seed for every run, and its
/// `.fixedSeed` trait always records an issue (it is a debugging aid, not for CI). So in CI each
/// iteration gets its own `Xoshiro` state derived from `seed` and the iteration number
/// (SplitMix64), and the generator runs on it: the same seed gives the same inputs on every run
/// and every machine. The body states the property with `try #require(...)` (or throws): the
/// first iteration that throws stops the run, with an issue that names its input and its Xoshiro
/// seed. (A plain `#expect` failure is recorded too, but cannot stop the run or name the input:
/// Swift Testing has no public way to count the issues a closure recorded.)
///
/// To hunt for new counterexamples with random seeds and the library's shrinking, run with
/// `KELP_PROPERTY_EXPLORE=1`: the same properties then go through `propertyCheck`. To shrink a
/// failure seen in CI, put the `.fixedSeed("…")` the failure message gives on the `@Test` and run
/// with `KELP_PROPERTY_EXPLORE=1`: the library then replays exactly that input and shrinks it.
///
/// The simulator properties also count how often their inputs reach the interesting cases
/// (QuickCheck's `cover`), so a generator that drifts into trivial inputs fails loudly; the
/// thresholds are about half of what the fixed seeds reach, so random seeds meet them too.
func forAll<Input, Shrinks: Sequence>(
  _ input: Generator<Input, Shrinks>,
  count: Int,
  seed: UInt64,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: (Input) throws -> Void
) async {
  if ProcessInfo.processInfo.environment["KELP_PROPERTY_EXPLORE"] != nil {
    await propertyCheck(count: count, input: input, perform: body, sourceLocation: sourceLocation)
    return
  }
  for iteration in 0..<count {
    var rng = Xoshiro(seed: PropertySeeds.state(seed: seed, iteration: iteration))
    let replay = rng.currentSeed
    let value = input.run(using: &rng)
    do {
      try body(value)
    } catch {
      if !(error is ExpectationFailedError) {
        Issue.record(error, sourceLocation: sourceLocation)
      }
      Issue.record(
        """
        Property failed at iteration \(iteration) of \(count) (seed 0x\(String(seed, radix: 16))) with input:
        \(value)
        To shrink it: add `.fixedSeed("\(replay)")` to the Test and run with KELP_PROPERTY_EXPLORE=1.
        """,
        sourceLocation: sourceLocation)
      return
    }
  }
}

/// SplitMix64, the usual way to spread one seed over independent generator states.
enum PropertySeeds {
  static func state(seed: UInt64, iteration: Int) -> (UInt64, UInt64, UInt64, UInt64) {
    var x = seed &+ UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    return (next(), next(), next(), next())
  }
}

/// One of `values`, uniformly (the library's `element(of:)` yields optionals, for empty
/// collections).
func pick<T: Sendable>(_ values: [T]) -> Generator<T, Shrink.None<T?>> {
  precondition(!values.isEmpty)
  return Gen<T?>.element(of: values).map { $0 ?? values[0] }
}
