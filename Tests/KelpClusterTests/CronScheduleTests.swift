import Foundation
import Testing

@testable import KelpCluster

/// Expected values follow robfig/cron v3 (`ParseStandard`, `SpecSchedule.Next`) and the CronJob
/// controller's `mostRecentScheduleTime` in Kubernetes v1.32. Virtual time 0 is
/// 2025-01-01T00:00:00Z, a Wednesday.
@Suite struct CronScheduleTests {
  /// Virtual time for a UTC wall time, from Foundation's calendar rather than the code under test.
  static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0)
    -> Millis
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
    let date = calendar.date(from: components) ?? .distantPast
    return Millis(date.timeIntervalSince1970) * 1000 - Timestamp.epochUnixSeconds * 1000
  }

  static func activations(
    _ text: String, in zone: String? = nil, after start: Millis, count: Int
  ) throws -> [String] {
    let schedule = try CronSchedule(parsing: text, timeZone: zone)
    var times: [String] = []
    var time = start
    while times.count < count, let next = schedule.next(after: time) {
      times.append(Timestamp.rfc3339(next))
      time = next
    }
    return times
  }

  @Test(
    arguments: [
      ("*/5 * * * *", utc(2025, 1, 1, 0, 3), "2025-01-01T00:05:00Z"),
      ("*/5 * * * *", utc(2025, 1, 1, 0, 5), "2025-01-01T00:10:00Z"),
      ("*/5 * * * *", utc(2025, 1, 1, 0, 5) - 1, "2025-01-01T00:05:00Z"),
      ("10/20 * * * *", utc(2025, 1, 1, 0, 31), "2025-01-01T00:50:00Z"),
      ("10/20 * * * *", utc(2025, 1, 1, 0, 50), "2025-01-01T01:10:00Z"),
      ("0 0 * * MON", 0, "2025-01-06T00:00:00Z"),
      ("0 0 * * sun", 0, "2025-01-05T00:00:00Z"),
      ("0 0 1 jan,JUL *", 0, "2025-07-01T00:00:00Z"),
      ("30 2 31 * *", utc(2025, 1, 31, 3), "2025-03-31T02:30:00Z"),
      ("30 2 31 * *", utc(2025, 3, 31, 3), "2025-05-31T02:30:00Z"),
      ("0 0 29 2 *", 0, "2028-02-29T00:00:00Z"),
      ("0 0 1 * *", 0, "2025-02-01T00:00:00Z"),
      ("59 23 31 12 *", 0, "2025-12-31T23:59:00Z"),
      ("@hourly", 0, "2025-01-01T01:00:00Z"),
      ("@hourly", utc(2025, 1, 1, 1) - 1, "2025-01-01T01:00:00Z"),
      ("@daily", utc(2025, 1, 1, 12), "2025-01-02T00:00:00Z"),
      ("@midnight", 0, "2025-01-02T00:00:00Z"),
      ("@weekly", 0, "2025-01-05T00:00:00Z"),
      ("@monthly", 0, "2025-02-01T00:00:00Z"),
      ("@yearly", 0, "2026-01-01T00:00:00Z"),
      ("@annually", 0, "2026-01-01T00:00:00Z"),
      // @every adds its delay to the start of the current second.
      ("@every 90m", 500, "2025-01-01T01:30:00Z"),
      ("@every 500ms", 1500, "2025-01-01T00:00:02Z"),
      ("@every 1m30.9s", 0, "2025-01-01T00:01:30Z"),
    ] as [(String, Millis, String)])
  func nextActivationInUTC(_ text: String, _ after: Millis, _ expected: String) throws {
    let next = try CronSchedule(parsing: text).next(after: after)
    #expect(next.map(Timestamp.rfc3339) == expected)
  }

  @Test func dayOfMonthAndDayOfWeekMatchEitherWhenNeitherIsAStar() throws {
    // Fridays, and the 13th (a Monday in January 2025).
    #expect(
      try Self.activations("0 0 13 * 5", after: 0, count: 4) == [
        "2025-01-03T00:00:00Z", "2025-01-10T00:00:00Z", "2025-01-13T00:00:00Z",
        "2025-01-17T00:00:00Z",
      ])
    #expect(
      try Self.activations("0 0 13 * *", after: 0, count: 2) == [
        "2025-01-13T00:00:00Z", "2025-02-13T00:00:00Z",
      ])
  }

  @Test func aSteppedStarIsNoLongerAStarForTheDayRule() throws {
    // `*/2` lists Sun, Tue, Thu, Sat, so the 1st OR those days match: Thursday the 2nd.
    #expect(try Self.activations("0 0 1 * */2", after: 0, count: 1) == ["2025-01-02T00:00:00Z"])
    // `*/1` keeps the star, so both must match: the 1st of the month, any weekday.
    #expect(try Self.activations("0 0 1 * */1", after: 0, count: 1) == ["2025-02-01T00:00:00Z"])
  }

  @Test func impossibleDatesHaveNoActivation() throws {
    #expect(try CronSchedule(parsing: "0 0 30 2 *").next(after: 0) == nil)
    #expect(try CronSchedule(parsing: "0 0 31 4,6,9,11 *").next(after: 0) == nil)
    #expect(try CronSchedule(parsing: ", * * * *").next(after: 0) == nil)
  }

  @Test func fieldsAreReadInTheTimeZone() throws {
    let weekdays = try CronSchedule(parsing: "0 9 * * 1-5", timeZone: "America/New_York")
    #expect(weekdays.next(after: 0).map(Timestamp.rfc3339) == "2025-01-01T14:00:00Z")
    // Saturday 4 January → Monday 6 January, 09:00 EST.
    #expect(
      weekdays.next(after: Self.utc(2025, 1, 3, 14)).map(Timestamp.rfc3339)
        == "2025-01-06T14:00:00Z")
    #expect(
      weekdays.next(after: Self.utc(2025, 7, 4, 12)).map(Timestamp.rfc3339)
        == "2025-07-04T13:00:00Z")
    let tokyo = try CronSchedule(parsing: "0 0 * * *", timeZone: "Asia/Tokyo")
    #expect(tokyo.next(after: 0).map(Timestamp.rfc3339) == "2025-01-01T15:00:00Z")
    #expect(try CronSchedule(parsing: "@hourly", timeZone: "").timeZone == nil)
  }

  @Test func springForwardSkipsAWallTimeThatDoesNotExist() throws {
    // 2025-03-09 has no 02:30 in New York; robfig fires again on the 10th, at 02:30 EDT.
    #expect(
      try Self.activations(
        "30 2 * * *", in: "America/New_York", after: Self.utc(2025, 3, 8), count: 2)
        == ["2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z"])
    let hours = try Self.activations(
      "@hourly", in: "America/New_York", after: Self.utc(2025, 3, 9, 5) - 1, count: 24)
    #expect(hours.firstIndex(of: "2025-03-10T04:00:00Z") == 23)
  }

  @Test func fallBackFiresTwiceInTheRepeatedHour() throws {
    // 01:30 EDT and again 01:30 EST, as robfig steps absolute time through the overlap.
    #expect(
      try Self.activations(
        "30 1 * * *", in: "America/New_York", after: Self.utc(2025, 11, 2), count: 3)
        == ["2025-11-02T05:30:00Z", "2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z"])
    let hours = try Self.activations(
      "@hourly", in: "America/New_York", after: Self.utc(2025, 11, 2, 4) - 1, count: 26)
    #expect(hours.firstIndex(of: "2025-11-03T05:00:00Z") == 25)
  }

  @Test(
    arguments: [
      ("", "empty spec string"),
      ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
      ("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"),
      ("0-70 * * * *", "end of range (70) above maximum (59): 0-70"),
      ("* 3-1 * * *", "beginning of range (3) beyond end of range (1): 3-1"),
      ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
      ("* * * * 7", "end of range (7) above maximum (6): 7"),
      ("* * * 13 *", "end of range (13) above maximum (12): 13"),
      ("x * * * *", #"failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax"#),
      (
        "* * * foo *", #"failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax"#
      ),
      (
        "99999999999999999999 * * * *",
        "failed to parse int from 99999999999999999999: strconv.Atoi: parsing "
          + #""99999999999999999999": value out of range"#
      ),
      ("*/0 * * * *", "step of range should be a positive number: */0"),
      ("*/-1 * * * *", "negative number (-1) not allowed: -1"),
      ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
      ("*/2/3 * * * *", "too many slashes: */2/3"),
      ("@weekdays", "unrecognized descriptor: @weekdays"),
      ("@every", "unrecognized descriptor: @every"),
      (
        "@every 5x", #"failed to parse duration @every 5x: time: unknown unit "x" in duration "5x""#
      ),
      ("TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
      (
        "CRON_TZ=Europe/Paris @daily",
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
      ),
      (
        "CRON_TZ=Mars/Base 0 * * * *",
        "provided bad location Mars/Base: unknown time zone Mars/Base"
      ),
    ] as [(String, String)])
  func invalidSchedulesFailWithRobfigsMessage(_ text: String, _ message: String) {
    #expect(throws: CronScheduleError(message)) { try CronSchedule(parsing: text) }
  }

  @Test func unknownTimeZonesAreRejected() {
    #expect(throws: CronScheduleError("unknown time zone Mars/Base")) {
      try CronSchedule(parsing: "0 * * * *", timeZone: "Mars/Base")
    }
  }

  @Test func mostRecentFindsTheLatestDueTimeAndCountsMissedOnes() throws {
    let fiveMinutes = try CronSchedule(parsing: "*/5 * * * *")
    let none = fiveMinutes.mostRecent(after: 0, notAfter: Self.utc(2025, 1, 1, 0, 3))
    #expect(none.time == nil && none.missed == 0)
    // One due time is upstream's `noneMissed`.
    let one = fiveMinutes.mostRecent(after: 0, notAfter: Self.utc(2025, 1, 1, 0, 7))
    #expect(one.time.map(Timestamp.rfc3339) == "2025-01-01T00:05:00Z" && one.missed == 0)
    let three = fiveMinutes.mostRecent(after: 0, notAfter: Self.utc(2025, 1, 1, 0, 17))
    #expect(three.time.map(Timestamp.rfc3339) == "2025-01-01T00:15:00Z" && three.missed == 3)

    // Five days and a half hour of @hourly: 120 missed, over upstream's limit of 100.
    let hourly = try CronSchedule(parsing: "@hourly")
    let many = hourly.mostRecent(after: 0, notAfter: Self.utc(2025, 1, 6, 0, 30))
    #expect(many.time.map(Timestamp.rfc3339) == "2025-01-06T00:00:00Z" && many.missed == 120)
  }

  @Test func mostRecentCountsWithTheFirstGapLikeUpstream() throws {
    let weekdays = try CronSchedule(parsing: "0 9 * * 1-5")
    // Mon 6 → Tue 7 is one day apart, so Mon, Tue and Wed give three.
    let even = weekdays.mostRecent(
      after: Self.utc(2025, 1, 3, 10), notAfter: Self.utc(2025, 1, 8, 12))
    #expect(even.time.map(Timestamp.rfc3339) == "2025-01-08T09:00:00Z" && even.missed == 3)
    // Fri 3 → Mon 6 is three days apart, so six real misses through Fri 10 count as three.
    let rough = weekdays.mostRecent(
      after: Self.utc(2025, 1, 2, 10), notAfter: Self.utc(2025, 1, 10, 12))
    #expect(rough.time.map(Timestamp.rfc3339) == "2025-01-10T09:00:00Z" && rough.missed == 3)
  }

  @Test func aDayOfFiveMinuteJobsInAZoneStaysCheap() throws {
    // About what advancing 24 h with 100 CronJobs every 5 minutes asks of `next`.
    let schedule = try CronSchedule(parsing: "*/5 * * * *", timeZone: "Europe/Berlin")
    var time: Millis = 0
    for _ in 0..<29_000 { time = try #require(schedule.next(after: time)) }
    #expect(time == 29_000 * 300_000)
  }
}
