/// Durations as Go and kubectl write them. The simulator's clock counts milliseconds, so every
/// function here takes or returns milliseconds while following the nanosecond-based upstream
/// code exactly where whole milliseconds are involved.
public enum DurationText {
  /// Go's `time.ParseDuration` (`90s`, `1h30m`, `1.5h`, `-300ms`, `0`), in milliseconds.
  ///
  /// The arithmetic runs in nanoseconds as Go's does (including its float64 step for
  /// fractions), then rounds away from zero to a millisecond so that a non-zero duration never
  /// collapses to zero: `1ns` is 1 ms, `1.5ms` is 2 ms. A bare number other than `0` is an
  /// error, as in Go.
  public static func parse(_ text: String) throws(DurationError) -> Int64 {
    var rest = Array(text.utf8)[...]
    var negative = false
    if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      rest = rest.dropFirst()
    }
    if rest.elementsEqual("0".utf8) { return 0 }
    if rest.isEmpty { throw .invalid(text) }

    let limit: UInt64 = 1 << 63
    var total: UInt64 = 0
    while !rest.isEmpty {
      guard let first = rest.first, first == UInt8(ascii: ".") || isDigit(first) else {
        throw .invalid(text)
      }
      let before = rest.count
      guard let whole = leadingInt(&rest) else { throw .invalid(text) }
      let hasWhole = rest.count != before

      var fraction: UInt64 = 0
      var scale: Double = 1
      var hasFraction = false
      if rest.first == UInt8(ascii: ".") {
        rest = rest.dropFirst()
        let beforeFraction = rest.count
        (fraction, scale) = leadingFraction(&rest)
        hasFraction = rest.count != beforeFraction
      }
      // "." alone, as in ".s" or "-.s", has no digits at all.
      if !hasWhole && !hasFraction { throw .invalid(text) }

      let unitText = rest.prefix { !($0 == UInt8(ascii: ".") || isDigit($0)) }
      if unitText.isEmpty { throw .missingUnit(text) }
      rest = rest.dropFirst(unitText.count)
      guard let unit = unitNanoseconds(unitText) else {
        throw .unknownUnit(String(decoding: unitText, as: UTF8.self), in: text)
      }
      if whole > limit / unit { throw .invalid(text) }
      var value = whole * unit
      if fraction > 0 {
        // Go's float64 step keeps fractions of an hour nanosecond-accurate.
        value &+= UInt64(Double(fraction) * (Double(unit) / scale))
        if value > limit { throw .invalid(text) }
      }
      total &+= value
      if total > limit { throw .invalid(text) }
    }
    let nanoseconds: Int64
    if negative {
      nanoseconds = total == limit ? Int64.min : -Int64(total)
    } else {
      guard total < limit else { throw .invalid(text) }
      nanoseconds = Int64(total)
    }
    let (millis, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000)
    if remainder > 0 { return millis + 1 }
    if remainder < 0 { return millis - 1 }
    return millis
  }

  /// apimachinery `duration.HumanDuration`, the AGE column's format: about two or three
  /// significant figures (`119s`, `3m20s`, `10m`, `3h5m`, `8h`, `3d4h`, `2y10d`). Up to two
  /// seconds in the future read as `0s` to forgive clock skew; further is `<invalid>`.
  public static func human(_ milliseconds: Int64) -> String {
    let seconds = milliseconds / 1000
    if seconds < -1 { return "<invalid>" }
    if seconds < 0 { return "0s" }
    if seconds < 60 * 2 { return "\(seconds)s" }
    let minutes = milliseconds / 60_000
    if minutes < 10 {
      let second = seconds % 60
      return second == 0 ? "\(minutes)m" : "\(minutes)m\(second)s"
    }
    if minutes < 60 * 3 { return "\(minutes)m" }
    let hours = milliseconds / 3_600_000
    if hours < 8 {
      let minute = minutes % 60
      return minute == 0 ? "\(hours)h" : "\(hours)h\(minute)m"
    }
    if hours < 48 { return "\(hours)h" }
    if hours < 24 * 8 {
      let hour = hours % 24
      return hour == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hour)h"
    }
    if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
    if hours < 24 * 365 * 8 {
      let day = (hours / 24) % 365
      return day == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(day)d"
    }
    return "\(hours / 24 / 365)y"
  }

  /// apimachinery `duration.ShortHumanDuration`: one unit only (`45s`, `5m`, `3h`, `2d`, `1y`).
  public static func short(_ milliseconds: Int64) -> String {
    let seconds = milliseconds / 1000
    if seconds < -1 { return "<invalid>" }
    if seconds < 0 { return "0s" }
    if seconds < 60 { return "\(seconds)s" }
    let minutes = milliseconds / 60_000
    if minutes < 60 { return "\(minutes)m" }
    let hours = milliseconds / 3_600_000
    if hours < 24 { return "\(hours)h" }
    if hours < 24 * 365 { return "\(hours / 24)d" }
    return "\(hours / 24 / 365)y"
  }

  /// Go's `time.Duration.String()` for a whole number of milliseconds: `300ms`, `1.5s`,
  /// `1m30s`, `1h0m0s`, `0s`. Hours are the largest unit, as in Go.
  public static func goString(_ milliseconds: Int64) -> String {
    let sign = milliseconds < 0 ? "-" : ""
    let magnitude = milliseconds.magnitude
    if magnitude == 0 { return "0s" }
    if magnitude < 1000 { return "\(sign)\(magnitude)ms" }
    var fraction = ""
    if magnitude % 1000 != 0 {
      var digits = String(magnitude % 1000)
      digits = String(repeating: "0", count: 3 - digits.count) + digits
      while digits.last == "0" { digits.removeLast() }
      fraction = "." + digits
    }
    let seconds = magnitude / 1000
    var text = "\(seconds % 60)\(fraction)s"
    let minutes = seconds / 60
    if minutes > 0 {
      text = "\(minutes % 60)m" + text
      let hours = minutes / 60
      if hours > 0 { text = "\(hours)h" + text }
    }
    return sign + text
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// Go's `leadingInt`: nil on overflow past 2^63.
  private static func leadingInt(_ text: inout ArraySlice<UInt8>) -> UInt64? {
    var value: UInt64 = 0
    while let byte = text.first, isDigit(byte) {
      if value > (1 << 63) / 10 { return nil }
      value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
      if value > 1 << 63 { return nil }
      text = text.dropFirst()
    }
    return value
  }

  /// Go's `leadingFraction`: digits past 63 bits of precision are consumed but ignored.
  private static func leadingFraction(_ text: inout ArraySlice<UInt8>) -> (UInt64, Double) {
    var value: UInt64 = 0
    var scale: Double = 1
    var overflow = false
    while let byte = text.first, isDigit(byte) {
      text = text.dropFirst()
      if overflow { continue }
      if value > (1 << 63 - 1) / 10 {
        overflow = true
        continue
      }
      let next = value * 10 + UInt64(byte - UInt8(ascii: "0"))
      if next > 1 << 63 {
        overflow = true
        continue
      }
      value = next
      scale *= 10
    }
    return (value, scale)
  }

  private static func unitNanoseconds(_ unit: ArraySlice<UInt8>) -> UInt64? {
    switch Array(unit) {
    case Array("ns".utf8): 1
    // "us", U+00B5 micro sign and U+03BC Greek mu, compared as bytes because Swift's string
    // equality would not tell the two look-alike letters apart from a normalised form.
    case Array("us".utf8), [0xC2, 0xB5, 0x73], [0xCE, 0xBC, 0x73]: 1_000
    case Array("ms".utf8): 1_000_000
    case Array("s".utf8): 1_000_000_000
    case Array("m".utf8): 60_000_000_000
    case Array("h".utf8): 3_600_000_000_000
    default: nil
    }
  }
}

/// A duration that Go's `time.ParseDuration` rejects; `description` is Go's error text.
public struct DurationError: Error, Sendable, Hashable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }

  static func invalid(_ text: String) -> DurationError {
    DurationError("time: invalid duration " + quote(text))
  }

  static func missingUnit(_ text: String) -> DurationError {
    DurationError("time: missing unit in duration " + quote(text))
  }

  static func unknownUnit(_ unit: String, in text: String) -> DurationError {
    DurationError("time: unknown unit " + quote(unit) + " in duration " + quote(text))
  }

  /// The `time` package's own `quote`: bytes outside printable ASCII become `\xNN`.
  static func quote(_ text: String) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [UInt8(ascii: "\"")]
    for byte in text.utf8 {
      if byte >= 0x80 || byte < 0x20 {
        out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      } else {
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
          out.append(UInt8(ascii: "\\"))
        }
        out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
  }
}
