import Testing

@testable import KelpCluster

/// Expected strings are what apimachinery's `ParseQuantity(text).String()` returns.
@Suite struct QuantityTests {
  @Test(
    arguments: [
      ("1.5", "1500m"), ("0.5", "500m"), ("0.1", "100m"), ("1000m", "1"), ("100m", "100m"),
      ("500m", "500m"), ("2000Mi", "2000Mi"), ("1024Mi", "1Gi"), ("1536Mi", "1536Mi"),
      ("1.5Gi", "1536Mi"), ("128Mi", "128Mi"), ("1Gi", "1Gi"), ("1G", "1G"), ("1000M", "1G"),
      ("1k", "1k"), ("128974848", "128974848"), ("129e6", "129e6"), ("12e6", "12e6"),
      ("1e3", "1e3"), ("1.2e3", "1200"), ("1.3E+6", "1300e3"), ("1e-3", "1e-3"), ("0", "0"),
      ("00", "0"), ("0.0", "0"), ("-1", "-1"), ("-1.5", "-1500m"), ("1024Ki", "1Mi"),
      ("1025Ki", "1025Ki"), (".001Ki", "1024m"), ("100.035Ki", "102435840m"), ("5", "5"),
      ("0.5Mi", "512Ki"), ("10.03M", "10030k"),
    ] as [(String, String)])
  func quantitiesPrintInTheCanonicalFormKubernetesUses(_ text: String, _ expected: String)
    throws
  {
    #expect(try Quantity(text).description == expected)
  }

  @Test(
    arguments: [
      // Upstream's parse fast path caches the input whenever it "looks" canonical: a leading
      // sign or zero, an upper-case exponent, or a multiple of three decimals all survive.
      ("+1", "+1"), ("01", "01"), ("1E3", "1E3"), ("1e+3", "1e+3"), ("1.441", "1.441"),
      ("1.441k", "1.441k"), ("10.035M", "10.035M"), ("1.", "1."), ("1.G", "1.G"),
    ] as [(String, String)])
  func inputThatUpstreamTakesForCanonicalIsEchoedVerbatim(_ text: String, _ expected: String)
    throws
  {
    #expect(try Quantity(text).description == expected)
  }

  @Test(
    arguments: [
      ("1", Int64(1000)), ("1.5", 1500), ("250m", 250), ("1Ki", 1_024_000),
      ("1Mi", 1_048_576_000), ("1k", 1_000_000), ("1e3", 1_000_000), ("1E", nil),
      ("-2", -2000), (".", 0), ("+", 0), ("-", 0), ("Mi", 0), ("0.5e-1", 50),
    ] as [(String, Int64?)])
  func quantitiesKeepTheirExactValueInMilliUnits(_ text: String, _ milli: Int64?) {
    #expect((try? Quantity(text))?.milliValue == milli)
  }

  @Test(arguments: [
    ("100n", "1m", Int64(1)), ("100u", "1m", 1), ("1001u", "2m", 2),
    ("-100u", "-1m", -1), ("0.0001Ki", "103m", 103),
  ])
  func amountsFinerThanAMilliRoundAwayFromZero(_ text: String, _ printed: String, _ milli: Int64)
    throws
  {
    let quantity = try Quantity(text)
    #expect(quantity.milliValue == milli)
    #expect(quantity.description == printed)
  }

  @Test(arguments: [
    ("1Ki", Quantity.Format.binarySI), ("1", .decimalSI), ("1k", .decimalSI),
    ("1e3", .decimalExponent), ("1E3", .decimalExponent), ("1P", .decimalSI),
    ("0.5Ki", .binarySI), ("0.0001Ki", .decimalSI), ("0Mi", .binarySI),
  ])
  func theFormatFollowsTheSuffixAsUpstreamRemembersIt(_ text: String, _ format: Quantity.Format) {
    #expect((try? Quantity(text))?.format == format)
  }

  static let formatWrong =
    "quantities must match the regular expression "
    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
  static let badSuffix = "unable to parse quantity's suffix"

