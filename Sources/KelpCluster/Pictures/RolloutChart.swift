/// A Deployment's rollouts as a chart: a row per moment its controller scaled a ReplicaSet, a
/// column per ReplicaSet (the newest three), each cell a bar of its replicas. Drawn from the
/// controller's ScalingReplicaSet events, so it shows what the controller asked for, step by
/// step, as `kubectl get rs` would have shown DESIRED at each moment.
public struct RolloutChart {
  public init() {}

  static let columnWidth = 18

  /// What the chart shows: the newest ReplicaSets (name, revision, image) and, per scaling
  /// step, the time and each one's replicas.
  struct Data {
    var title: String
    var columns: [(name: String, label: String)]
    var rows: [(time: Millis, counts: [Int])]
  }

  func data(_ cluster: Cluster, deployment name: String, namespace: String) -> Data? {
    guard let deployment = cluster.store.deployments.get(namespace, name) else { return nil }
    let recorder = cluster.recorder
    // Every scaling step, repeats included, in order.
    var steps: [(time: Millis, replicaSet: String, to: Int)] = []
    for (time, index) in recorder.occurrences {
      let event = recorder.events[index]
      guard event.involvedUID == deployment.metadata.uid, event.reason == "ScalingReplicaSet",
        let step = RolloutChart.parse(event.message)
      else { continue }
      steps.append((time, step.replicaSet, step.to))
    }
    var order: [String] = []
    for step in steps where !order.contains(step.replicaSet) { order.append(step.replicaSet) }
    let shown = Array(order.suffix(3))
    let columns = shown.map { replicaSet -> (String, String) in
      let object = cluster.store.replicaSets.get(namespace, replicaSet)
      let revision = object?.metadata.annotations["deployment.kubernetes.io/revision"] ?? "?"
      let image = object?.spec.template.spec.containers.first?.image ?? ""
      return (replicaSet, "rev \(revision) \(image)")
    }
    var current: [String: Int] = [:]
    var rows: [(Millis, [Int])] = []
    for step in steps {
      current[step.replicaSet] = step.to
      let counts = shown.map { current[$0] ?? 0 }
      // Steps at one instant that leave the picture as it was are not repeated.
      if let last = rows.last, last.0 == step.time, last.1 == counts { continue }
      rows.append((step.time, counts))
    }
    let spec = deployment.spec
    let title =
      "deployment/\(name): \(spec.replicas) replicas, \(spec.strategy)"
      + (spec.strategy == "RollingUpdate"
        ? " (maxSurge \(spec.maxSurge), maxUnavailable \(spec.maxUnavailable))" : "")
    return Data(title: title, columns: columns, rows: rows)
  }

  public func render(_ cluster: Cluster, deployment name: String, namespace: String) -> String? {
    guard let data = data(cluster, deployment: name, namespace: namespace) else { return nil }
    func trimmed(_ line: String) -> String { String(line.reversed().drop { $0 == " " }.reversed()) }
    var lines = [data.title]
    lines.append(trimmed("     time" + data.columns.map { "  " + RolloutChart.cell($0.name) }.joined()))
    lines.append(trimmed("         " + data.columns.map { "  " + RolloutChart.cell($0.label) }.joined()))
    var previous: String?
    for row in data.rows {
      var line = RolloutChart.right(DurationText.goString(row.time), 9)
      for count in row.counts {
        let cells = min(count, RolloutChart.columnWidth - 4)
        let bar = String(repeating: "#", count: cells) + (count > cells ? "+" : "")
        line += "  " + RolloutChart.cell(bar.isEmpty ? "." : bar + " \(count)")
      }
      if line != previous { lines.append(trimmed(line)) }
      previous = line
    }
    if data.rows.isEmpty { lines.append("        (no scaling yet)") }
    return lines.map { $0 + "\n" }.joined()
  }

  /// `Scaled up replica set web-abc from 1 to 3` → (web-abc, 3).
  static func parse(_ message: String) -> (replicaSet: String, to: Int)? {
    let words = message.split(separator: " ")
    guard words.count >= 8, words[0] == "Scaled", let to = Int(words[words.count - 1]) else {
      return nil
    }
    return (String(words[4]), to)
  }

  static func cell(_ text: String) -> String {
    let clipped = text.count > columnWidth ? String(text.prefix(columnWidth - 1)) + "~" : text
    return clipped + String(repeating: " ", count: columnWidth - clipped.count)
  }

  static func right(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
