/// The pictures as SVG, for HTML notebooks: the same content as the terminal text, drawn as
/// shapes. Each node is a `<g class="node">` with a `<rect class="node-box">`, each pod a
/// `<g class="pod">` chip; rollout steps are `<rect class="bar">`; timeline marks are
/// `<circle class="mark">`. Deterministic, self-contained (no fonts or scripts fetched).
enum SVG {
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func document(width: Int, height: Int, label: String, _ body: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kelp-picture\" role=\"img\" "
      + "aria-label=\"\(escape(label))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" "
      + "height=\"\(height)\" font-family=\"monospace\" font-size=\"12\">\(body)</svg>"
  }

  static func text(_ x: Int, _ y: Int, _ content: String, _ attributes: String = "") -> String {
    "<text x=\"\(x)\" y=\"\(y)\"\(attributes.isEmpty ? "" : " " + attributes)>\(escape(content))</text>"
  }

  /// The fill for a status letter: the terminal's colours.
  static func fill(_ letter: String) -> String {
    switch letter {
    case "R": return "#2e7d32"
    case "P": return "#f9a825"
    case "S", "T": return "#9e9e9e"
    case "U": return "#8e24aa"
    default: return "#c62828"
    }
  }
}

extension ClusterMap {
  /// Nodes as boxes two to a row, each with its state, resource bars and a chip per pod.
  public func svg(_ cluster: Cluster) -> String {
    let nodes = cluster.store.nodes.list().sorted { $0.metadata.name < $1.metadata.name }
    if nodes.count > boxLimit { return poolsSVG(cluster) }
    let pods = cluster.store.pods.list().sorted { $0.key < $1.key }
    var byNode: [String: [Pod]] = [:]
    for pod in pods where !pod.spec.nodeName.isEmpty { byNode[pod.spec.nodeName, default: []].append(pod) }
    let boxWidth = 360
    var body = ""
    var columnHeights = [0, 0]
    for (index, node) in nodes.enumerated() {
      let column = index % 2 == 0 ? 0 : 1
      let x = 10 + column * (boxWidth + 20)
      let y = 10 + columnHeights[column]
      let nodePods = (byNode[node.metadata.name] ?? []).sorted { $0.metadata.name < $1.metadata.name }
      let height = 70 + nodePods.count * 20
      var group = "<g class=\"node\" data-node=\"\(SVG.escape(node.metadata.name))\">"
      group +=
        "<rect class=\"node-box\" x=\"\(x)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"\(height)\" rx=\"6\" fill=\"#fafafa\" stroke=\"#455a64\"/>"
      group += SVG.text(x + 10, y + 18, node.metadata.name, "font-weight=\"bold\"")
      group += SVG.text(x + boxWidth - 10, y + 18, stateText(node), "text-anchor=\"end\"")
      if let info = cluster.scheduler.nodeInfo(node.metadata.name) {
        group += meter(x + 10, y + 30, "cpu", info.requestedCPU, info.allocatableCPU)
        group += meter(x + 190, y + 30, "mem", info.requestedMemory, info.allocatableMemory)
      }
      for (offset, pod) in nodePods.enumerated() {
        group += chip(x + 10, y + 56 + offset * 20, pod)
      }
      group += "</g>"
      body += group
      columnHeights[column] += height + 15
    }
    let waiting = pods.filter { $0.spec.nodeName.isEmpty && $0.status.phase == .pending }
    var height = (columnHeights.max() ?? 0) + 10
    if !waiting.isEmpty {
      body += "<g class=\"unscheduled\">"
      body += SVG.text(10, height + 14, "not scheduled", "font-weight=\"bold\"")
      for (offset, pod) in waiting.enumerated() { body += chip(10, height + 24 + offset * 20, pod) }
      body += "</g>"
      height += 30 + waiting.count * 20
    }
    return SVG.document(
      width: 2 * boxWidth + 40, height: max(height, 40), label: "cluster map", body)
  }

  /// Past `boxLimit` nodes: a box per node pool with the same lines as the text summary.
  private func poolsSVG(_ cluster: Cluster) -> String {
    let nodes = cluster.store.nodes.list().sorted { $0.metadata.name < $1.metadata.name }
    var byNode: [String: [Pod]] = [:]
    for pod in cluster.store.pods.list() where !pod.spec.nodeName.isEmpty {
      byNode[pod.spec.nodeName, default: []].append(pod)
    }
    var body = ""
    var y = 10
    for pool in pools(nodes, byNode, cluster) {
      let height = 30 + pool.body.count * 18
      body += "<g class=\"pool\"><rect class=\"pool-box\" x=\"10\" y=\"\(y)\" width=\"740\" height=\"\(height)\" rx=\"6\" fill=\"#fafafa\" stroke=\"#455a64\"/>"
      body += SVG.text(20, y + 18, pool.title, "font-weight=\"bold\"")
      body += SVG.text(740, y + 18, pool.right, "text-anchor=\"end\"")
      for (index, line) in pool.body.enumerated() { body += SVG.text(20, y + 38 + index * 18, line) }
      body += "</g>"
      y += height + 12
    }
    return SVG.document(width: 760, height: y, label: "cluster map by node pool", body)
  }

