/// `kubectl taint nodes`: add, overwrite and remove taints; NoExecute ones evict through the
/// taint eviction controller, which watches nodes.
extension Kubectl {
  /// `taint nodes NAME key=value:Effect`, `key:Effect-`, `key-`.
  func taint(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    var arguments = command.arguments
    guard let resource = arguments.first, ResourceKind.named(resource) == .node else {
      throw KubectlError("error: invalid resource type \(arguments.first ?? ""), only node types are supported")
    }
    arguments.removeFirst()
    let specs = arguments.filter { $0.contains(":") || $0.hasSuffix("-") || $0.contains("=") }
    let nodes = arguments.filter { !specs.contains($0) }
    guard !specs.isEmpty else { throw KubectlError("error: at least one taint update is required") }
    var adds: [Taint] = []
    var removes: [(key: String, effect: String?)] = []
    let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
    for spec in specs {
      if spec.hasSuffix("-") {
        let body = spec.dropLast()
        let parts = body.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, !effects.contains(parts[1]) {
          throw KubectlError("error: invalid taint effect: \(parts[1]), unsupported taint effect")
        }
        removes.append((parts[0], parts.count == 2 ? parts[1] : nil))
        continue
      }
      let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2 else {
        throw KubectlError("error: invalid taint spec: \(spec), unknown taint spec")
      }
      guard effects.contains(parts[1]) else {
        throw KubectlError("error: invalid taint effect: \(parts[1]), unsupported taint effect")
      }
      let keyValue = parts[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      if let problem = Validation.isQualifiedName(keyValue[0]).first {
        throw KubectlError("error: invalid taint spec: \(spec), \(problem)")
      }
      adds.append(
        Taint(key: keyValue[0], value: keyValue.count > 1 ? keyValue[1] : "", effect: parts[1]))
    }
    var names = nodes
    if command.flag("all") || command.has("selector") {
      let selector: LabelSelector
      do {
        selector = try LabelSelector(parsing: command.value("selector") ?? "")
      } catch {
        throw KubectlError("error: \(error)")
      }
      names = cluster.store.names(.node, namespace: "") { selector.matches($0.labels) }
    }
    var output = ""
    for name in names {
      guard let node = cluster.store.nodes.get("", name) else {
        throw .api(.notFound(.node, name))
      }
      // As upstream's reorganizeTaints: the new taints first, then the old ones they leave.
      var added: [Taint] = []
      for add in adds {
        if node.taints.contains(where: { $0.key == add.key && $0.effect == add.effect }),
          !command.flag("overwrite")
        {
          throw KubectlError(
            "error: node \(name) already has \(add.key) taint(s) with same effect(s) and --overwrite is false")
        }
        var taint = add
        taint.timeAdded = add.effect == "NoExecute" ? cluster.now : nil
        added.append(taint)
      }
      var taints =
        added
        + node.taints.filter { old in !added.contains { $0.key == old.key && $0.effect == old.effect } }
      for remove in removes {
        let before = taints.count
        taints.removeAll { $0.key == remove.key && (remove.effect == nil || $0.effect == remove.effect) }
        if taints.count == before {
          throw KubectlError(
            "error: taint \(goQuote(remove.effect.map { "\(remove.key):\($0)" } ?? remove.key)) not found")
        }
      }
      cluster.store.modify(Node.self, node.key) { $0.taints = taints }
      cluster.settle()
      let operation =
        command.flag("overwrite") || (!adds.isEmpty && !removes.isEmpty)
        ? "modified" : adds.isEmpty ? "untainted" : "tainted"
      output += "node/\(name) \(operation)\n"
    }
    return output
  }
}
