/// A Deployment's rollouts as a chart: a row per moment its controller scaled a ReplicaSet, a
/// column per ReplicaSet (the newest three), each cell a bar of its replicas. Drawn from the
/// controller's ScalingReplicaSet events, so it shows what the controller asked for, step by
/// step, as `kubectl get rs` would have shown DESIRED at each moment.
public struct RolloutChart {
  public init() {}

  static let columnWidth = 18

  public func render(_ cluster: Cluster, deployment name: String, namespace: String) -> String? {
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
    let revisions = Dictionary(
      uniqueKeysWithValues: shown.map { name in
        (name, cluster.store.replicaSets.get(namespace, name))
      })
    var lines = [
      "deployment/\(name): \(deployment.spec.replicas) replicas, \(deployment.spec.strategy)"
        + (deployment.spec.strategy == "RollingUpdate"
          ? " (maxSurge \(deployment.spec.maxSurge), maxUnavailable \(deployment.spec.maxUnavailable))"
          : "")
    ]
    var header = "     time"
    var subheader = "         "
    for replicaSet in shown {
      let revision = revisions[replicaSet]??.metadata.annotations["deployment.kubernetes.io/revision"]
      let image = revisions[replicaSet]??.spec.template.spec.containers.first?.image ?? ""
      header += "  " + RolloutChart.cell(replicaSet)
      subheader += "  " + RolloutChart.cell("rev \(revision ?? "?") \(image)")
    }
    lines += [header, subheader].map { String($0.reversed().drop { $0 == " " }.reversed()) }
    var current: [String: Int] = [:]
    var last: String?
    for step in steps {
      current[step.replicaSet] = step.to
      var row = RolloutChart.right(DurationText.goString(step.time), 9)
      for replicaSet in shown {
        let count = current[replicaSet] ?? 0
        let cells = min(count, RolloutChart.columnWidth - 4)
        let bar = String(repeating: "#", count: cells) + (count > cells ? "+" : "")
        row += "  " + RolloutChart.cell(bar.isEmpty ? "." : bar + " \(count)")
      }
      // Steps at one instant that leave the picture as it was are not repeated.
      if row != last { lines.append(String(row.reversed().drop { $0 == " " }.reversed())) }
      last = row
    }
    if steps.isEmpty { lines.append("        (no scaling yet)") }
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
