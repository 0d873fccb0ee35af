/// Turns a `LispError` into the text a user reads. The only place that formats errors.
public enum ErrorRenderer {
  /// `file:line:col: error: message`, then the hint and the call trace, one per line.
  public static func render(_ error: LispError, color: Bool = false) -> String {
    var text = ""
    if let location = error.location { text += "\(location): " }
    // The kind goes in the label unless the message already says it ("assertion failed: ...").
    let plain =
      error.kind == .user || error.kind == .value || error.message.hasPrefix(error.kind.rawValue)
    let label = plain ? "error" : "error (\(error.kind.rawValue))"
    text += color ? "\u{1B}[1;31m\(label):\u{1B}[0m " : "\(label): "
    text += error.message
    if let hint = error.hint { text += "\n  hint: \(hint)" }
    for (index, entry) in error.trace.enumerated() {
      let repeats = index == error.trace.count - 1 && error.lastTraceRepeats > 1
      text += "\n  in \(entry)" + (repeats ? " (\(error.lastTraceRepeats) times)" : "")
    }
    return text
  }
}
