/// The run as a story: every event occurrence (repeats included) and every injected fault, in
/// the order they happened, one line each. `(timeline)` prints it; a failing test prints its
/// tail; two runs with the same seed give the same text, byte for byte.
extension Cluster {
  /// The story's lines, oldest first; `last` keeps only the newest ones.
  public func timeline(last: Int? = nil) -> [String] {
    timelineLines(last: last).map(redactingSecrets)
  }

  private func timelineLines(last: Int?) -> [String] {
    let occurrences = recorder.occurrences
    let faults = faultHistory
    let total = occurrences.count + faults.count
    let first = max(0, total - (last ?? total))
    var lines: [String] = []
    lines.reserveCapacity(total - first)
    var nextFault = 0
    var nextEvent = 0
    var position = 0
    while nextFault < faults.count || nextEvent < occurrences.count {
      // A fault goes before the occurrences that followed it.
      let takeFault =
        nextFault < faults.count
        && (nextEvent >= occurrences.count || faults[nextFault].afterOccurrences <= nextEvent)
      if position >= first {
        if takeFault {
          let fault = faults[nextFault]
          lines.append(Cluster.timelineLine(fault.time, "FAULT", fault.text))
        } else {
          let (time, index) = occurrences[nextEvent]
          let event = recorder.events[index]
          let namespace =
            event.involvedNamespace.isEmpty || event.involvedNamespace == "default"
            ? "" : event.involvedNamespace + "/"
          lines.append(
            Cluster.timelineLine(
              time, event.type == "Warning" ? "Warning" : "",
              "\(namespace)\(event.involvedKind.lowercased())/\(event.involvedName)  "
                + "\(event.reason): \(event.message)"))
        }
      }
      if takeFault { nextFault += 1 } else { nextEvent += 1 }
      position += 1
    }
    return lines
  }

  private static func timelineLine(_ time: Millis, _ mark: String, _ text: String) -> String {
    let clock = DurationText.goString(time)
    let padded = String(repeating: " ", count: max(0, 10 - clock.count)) + clock
    let tag = mark + String(repeating: " ", count: max(0, 7 - mark.count))
    return "\(padded)  \(tag)  \(text)"
  }
}
