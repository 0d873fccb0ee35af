import Foundation

/// A CronJob's `spec.schedule` as the CronJob controller reads it: robfig/cron v3's
/// `ParseStandard` plus the API server's ban on inline `TZ=`, evaluated as robfig's
/// `SpecSchedule.Next` does, including its daylight-saving quirks: a wall time that a
/// spring-forward skips does not fire that day, and one that a fall-back repeats fires twice,
/// because robfig steps hours and minutes in absolute time and only matches wall-clock fields.
public struct CronSchedule: Hashable, Sendable {
  public let text: String
  /// The IANA zone the fields are read in; nil stands for the controller manager's zone, UTC.
  public let timeZone: String?
  private let rule: Rule
  private let zone: TimeZone?

  private enum Rule: Hashable, Sendable {
    case fields(Fields)
    case every(seconds: Int)
  }

  /// Bit sets as robfig keeps them: bit n for value n, bit 63 when the field was `*` or `?`.
  private struct Fields: Hashable, Sendable {
    var minute, hour, dayOfMonth, month, dayOfWeek: UInt64
  }

  private struct Bounds {
    let min, max: Int
    var names: [String: Int] = [:]
  }

  /// robfig's descriptors spelled as fields; they parse to the very bit sets robfig builds.
  private static let descriptors = [
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
  ]
  private static let starBit: UInt64 = 1 << 63
  private static let minutes = Bounds(min: 0, max: 59)
  private static let hours = Bounds(min: 0, max: 23)
  private static let daysOfMonth = Bounds(min: 1, max: 31)
  private static let months = Bounds(
    min: 1, max: 12, names: numbered("jan feb mar apr may jun jul aug sep oct nov dec", from: 1))
  private static let daysOfWeek = Bounds(
    min: 0, max: 6, names: numbered("sun mon tue wed thu fri sat", from: 0))

