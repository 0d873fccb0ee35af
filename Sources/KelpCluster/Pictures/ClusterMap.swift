import Foundation

/// The cluster at a glance, for a terminal: a box per node with its state, taints, resource bars
/// (requested of allocatable, as the scheduler counts them) and a chip per pod (status letter,
/// name, READY), then the pods no node has taken. At most 80 columns; plain ASCII unless the
/// caller asks for colour and box-drawing characters. The same cluster draws the same picture.
public struct ClusterMap {
  public var color = false
  /// Above this many nodes, a line per node instead of a box (a 500-node map stays readable).
  public var boxLimit = 24

  public init(color: Bool = false) { self.color = color }

  static let width = 78

  public func render(_ cluster: Cluster) -> String {
    let nodes = cluster.store.nodes.list().sorted { $0.metadata.name < $1.metadata.name }
    let pods = cluster.store.pods.list().sorted { $0.key < $1.key }
    var byNode: [String: [Pod]] = [:]
    for pod in pods where !pod.spec.nodeName.isEmpty { byNode[pod.spec.nodeName, default: []].append(pod) }
    var lines: [String] = []
    if nodes.count > boxLimit {
      lines += summary(nodes, byNode, cluster)
    } else {
      for node in nodes { lines += box(node, byNode[node.metadata.name] ?? [], cluster) }
    }
    let waiting = pods.filter { $0.spec.nodeName.isEmpty && $0.status.phase == .pending }
    if !waiting.isEmpty {
      let count = waiting.count == 1 ? "1 pod" : "\(waiting.count) pods"
      lines += frame(title: "not scheduled", right: count, body: chips(waiting))
    }
    let letters = Set(pods.map { ClusterMap.letter($0.displayStatus).letter })
    let legend = ClusterMap.legend.filter { letters.contains($0.letter) }
      .map { "\(paint($0.letter, $0.color)) \($0.meaning)" }
    if !legend.isEmpty { lines += wrap(legend, width: ClusterMap.width) }
    return lines.map { $0 + "\n" }.joined()
  }

  // MARK: - Parts

  private func box(_ node: Node, _ pods: [Pod], _ cluster: Cluster) -> [String] {
    var body = [bars(node, cluster)]
    if !node.taints.isEmpty {
      body += clipped("taints: " + node.taints.map(\.description).joined(separator: ", "))
    }
    body += chips(pods.sorted { $0.metadata.name < $1.metadata.name })
    return frame(title: node.metadata.name, right: state(node), body: body)
  }

  /// `Ready`, `NotReady`, `Unknown`, with SchedulingDisabled and any pressure.
  private func state(_ node: Node) -> String {
    var parts: [String] = []
    switch node.status.condition("Ready")?.status {
    case "True": parts.append("Ready")
    case "Unknown": parts.append("Unknown")
    default: parts.append("NotReady")
    }
    if node.unschedulable { parts.append("SchedulingDisabled") }
    for pressure in ["MemoryPressure", "DiskPressure", "PIDPressure"]
    where node.status.condition(pressure)?.status == "True" {
      parts.append(pressure)
    }
    return parts.joined(separator: ",")
  }

  private func bars(_ node: Node, _ cluster: Cluster) -> String {
    guard let info = cluster.scheduler.nodeInfo(node.metadata.name) else { return "" }
    let cpu = bar(info.requestedCPU, of: info.allocatableCPU)
      + " " + Quantity.cpu(millis: info.requestedCPU).description + "/"
      + Quantity.cpu(millis: info.allocatableCPU).description
    let memory = bar(info.requestedMemory, of: info.allocatableMemory)
      + " " + ClusterMap.bytes(info.requestedMemory) + "/" + ClusterMap.bytes(info.allocatableMemory)
    return padded("cpu " + cpu, to: 37) + " mem " + memory
  }