  @Test(arguments: [
    ("", formatWrong), ("1.1.M", formatWrong), ("1+1.0M", formatWrong), ("0.1am", formatWrong),
    ("aoeu", formatWrong), (" 1", formatWrong), ("1 ", formatWrong), ("1Gb", formatWrong),
    ("0.1mi", badSuffix), (".5i", badSuffix), ("1i", badSuffix), ("-3.01i", badSuffix),
    ("-3.01e-", badSuffix), ("1e", badSuffix), ("1Ki5", badSuffix),
  ])
  func malformedQuantitiesFailWithUpstreamsMessage(_ text: String, _ message: String) {
    #expect(throws: QuantityError.self) { try Quantity(text) }
    do {
      _ = try Quantity(text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test(arguments: ["8Ei", "1Ei", "10Pi", "1E", "9223372036854775.808"])
  func amountsBeyondSixtyFourBitMilliUnitsAreOutOfRange(_ text: String) {
    do {
      _ = try Quantity(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.kind == .outOfRange)
    }
  }

  @Test func theLargestAmountStillParses() throws {
    #expect(try Quantity("9223372036854775807m").milliValue == Int64.max)
    #expect(try Quantity("8Pi").description == "8Pi")
  }

  @Test(arguments: [
    ("1.5", Int64(2)), ("1", 1), ("1001m", 2), ("999m", 1), ("-1.5", -2), ("0", 0),
    ("128Mi", 134_217_728), ("100m", 1),
  ])
  func valueRoundsUpToAWholeUnitAsValueDoes(_ text: String, _ value: Int64) throws {
    #expect(try Quantity(text).value == value)
  }

  @Test(arguments: [
    (Int64(250), "250m"), (1000, "1"), (1500, "1500m"), (2000, "2"), (0, "0"), (-500, "-500m"),
  ])
  func cpuMillicoresPrintAsDecimalQuantities(_ millis: Int64, _ expected: String) {
    #expect(Quantity.cpu(millis: millis).description == expected)
  }

  @Test(arguments: [
    (Int64(134_217_728), "128Mi"), (1_073_741_824, "1Gi"), (1024, "1Ki"), (1536, "1536"),
    // Under 1Ki a binary quantity prints as decimal, so 1000 bytes is "1k" upstream too.
    (1000, "1k"), (500, "500"), (0, "0"),
  ])
  func byteCountsPrintWithBinarySuffixes(_ bytes: Int64, _ expected: String) {
    #expect(Quantity.bytes(bytes).description == expected)
  }

  @Test(arguments: [
    (Quantity.Format.decimalSI, Int64(1_500_000), "1500"), (.decimalExponent, 1_000_000, "1e3"),
    (.binarySI, 1_024_000, "1Ki"), (.binarySI, 1_023_000, "1023"), (.binarySI, 500, "500m"),
    (.binarySI, 1_048_576_500, "1048576500m"), (.decimalExponent, 80, "80e-3"),
  ])
  func milliValuesPrintInTheirFormat(_ format: Quantity.Format, _ milli: Int64, _ text: String) {
    #expect(Quantity(milliValue: milli, format: format).description == text)
  }

  @Test func quantitiesCompareByValueWhateverTheirSuffix() throws {
    #expect(try Quantity("1Gi") == Quantity("1024Mi"))
    #expect(try Quantity("1") == Quantity("1000m"))
    #expect(try Quantity("1k") == Quantity("1e3"))
    #expect(try Quantity("100m") > Quantity("50m"))
    #expect(try Quantity("1000T") > Quantity("100Gi"))
    #expect(try Set([Quantity("1Gi"), Quantity("1024Mi")]).count == 1)
  }

  @Test func addingToZeroTakesTheOtherFormatAsUpstreamAddDoes() throws {
    let sum = Quantity.zero + (try Quantity("1Gi"))
    #expect(sum.description == "1Gi")
    let total = try Quantity("100m") + Quantity("1.9")
    #expect(total.description == "2")
    var running = try Quantity("1Gi")
    running += try Quantity("512Mi")
    #expect(running.description == "1536Mi")
    running -= try Quantity("1536Mi")
    #expect(running == .zero)
    #expect(running.description == "0")
  }

  /// Found by the quantity property tests (Tests/KelpPropertyTests): saturating at Int64.min
  /// gave `-9223372036854775808m`, which does not parse back (the magnitude cap is Int64.max).
  @Test func saturatedArithmeticStillParsesBack() throws {
    let lowest = Quantity(milliValue: -Int64.max, format: .decimalSI)
    let one = try Quantity("1m")
    for result in [
      lowest - one, lowest + Quantity(milliValue: -5, format: .decimalSI),
      Quantity.zero - Quantity(milliValue: Int64.max, format: .decimalSI) - one,
      Quantity.bytes(Int64.min), Quantity.bytes(-Int64.max / 1000 - 1),
    ] {
      #expect(result.milliValue == -Int64.max)
      #expect(try Quantity(result.description) == result)
    }
    #expect((Quantity(milliValue: Int64.max, format: .decimalSI) + one).milliValue == Int64.max)
  }

  @Test func arithmeticForgetsTheEchoedInputText() throws {
    #expect((try Quantity("+1") + .zero).description == "1")
    #expect((try Quantity("1.441") - .zero).description == "1441m")
  }

  @Test func arithmeticSaturatesInsteadOfTrapping() {
    let big = Quantity(milliValue: Int64.max - 1, format: .decimalSI)
    #expect((big + Quantity.cpu(millis: 10)).milliValue == Int64.max)
    // Downwards too, at -Int64.max: Int64.min itself would print a text that does not parse.
    let small = Quantity(milliValue: Int64.min + 1, format: .decimalSI)
    #expect((small - Quantity.cpu(millis: 10)).milliValue == -Int64.max)
    #expect(Quantity.bytes(Int64.max).milliValue == Int64.max)
  }
}
