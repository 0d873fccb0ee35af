/// The run on a time axis: what changed the cluster's course — faults, nodes going and
/// coming, pods evicted or killed, scaling, failures — a line each under a mark, and the routine
/// events between them (pulls, starts) counted rather than listed. `(timeline)` has them all.
public struct TimelineChart {
  public init() {}

  /// The mark of a notable event, by its reason; nil for a routine one.
  static func mark(_ reason: String) -> Character? {
    switch reason {
    case "NodeNotReady", "NodeReady", "NodeNotSchedulable", "NodeSchedulable",
      "NodeHasInsufficientMemory", "NodeHasSufficientMemory", "NodeHasDiskPressure",
      "NodeHasNoDiskPressure", "RegisteredNode", "RemovingNode":
      return "N"
    case "Evicted", "TaintManagerEviction", "Killing", "Preempted", "OOMKilling":
      return "x"
    case "ScalingReplicaSet", "SuccessfulRescale", "SuccessfulCreate", "SuccessfulDelete",
      "Completed", "SawCompletedJob":
      return "^"
    case "BackOff", "Failed", "FailedScheduling", "FailedCreate", "Unhealthy", "BackoffLimitExceeded",
      "DeadlineExceeded", "FailedMount", "ProgressDeadlineExceeded":
      return "?"
    default: return nil
    }
  }

  public func render(_ cluster: Cluster, last: Int? = nil) -> String {
    var rows: [String] = []
    var quiet = 0
    func flushQuiet() {
      if quiet > 0 { rows.append("          :  ... \(quiet) routine event\(quiet == 1 ? "" : "s")") }
      quiet = 0
    }
    let recorder = cluster.recorder
    let faults = cluster.faultHistory
    var nextFault = 0
    func line(_ time: Millis, _ mark: Character, _ text: String) -> String {
      let clock = DurationText.goString(time)
      let room = 80 - 14
      let shown = text.count > room ? String(text.prefix(room - 1)) + "~" : text
      return String(repeating: " ", count: max(0, 9 - clock.count)) + clock + " " + String(mark)
        + "  " + shown
    }
    for (position, occurrence) in recorder.occurrences.enumerated() {
      while nextFault < faults.count && faults[nextFault].afterOccurrences <= position {
        flushQuiet()
        rows.append(line(faults[nextFault].time, "!", faults[nextFault].text))
        nextFault += 1
      }
      let event = recorder.events[occurrence.event]
      guard let mark = TimelineChart.mark(event.reason) else {
        quiet += 1
        continue
      }
      flushQuiet()
      rows.append(
        line(
          occurrence.time, mark,
          "\(event.involvedKind.lowercased())/\(event.involvedName) \(event.reason): \(event.message)"))
    }
    for fault in faults[nextFault...] {
      flushQuiet()
      rows.append(line(fault.time, "!", fault.text))
    }
    flushQuiet()
    let chosen = last.map { Array(rows.suffix($0)) } ?? rows
    let legend = "! fault  N node  x eviction or kill  ^ scaling  ? failure"
    return (chosen + [legend]).map { $0 + "\n" }.joined()
  }
}
