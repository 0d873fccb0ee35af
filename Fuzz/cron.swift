// libFuzzer target: the CronJob schedule parser and its next-activation search.
//
// The input's first line is `spec.schedule`, its second line (if any) `spec.timeZone`. A schedule
// that parses is asked for its next activations from a few instants (the epoch, a daylight-saving
// change, far in the future) and for its most recent activation over a month, as the CronJob
// controller asks. A parse error is the expected answer to most inputs; a crash (an arithmetic
// overflow, say) or a hang is a finding.
import KelpCluster

private let day: Millis = 86_400_000
private let instants: [Millis] = [0, 1, 59_999, 90 * day + 3_600_000, 300 * day, 365 * 20 * day]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  let timeZone = lines.count > 1 ? String(lines[1]) : nil
  guard let schedule = try? CronSchedule(parsing: String(lines[0]), timeZone: timeZone) else {
    return 0
  }
  for instant in instants {
    var time = instant
    for _ in 0..<3 {
      guard let next = schedule.next(after: time) else { break }
      time = next
    }
  }
  _ = schedule.mostRecent(after: 0, notAfter: 31 * day)
  _ = schedule.mostRecent(after: 5 * day, notAfter: 6 * day)
  return 0
}
