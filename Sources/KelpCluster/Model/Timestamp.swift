/// Virtual time: milliseconds since the cluster started. Printed as RFC 3339 against a fixed
/// epoch so that manifests and `-o yaml` look like a real server's and stay deterministic.
public typealias Millis = Int64

public enum Timestamp {
  /// The wall-clock instant virtual time 0 stands for: 2025-01-01T00:00:00Z, in Unix seconds.
  public static let epochUnixSeconds: Int64 = 1_735_689_600

  /// `2025-01-01T00:01:30Z` for 90 s of virtual time (seconds precision, as metav1.Time).
  public static func rfc3339(_ time: Millis) -> String {
    let seconds = epochUnixSeconds + floorDiv(time, 1000)
    let days = floorDiv(seconds, 86_400)
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civilDate(daysSinceUnixEpoch: days)
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):"
      + "\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
  }

  /// Describe's date format: `Wed, 01 Jan 2025 00:01:30 +0000`.
  public static func rfc1123(_ time: Millis) -> String {
    let seconds = epochUnixSeconds + floorDiv(time, 1000)
    let days = floorDiv(seconds, 86_400)
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civilDate(daysSinceUnixEpoch: days)
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    let weekday = weekdays[Int(((days % 7) + 7) % 7)]
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(year) "
      + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
  }

  private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : -((-a + b - 1) / b)
  }

  /// Howard Hinnant's days-to-civil algorithm.
  private static func civilDate(daysSinceUnixEpoch days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }
}