  private func bar(_ used: Int64, of total: Int64) -> String {
    let cells = 12
    let filled = total > 0 ? Int(min(Double(used) / Double(total), 1) * Double(cells) + 0.5) : 0
    return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled)
      + "]"
  }

  /// Pods two to a line: status letter, name (shortened to fit), READY.
  private func chips(_ pods: [Pod]) -> [String] {
    // Two columns in the box's 74 characters, two spaces apart.
    let column = 36
    let cells = pods.map { pod -> String in
      let status = ClusterMap.letter(pod.displayStatus)
      let ready = pod.readyText
      let room = column - 3 - ready.count
      var name = pod.metadata.name
      if name.count > room { name = String(name.prefix(room - 1)) + "~" }
      return paint(status.letter, status.color) + " " + padded(name, to: room) + " " + ready
    }
    var lines: [String] = []
    var index = 0
    while index < cells.count {
      let pair = cells[index..<min(index + 2, cells.count)]
      lines.append(pair.joined(separator: "  "))
      index += 2
    }
    return lines.isEmpty ? ["(no pods)"] : lines
  }

  /// More nodes than boxes can show: a box per node pool (the pool label a cloud sets, or the
  /// name without its number), with how many nodes are in each state, the pool's requested
  /// share of CPU and memory, its pods, and the nodes that are not Ready by name.
  private func summary(_ nodes: [Node], _ byNode: [String: [Pod]], _ cluster: Cluster) -> [String] {
    pools(nodes, byNode, cluster).flatMap { frame(title: $0.title, right: $0.right, body: $0.body) }
  }

  /// Each pool's title, node count and lines, for the text summary and the SVG alike.
  func pools(_ nodes: [Node], _ byNode: [String: [Pod]], _ cluster: Cluster)
    -> [(title: String, right: String, body: [String])]
  {
    var pools: [String: [Node]] = [:]
    for node in nodes { pools[ClusterMap.pool(of: node), default: []].append(node) }
    var result: [(title: String, right: String, body: [String])] = []
    for (pool, members) in pools.sorted(by: { $0.key < $1.key }) {
      var states: [String: Int] = [:]
      var cpu: (Int64, Int64) = (0, 0)
      var memory: (Int64, Int64) = (0, 0)
      for node in members {
        states[state(node), default: 0] += 1
        if let info = cluster.scheduler.nodeInfo(node.metadata.name) {
          cpu = (cpu.0 + info.requestedCPU, cpu.1 + info.allocatableCPU)
          memory = (memory.0 + info.requestedMemory, memory.1 + info.allocatableMemory)
        }
      }
      let podCount = members.reduce(0) { $0 + (byNode[$1.metadata.name] ?? []).count }
      var body = [
        padded("cpu " + bar(cpu.0, of: cpu.1) + " \(cpu.1 > 0 ? cpu.0 * 100 / cpu.1 : 0)%", to: 37)
          + " mem " + bar(memory.0, of: memory.1) + " \(memory.1 > 0 ? memory.0 * 100 / memory.1 : 0)%",
        states.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
          + ", \(podCount) pods",
      ]
      let troubled = members.filter { state($0) != "Ready" }.map(\.metadata.name)
      if !troubled.isEmpty { body += clipped("not Ready: " + troubled.joined(separator: " ")) }
      result.append(("pool " + pool, "\(members.count) nodes", body))
    }
    return result
  }

  /// A node's pool: a cloud's node-pool label, or its name without the trailing number.
  static func pool(of node: Node) -> String {
    for label in [
      "cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "kubernetes.azure.com/agentpool",
      "kelp.dev/pool",
    ] {
      if let value = node.metadata.labels[label] { return value }
    }
    let name = node.metadata.name
    let stem = name.reversed().drop { $0.isNumber }.reversed()
    let trimmed = String(stem).hasSuffix("-") ? String(stem.dropLast()) : String(stem)
    return trimmed.isEmpty ? name : trimmed
  }

  // MARK: - Drawing

  private func frame(title: String, right: String, body: [String]) -> [String] {
    let (corner, horizontal, vertical) = color ? (("┌", "┐", "└", "┘"), "─", "│") : (("+", "+", "+", "+"), "-", "|")
    let inner = ClusterMap.width - 2
    let head = horizontal + " " + title + " "
    let tail = " " + right + " " + horizontal
    let fill = max(0, inner - head.count - tail.count)
    var lines = [corner.0 + head + String(repeating: horizontal, count: fill) + tail + corner.1]
    for line in body {
      let visible = ClusterMap.visibleCount(line)
      lines.append(vertical + " " + line + String(repeating: " ", count: max(0, inner - 2 - visible)) + " " + vertical)
    }
    lines.append(corner.2 + String(repeating: horizontal, count: inner) + corner.3)
    return lines
  }

  private func clipped(_ text: String) -> [String] {
    let room = ClusterMap.width - 4
    return [text.count > room ? String(text.prefix(room - 1)) + "~" : text]
  }

  private func wrap(_ items: [String], width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for item in items {
      let candidate = line.isEmpty ? item : line + "  " + item
      if ClusterMap.visibleCount(candidate) > width && !line.isEmpty {
        lines.append(line)
        line = item
      } else {
        line = candidate
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  private func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - ClusterMap.visibleCount(text)))
  }

  private func paint(_ text: String, _ code: Int) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Characters a terminal shows: ANSI colour sequences take no room.
  static func visibleCount(_ text: String) -> Int {
    var count = 0
    var escape = false
    for character in text {
      if character == "\u{1B}" {
        escape = true
      } else if escape {
        if character == "m" { escape = false }
      } else {
        count += 1
      }
    }
    return count
  }

  static func bytes(_ value: Int64) -> String {
    if value >= 1 << 30 && value % (1 << 30) == 0 { return "\(value >> 30)Gi" }
    if value >= 1 << 30 { return String(format: "%.1fGi", Double(value) / Double(1 << 30)) }
    return "\(value >> 20)Mi"
  }

  /// The status letter and its colour (ANSI): what kubectl's STATUS column says, in one letter.
  static func letter(_ status: String) -> (letter: String, color: Int) {
    switch status {
    case "Running": return ("R", 32)
    case "Pending", "ContainerCreating", "PodInitializing": return ("P", 33)
    case "Completed", "Succeeded": return ("S", 90)
    case "Terminating": return ("T", 90)
    case "CrashLoopBackOff": return ("C", 31)
    case "ErrImagePull", "ImagePullBackOff", "InvalidImageName": return ("I", 31)
    case "OOMKilled": return ("O", 31)
    case "Unknown": return ("U", 35)
    case let other where other.hasPrefix("Init:"): return ("P", 33)
    default: return ("F", 31)
    }
  }

  static let legend: [(letter: String, color: Int, meaning: String)] = [
    ("R", 32, "Running"), ("P", 33, "Pending"), ("S", 90, "Succeeded"), ("T", 90, "Terminating"),
    ("C", 31, "CrashLoopBackOff"), ("I", 31, "image pull failing"), ("O", 31, "OOMKilled"),
    ("F", 31, "Failed/Error"), ("U", 35, "Unknown"),
  ]
}