  private func stateText(_ node: Node) -> String {
    node.status.condition("Ready")?.status == "True"
      ? (node.unschedulable ? "Ready,SchedulingDisabled" : "Ready")
      : node.status.condition("Ready")?.status == "Unknown" ? "Unknown" : "NotReady"
  }

  private func meter(_ x: Int, _ y: Int, _ label: String, _ used: Int64, _ total: Int64) -> String {
    let width = 120
    let filled = total > 0 ? Int(Double(min(used, total)) / Double(total) * Double(width)) : 0
    let percent = total > 0 ? used * 100 / total : 0
    return SVG.text(x, y + 10, label)
      + "<rect class=\"meter\" x=\"\(x + 30)\" y=\"\(y)\" width=\"\(width)\" height=\"12\" fill=\"#eceff1\" stroke=\"#90a4ae\"/>"
      + "<rect class=\"meter-fill\" x=\"\(x + 30)\" y=\"\(y)\" width=\"\(filled)\" height=\"12\" fill=\"#42a5f5\"/>"
      + SVG.text(x + 153, y + 10, "\(percent)%", "font-size=\"10\" fill=\"#546e7a\"")
  }

  private func chip(_ x: Int, _ y: Int, _ pod: Pod) -> String {
    let status = ClusterMap.letter(pod.displayStatus)
    return "<g class=\"pod\" data-pod=\"\(SVG.escape(pod.metadata.name))\">"
      + "<rect class=\"pod-chip\" x=\"\(x)\" y=\"\(y)\" width=\"340\" height=\"16\" rx=\"3\" fill=\"\(SVG.fill(status.letter))\" fill-opacity=\"0.15\" stroke=\"\(SVG.fill(status.letter))\"/>"
      + SVG.text(x + 6, y + 12, "\(status.letter)  \(pod.metadata.name)")
      + SVG.text(x + 334, y + 12, pod.readyText, "text-anchor=\"end\"") + "</g>"
  }
}

extension RolloutChart {
  /// A row per scaling step, a bar per ReplicaSet: the same steps as the text chart.
  public func svg(_ cluster: Cluster, deployment name: String, namespace: String) -> String? {
    guard let data = data(cluster, deployment: name, namespace: namespace) else { return nil }
    let column = 200
    var body = SVG.text(10, 16, data.title, "font-weight=\"bold\"")
    for (index, heading) in data.columns.enumerated() {
      body += SVG.text(90 + index * column, 36, heading.name)
      body += SVG.text(90 + index * column, 50, heading.label, "fill=\"#78909c\"")
    }
    for (index, row) in data.rows.enumerated() {
      let y = 58 + index * 18
      body += SVG.text(10, y + 12, DurationText.goString(row.time))
      for (offset, count) in row.counts.enumerated() {
        let x = 90 + offset * column
        let width = min(count, 18) * 8
        body +=
          "<rect class=\"bar\" x=\"\(x)\" y=\"\(y + 2)\" width=\"\(width)\" height=\"12\" fill=\"#42a5f5\"/>"
        body += SVG.text(x + width + 4, y + 12, String(count))
      }
    }
    // Wide enough for the title in 12px monospace (about 7.2px a character).
    let width = max(90 + max(data.columns.count, 1) * column, data.title.count * 15 / 2 + 20)
    return SVG.document(
      width: width, height: 68 + data.rows.count * 18, label: "rollout chart", body)
  }
}

extension TimelineChart {
  /// A mark per notable moment on a vertical time axis, its line of text beside it.
  public func svg(_ cluster: Cluster, last: Int? = nil) -> String {
    let rows = render(cluster, last: last).split(separator: "\n").dropLast().map(String.init)
    var body = "<line class=\"axis\" x1=\"80\" y1=\"5\" x2=\"80\" y2=\"\(10 + rows.count * 18)\" stroke=\"#455a64\"/>"
    for (index, row) in rows.enumerated() {
      let y = 14 + index * 18
      let time = String(row.prefix(9)).trimmingSpaces
      let mark = row.dropFirst(10).first.map(String.init) ?? ":"
      let rest = String(row.dropFirst(13))
      if mark == ":" {
        body += SVG.text(90, y + 4, rest, "fill=\"#78909c\"")
        continue
      }
      let color = ["!": "#c62828", "N": "#8e24aa", "x": "#ef6c00", "^": "#2e7d32"][mark] ?? "#f9a825"
      body += SVG.text(72, y + 4, time, "text-anchor=\"end\"")
      body += "<circle class=\"mark\" cx=\"80\" cy=\"\(y)\" r=\"5\" fill=\"\(color)\"/>"
      body += SVG.text(90, y + 4, mark + "  " + rest)
    }
    return SVG.document(width: 760, height: 20 + rows.count * 18, label: "timeline", body)
  }
}
