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
    let names = command.flag("all") ? cluster.store.nodes.list().map(\.metadata.name) : nodes
    var output = ""
    for name in names {
      guard let node = cluster.store.nodes.get("", name) else {
        throw .api(.notFound(.node, name))
      }
      var taints = node.taints
      for add in adds {
        if let index = taints.firstIndex(where: { $0.key == add.key && $0.effect == add.effect }) {
          guard command.flag("overwrite") else {
            throw KubectlError(
              "error: node \(name) already has \(add.key) taint(s) with same effect(s) and --overwrite is false")
          }
          taints[index] = add
        } else {
          var added = add
          added.timeAdded = add.effect == "NoExecute" ? cluster.now : nil
          taints.append(added)
        }
      }
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
      output += "node/\(name) \(adds.isEmpty ? "untainted" : "tainted")\n"
    }
    return output
  }
}
