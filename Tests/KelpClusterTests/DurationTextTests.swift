import Testing

@testable import KelpCluster

/// Expected values are Go's `time.ParseDuration`/`Duration.String()` and apimachinery's
/// `duration.HumanDuration`/`ShortHumanDuration`, converted to milliseconds.
@Suite struct DurationTextTests {
  @Test(
    arguments: [
      ("90s", Int64(90_000)), ("1h30m", 5_400_000), ("1.5h", 5_400_000), ("300ms", 300),
      ("2m3s", 123_000), ("0", 0), ("-0", 0), ("+0", 0), ("0s", 0), ("-1.5s", -1500),
      ("+5s", 5000), (".5s", 500), ("1.s", 1000), ("1h0m0s", 3_600_000), ("1m1.001s", 61_001),
      ("2562047h47m16.854775807s", 9_223_372_036_855),
      ("-2562047h47m16.854775808s", -9_223_372_036_855),
      ("3.000000000000000000001h", 10_800_000), ("1.000000001s", 1001),
    ] as [(String, Int64)])
  func goDurationsParseToMilliseconds(_ text: String, _ milliseconds: Int64) throws {
    #expect(try DurationText.parse(text) == milliseconds)
  }

  @Test(arguments: [
    ("1ns", Int64(1)), ("1us", 1), ("1µs", 1), ("1μs", 1), ("999999ns", 1), ("1000000ns", 1),
    ("1.5ms", 2), ("-1ns", -1), ("1000001ns", 2),
  ])
  func subMillisecondRemaindersRoundAwayFromZero(_ text: String, _ milliseconds: Int64) throws {
    #expect(try DurationText.parse(text) == milliseconds)
  }

  @Test(
    arguments: [
      ("5", #"time: missing unit in duration "5""#),
      ("00", #"time: missing unit in duration "00""#),
      ("1h30", #"time: missing unit in duration "1h30""#),
      ("1d", #"time: unknown unit "d" in duration "1d""#),
      ("1 s", #"time: unknown unit " s" in duration "1 s""#),
      ("2S", #"time: unknown unit "S" in duration "2S""#),
      ("1é", #"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#),
      ("x", #"time: invalid duration "x""#),
      ("", #"time: invalid duration """#),
      ("-", #"time: invalid duration "-""#),
      (".s", #"time: invalid duration ".s""#),
      ("-.s", #"time: invalid duration "-.s""#),
      ("s", #"time: invalid duration "s""#),
      ("9223372037s", #"time: invalid duration "9223372037s""#),
      ("2562047h47m16.854775808s", #"time: invalid duration "2562047h47m16.854775808s""#),
    ] as [(String, String)])
  func invalidDurationsFailWithGosMessage(_ text: String, _ message: String) {
    do {
      _ = try DurationText.parse(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test(
    arguments: [
      (Int64(0), "0s"), (999, "0s"), (5000, "5s"), (59_000, "59s"), (119_000, "119s"),
      (120_000, "2m"), (200_000, "3m20s"), (540_000, "9m"), (599_000, "9m59s"), (600_000, "10m"),
      (10_799_000, "179m"), (10_800_000, "3h"), (11_100_000, "3h5m"), (28_799_000, "7h59m"),
      (28_800_000, "8h"), (169_200_000, "47h"), (172_800_000, "2d"), (273_600_000, "3d4h"),
      (691_200_000, "8d"), (63_071_999_000, "729d"), (63_072_000_000, "2y"),
      (63_936_000_000, "2y10d"), (252_288_000_000, "8y"), (-500, "0s"), (-1999, "0s"),
      (-2000, "<invalid>"),
    ] as [(Int64, String)])
  func humanDurationsMatchKubectlsAgeColumn(_ milliseconds: Int64, _ expected: String) {
    #expect(DurationText.human(milliseconds) == expected)
  }

  @Test(arguments: [
    (Int64(0), "0s"), (5000, "5s"), (59_999, "59s"), (60_000, "1m"), (119_000, "1m"),
    (3_599_000, "59m"), (3_600_000, "1h"), (86_399_000, "23h"), (86_400_000, "1d"),
    (31_535_999_000, "364d"), (31_536_000_000, "1y"), (63_936_000_000, "2y"), (-1000, "0s"),
    (-2000, "<invalid>"),
  ])
  func shortHumanDurationsKeepOneUnit(_ milliseconds: Int64, _ expected: String) {
    #expect(DurationText.short(milliseconds) == expected)
  }

  @Test(
    arguments: [
      (Int64(0), "0s"), (1, "1ms"), (300, "300ms"), (999, "999ms"), (1000, "1s"), (1500, "1.5s"),
      (1050, "1.05s"), (61_001, "1m1.001s"), (90_000, "1m30s"), (120_000, "2m0s"),
      (3_600_000, "1h0m0s"), (3_723_450, "1h2m3.45s"), (90_000_000, "25h0m0s"),
      (-1500, "-1.5s"), (-300, "-300ms"),
    ] as [(Int64, String)])
  func goStringMatchesGoDurationString(_ milliseconds: Int64, _ expected: String) {
    #expect(DurationText.goString(milliseconds) == expected)
  }

  @Test(arguments: ["1m30s", "300ms", "1h0m0s", "1.5s", "25h0m0s", "-2m3.004s", "0s"])
  func goStringOutputParsesBackToTheSameDuration(_ text: String) throws {
    #expect(DurationText.goString(try DurationText.parse(text)) == text)
  }
}
