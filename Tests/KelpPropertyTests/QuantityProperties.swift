import KelpCluster
import PropertyBased
import Testing

/// A quantity as text, with its exact value computed independently of `Quantity`.
struct QuantityText: Sendable, CustomStringConvertible {
  var sign: String
  var integer: String
  var fraction: String?
  var suffix: String

  var text: String { sign + integer + (fraction.map { "." + $0 } ?? "") + suffix }
  var description: String { text.debugDescription }

  /// The exact amount times 10^12 (so in milli-units times 10^9): every generated text is an
  /// integer at that scale, and small enough for Int128.
  var exactPico: Int128 {
    let digits = integer + (fraction ?? "")
    var mantissa: Int128 = 0
    for digit in digits.utf8 { mantissa = mantissa * 10 + Int128(digit - UInt8(ascii: "0")) }
    var power = 12 - (fraction?.count ?? 0)
    if let shift = QuantityText.binaryShifts[suffix] {
      mantissa <<= shift
    } else if let exponent = QuantityText.decimalExponents[suffix] {
      power += exponent
    } else {
      power += Int(suffix.dropFirst()) ?? 0  // e3, E-2, e+1
    }
    for _ in 0..<power { mantissa *= 10 }
    return sign == "-" ? -mantissa : mantissa
  }

  /// Kelp's documented rounding: to milli-units, away from zero.
  var expectedMilli: Int128 {
    let (whole, rest) = exactPico.quotientAndRemainder(dividingBy: 1_000_000_000)
    return rest == 0 ? whole : whole + (rest > 0 ? 1 : -1)
  }

  static let decimalExponents = [
    "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
  ]
  static let binaryShifts = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
}

enum QuantityGen {
  static let digits = pick(Array("0123456789")).string(of: 0...4)

  static let suffix = Gen.frequency(
    (3, pick(Array(QuantityText.decimalExponents.keys).sorted()).eraseToAny()),
    (2, pick(Array(QuantityText.binaryShifts.keys).sorted()).eraseToAny()),
    (
      1,
      zip(pick(["e", "E"]), pick(["", "+", "-"]), Gen.int(in: 0...6)).map { e, sign, n in
        // Upstream reads `E` alone as exa; an exponent needs digits after it.
        e + sign + String(n)
      }.eraseToAny()
    ),
  )

  static let text = zip(
    pick(["", "", "-", "+"]), digits, pick(Array("0123456789")).string(of: 0...3).optional,
    suffix
  ).map { QuantityText(sign: $0, integer: $1, fraction: $2, suffix: $3) }

  static let format = pick(Quantity.Format.allCases)

  /// Any amount Kelp can hold: its magnitude is capped at Int64.max milli-units.
  static let milli = Gen.frequency(
    (3, Gen.int64(in: -Int64.max...Int64.max).eraseToAny()),
    (3, Gen.int64(in: -1_000_000_000...1_000_000_000).map { $0 * 1000 }.eraseToAny()),
    (
      2,
      zip(Gen.int64(in: -4096...4096), Gen.int(in: 0...4)).map { n, power in
        (0..<power).reduce(n * 1000) { value, _ in value * 1024 }
      }.eraseToAny()
    ),
    (1, pick([0, 1, -1, 999, 1000, 1024_000, Int64.max, -Int64.max] as [Int64]).eraseToAny()),
  )

  /// Amounts whose sums and differences cannot saturate.
  static let moderate = zip(Gen.int64(in: -(1 << 61)...(1 << 61)), format)
    .map { Quantity(milliValue: $0, format: $1) }
}

@Suite struct QuantityProperties {
  /// Parsing agrees with the exact value of the text, rounded to milli-units away from zero,
  /// and refuses exactly the texts whose value does not fit.
  @Test func parsingAgreesWithExactArithmetic() async {
    await forAll(QuantityGen.text, count: 3_000, seed: 0x5EED_0005) { generated in
      if generated.text.isEmpty {
        #expect(throws: QuantityError.formatWrong) { try Quantity(generated.text) }
        return
      }
      let expected = generated.expectedMilli
      if expected.magnitude > Int64.max.magnitude {
        #expect(throws: QuantityError.outOfRange) { try Quantity(generated.text) }
        return
      }
      let parsed = try Quantity(generated.text)
      try #require(Int128(parsed.milliValue) == expected)
    }
  }

  /// `parse(print(q)) == q` for any amount in any format, and for quantities parsed from text.
  /// The text settles after one reprint: upstream `CanonicalizeBytes` prints a binary amount
  /// that is no whole number of Ki, Mi, … as a plain integer, which reads back as DecimalSI
  /// (`62.5Ki` prints `64000`, which prints `64k`); other formats print the same text at once.
  @Test func printedQuantitiesParseBack() async {
    func check(_ quantity: Quantity) throws {
      let once = try Quantity(quantity.description)
      try #require(once == quantity, "\(quantity) read back as \(once.milliValue)m")
      let twice = try Quantity(once.description)
      try #require(twice == quantity)
      try #require(twice.description == once.description, "\(quantity) → \(once) → \(twice)")
      if quantity.format != .binarySI {
        try #require(once.description == quantity.description, "\(quantity) → \(once)")
      }
    }
    await forAll(zip(QuantityGen.milli, QuantityGen.format), count: 3_000, seed: 0x5EED_0006) {
      milli, format in
      try check(Quantity(milliValue: milli, format: format))
    }
    await forAll(QuantityGen.text, count: 3_000, seed: 0x5EED_0007) { generated in
      guard let parsed = try? Quantity(generated.text) else { return }
      try check(parsed)
    }
  }

  /// Sums and differences are exact while they fit: a + b − b == a, a + b == b + a.
  @Test func additionAndSubtractionUndoEachOther() async {
    await forAll(zip(QuantityGen.moderate, QuantityGen.moderate), count: 3_000, seed: 0x5EED_0008) {
      a, b in
      try #require((a + b - b) == a)
      try #require((a + b) == (b + a))
      try #require((a + b).milliValue == a.milliValue + b.milliValue)
      var running = a
      running += b
      running -= a
      try #require(running == b)
    }
  }

  /// Saturating arithmetic stays inside what Kelp can print and parse back.
  @Test func saturatedResultsStillParseBack() async {
    await forAll(zip(QuantityGen.milli, QuantityGen.milli), count: 2_000, seed: 0x5EED_0009) {
      a, b in
      let x = Quantity(milliValue: a, format: .decimalSI)
      let y = Quantity(milliValue: b, format: .decimalSI)
      for result in [x + y, x - y, y - x] {
        let reparsed = try Quantity(result.description)
        try #require(reparsed == result, "\(a)m, \(b)m: \(result) does not read back")
      }
    }
  }

  /// Order follows the exact value: a larger text is never a smaller quantity, and texts exact
  /// to the milli compare as their values do.
  @Test func orderingFollowsTheNumericValue() async {
    await forAll(zip(QuantityGen.text, QuantityGen.text), count: 3_000, seed: 0x5EED_000A) {
      first, second in
      guard let a = try? Quantity(first.text), let b = try? Quantity(second.text) else { return }
      let (x, y) = (first.exactPico, second.exactPico)
      if x < y { try #require(a <= b) }
      if x > y { try #require(a >= b) }
      if x % 1_000_000_000 == 0 && y % 1_000_000_000 == 0 {
        try #require((a < b) == (x < y))
        try #require((a == b) == (x == y))
      }
    }
  }
}