  private static func numbered(_ names: String, from first: Int) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: zip(names.split(separator: " ").map(String.init), first...))
  }

  public init(parsing text: String, timeZone: String? = nil) throws(CronScheduleError) {
    // The API server lists schedule errors before time-zone errors; the first one wins here.
    rule = try Self.parseStandard(text)
    if text.contains("TZ") {
      throw CronScheduleError("cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
    }
    self.text = text
    self.timeZone = timeZone?.isEmpty == false ? timeZone : nil
    if let name = self.timeZone {
      guard let zone = TimeZone(identifier: name) else {
        throw CronScheduleError("unknown time zone \(name)")
      }
      self.zone = zone
    } else {
      zone = nil
    }
  }

  /// The first activation strictly after `time`, or nil when none falls within five years.
  public func next(after time: Millis) -> Millis? {
    let second = Int(Timestamp.epochUnixSeconds) + Self.floorDiv(Int(time), 1000)
    let activation: Int
    switch rule {
    case .every(let delay): activation = second + delay
    case .fields(let fields):
      guard let found = nextActivation(of: fields, afterUnixSecond: second) else { return nil }
      activation = found
    }
    return (Int64(activation) - Timestamp.epochUnixSeconds) * 1000
  }

  /// Upstream `mostRecentScheduleTime`: the latest activation in (earliest, now] and its count
  /// of missed activations, which is 0 while at most one is due (upstream's `noneMissed`) and
  /// above 100 when the controller reports TooManyMissedTimes. Like upstream, the count
  /// divides the elapsed time by the gap between the first two activations, so it is rough
  /// for uneven schedules. Upstream's error for a schedule with fewer than two activations
  /// comes back as `(nil, 0)`.
  public func mostRecent(after earliest: Millis, notAfter now: Millis)
    -> (time: Millis?, missed: Int)
  {
    guard let first = next(after: earliest), now >= first else { return (nil, 0) }
    guard let second = next(after: first) else { return (nil, 0) }
    if now < second { return (first, 0) }
    let intervalSeconds = (second - first) / 1000
    let missed = (now - first) / 1000 / intervalSeconds + 1
    // Starting one interval early lets the schedule itself find the last activation.
    var candidate = next(after: first + (missed - 2) * intervalSeconds * 1000)
    var latest: Millis?
    while let time = candidate, time <= now {
      latest = time
      candidate = next(after: time)
    }
    return (latest, Int(missed))
  }

  // MARK: - Parsing (robfig/cron v3 parser.go)

  private static func parseStandard(_ text: String) throws(CronScheduleError) -> Rule {
    if text.isEmpty { throw CronScheduleError("empty spec string") }
    var spec = Substring(text)
    if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ="),
      let equals = spec.firstIndex(of: "="), let space = spec.firstIndex(of: " ")
    {
      let name = String(spec[spec.index(after: equals)..<space])
      // Go's `time.LoadLocation` takes "" as UTC and "Local" as the host's zone.
      if !["", "Local"].contains(name) && TimeZone(identifier: name) == nil {
        throw CronScheduleError("provided bad location \(name): unknown time zone \(name)")
      }
      spec = spec[space...].drop(while: \.isWhitespace)
      while spec.last?.isWhitespace == true { spec = spec.dropLast() }
    }
    if spec.hasPrefix("@") {
      guard let fields = descriptors[String(spec)] else { return try every(String(spec)) }
      spec = Substring(fields)
    }

    let fields = spec.split(whereSeparator: \.isWhitespace)
    guard fields.count == 5 else {
      throw CronScheduleError(
        "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
    }
    return .fields(
      Fields(
        minute: try field(fields[0], minutes), hour: try field(fields[1], hours),
        dayOfMonth: try field(fields[2], daysOfMonth), month: try field(fields[3], months),
        dayOfWeek: try field(fields[4], daysOfWeek)))
  }

  /// `@every <duration>`: Go's `time.ParseDuration`, which Kelp reads to the millisecond.
  private static func every(_ spec: String) throws(CronScheduleError) -> Rule {
    guard spec.hasPrefix("@every ") else {
      throw CronScheduleError("unrecognized descriptor: \(spec)")
    }
    let milliseconds: Int64
    do {
      milliseconds = try DurationText.parse(String(spec.dropFirst("@every ".count)))
    } catch {
      throw CronScheduleError("failed to parse duration \(spec): \(error.description)")
    }
    // robfig raises delays under a second to one and drops fractions of a second.
    return .every(seconds: Int(max(milliseconds, 1000) / 1000))
  }

  /// A comma-separated list of ranges; empty items are skipped, as Go's `FieldsFunc` does.
  private static func field(_ text: Substring, _ bounds: Bounds) throws(CronScheduleError)
    -> UInt64
  {
    var result: UInt64 = 0
    for expression in text.split(separator: ",") { result |= try range(expression, bounds) }
    return result
  }

  private static func range(_ expression: Substring, _ bounds: Bounds) throws(CronScheduleError)
    -> UInt64
  {
    let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false)
    let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
    var start = bounds.min
    var end = bounds.max
    var star = lowAndHigh[0] == "*" || lowAndHigh[0] == "?"
    if !star {
      start = try integer(lowAndHigh[0], names: bounds.names)
      switch lowAndHigh.count {
      case 1: end = start
      case 2: end = try integer(lowAndHigh[1], names: bounds.names)
      default: throw CronScheduleError("too many hyphens: \(expression)")
      }
    }
    var step = 1
    switch rangeAndStep.count {
    case 1: break
    case 2:
      step = try integer(rangeAndStep[1])
      if lowAndHigh.count == 1 { end = bounds.max }
      // `*/2` in a day field is a list, not a wildcard, for the AND/OR day rule.
      if step > 1 { star = false }
    default: throw CronScheduleError("too many slashes: \(expression)")
    }
    if start < bounds.min {
      throw CronScheduleError(
        "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)")
    }
    if end > bounds.max {
      throw CronScheduleError("end of range (\(end)) above maximum (\(bounds.max)): \(expression)")
    }
    if start > end {
      throw CronScheduleError(
        "beginning of range (\(start)) beyond end of range (\(end)): \(expression)")
    }
    if step == 0 {
      throw CronScheduleError("step of range should be a positive number: \(expression)")
    }
    return bits(start, end, step) | (star ? starBit : 0)
  }

  /// Go's `strconv.Atoi` (an optional sign, then decimal digits), or a month or weekday name.
  private static func integer(_ text: Substring, names: [String: Int] = [:])
    throws(CronScheduleError) -> Int
  {
    if let named = names[text.lowercased()] { return named }
    // Swift's `Int(_:)` accepts exactly what Atoi does; only the reason needs telling apart.
    guard let number = Int(text) else {
      let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : text
      let isSyntax = digits.isEmpty || !digits.allSatisfy { $0.isASCII && $0.isNumber }
      throw CronScheduleError(
        "failed to parse int from \(text): strconv.Atoi: parsing \(goQuote(String(text))): "
          + (isSyntax ? "invalid syntax" : "value out of range"))
    }
    if number < 0 { throw CronScheduleError("negative number (\(number)) not allowed: \(text)") }
    return number
  }

  private static func bits(_ start: Int, _ end: Int, _ step: Int) -> UInt64 {
    stride(from: start, through: end, by: step).reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
  }

  // MARK: - Evaluation (robfig/cron v3 spec.go)

  private struct WallClock {
    var year, month, day, hour, minute, second, weekday: Int
  }

  /// robfig's field-wise search, on Unix seconds, with the same wrap-arounds, so that its
  /// daylight-saving behaviour carries over. Minutes and seconds jump straight to the next
  /// candidate instead of stepping one at a time; with whole-hour DST shifts that is the same.
  private func nextActivation(of fields: Fields, afterUnixSecond second: Int) -> Int? {
    let realBits = ~Self.starBit
    if fields.minute & realBits == 0 || fields.hour & realBits == 0
      || fields.month & realBits == 0
    {
      return nil  // robfig would search five years minute by minute to find nothing
    }
    var time = second + 1
    var added = false
    let yearLimit = wallClock(time).year + 5
    wrap: while true {
      var wall = wallClock(time)
      if wall.year > yearLimit { return nil }
      while fields.month & 1 << UInt64(wall.month) == 0 {
        if !added {
          added = true
          (time, wall) = date(wall.year, wall.month, 1, 0, 0, 0)
        }
        (time, wall) = date(
          wall.year, wall.month + 1, wall.day, wall.hour, wall.minute, wall.second)
        if wall.month == 1 { continue wrap }
      }
      while !dayMatches(fields, wall) {
        if !added {
          added = true
          (time, wall) = date(wall.year, wall.month, wall.day, 0, 0, 0)
        }
        (time, wall) = date(
          wall.year, wall.month, wall.day + 1, wall.hour, wall.minute, wall.second)
        // Where DST moves midnight, robfig pulls the day's start back to the nearest midnight.
        if wall.hour != 0 {
          time += (wall.hour > 12 ? 24 - wall.hour : -wall.hour) * 3600
          wall = wallClock(time)
        }
        if wall.day == 1 { continue wrap }
      }
      while fields.hour & 1 << UInt64(wall.hour) == 0 {
        if !added {
          added = true
          (time, wall) = date(wall.year, wall.month, wall.day, wall.hour, 0, 0)
        }
        time += 3600
        wall = wallClock(time)
        if wall.hour == 0 { continue wrap }
      }
      while fields.minute & 1 << UInt64(wall.minute) == 0 {
        if !added {
          added = true
          time -= wall.second
        }
        let later: Int =
          (wall.minute + 1..<60).first(where: { fields.minute & 1 << UInt64($0) != 0 }) ?? 60
        time += (later - wall.minute) * 60
        wall = wallClock(time)
        if wall.minute == 0 { continue wrap }
      }
      // Standard specs fire at second 0; reaching it means a new minute, so look again.
      if wall.second != 0 {
        added = true
        time += 60 - wall.second
        continue wrap
      }
      return time
    }
  }

  private func dayMatches(_ fields: Fields, _ wall: WallClock) -> Bool {
    let dayOfMonth = fields.dayOfMonth & 1 << UInt64(wall.day) != 0
    let dayOfWeek = fields.dayOfWeek & 1 << UInt64(wall.weekday) != 0
    if (fields.dayOfMonth | fields.dayOfWeek) & Self.starBit != 0 {
      return dayOfMonth && dayOfWeek
    }
    return dayOfMonth || dayOfWeek
  }

  private func utcOffset(atUnixSecond time: Int) -> Int {
    guard let zone else { return 0 }
    return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time)))
  }

  private func wallClock(_ time: Int) -> WallClock {
    let local = time + utcOffset(atUnixSecond: time)
    let days = Self.floorDiv(local, 86_400)
    let secondOfDay = local - days * 86_400
    let (year, month, day) = Self.civilDate(daysSinceUnixEpoch: days)
    return WallClock(
      year: year, month: month, day: day, hour: secondOfDay / 3600,
      minute: secondOfDay / 60 % 60, second: secondOfDay % 60,
      weekday: ((days + 4) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
  }

  /// Go's `time.Date` in the schedule's zone: out-of-range months and days roll over, and a
  /// wall time that does not exist or exists twice resolves as Go resolves it.
  private func date(
    _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int
  ) -> (Int, WallClock) {
    let extraYears = Self.floorDiv(month - 1, 12)
    let days = Self.daysSinceUnixEpoch(year + extraYears, month - extraYears * 12, 1) + day - 1
    let local = days * 86_400 + hour * 3600 + minute * 60 + second
    let guess = local - utcOffset(atUnixSecond: local)
    let time = local - utcOffset(atUnixSecond: guess)
    return (time, wallClock(time))
  }

  private static func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
  }

  /// Howard Hinnant's civil-from-days and days-from-civil algorithms.
  private static func civilDate(daysSinceUnixEpoch days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func daysSinceUnixEpoch(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = floorDiv(shiftedYear, 400)
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}

/// Why a schedule or time zone was rejected; `message` is robfig's or the API server's text.
public struct CronScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public var description: String { message }

  public init(_ message: String) { self.message = message }
}

extension CronSchedule {
  /// The instant as RFC 3339 in the schedule's zone (`2025-01-01T09:00:00+09:00`), as Go's
  /// `t.In(zone).Format(time.RFC3339)` prints it: `Z` whenever the offset is zero.
  public func localRFC3339(_ time: Millis) -> String {
    guard let zone else { return Timestamp.rfc3339(time) }
    let unixSeconds = Timestamp.epochUnixSeconds + time / 1000
    let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds)))
    guard offset != 0 else { return Timestamp.rfc3339(time) }
    let local = Timestamp.rfc3339(time + Millis(offset) * 1000).dropLast()
    let minutes = abs(offset) / 60
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(local)\(offset < 0 ? "-" : "+")\(two(minutes / 60)):\(two(minutes % 60))"
  }
}
