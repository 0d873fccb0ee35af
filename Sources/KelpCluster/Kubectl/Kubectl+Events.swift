/// `kubectl events`: the event log, oldest first, with `--for TYPE/NAME`, `--types`, `-A`, as
/// kubectl 1.32's events command prints it (its OBJECT column names the kind as the API does).
extension Kubectl {
  func events(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let allNamespaces = command.flag("all-namespaces")
    let namespace = self.namespace(command)
    var about: (kind: String, name: String)?
    if let target = command.value("for") {
      let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
      guard parts.count == 2, let kind = ResourceKind.named(parts[0]) else {
        throw KubectlError("error: --for must be in resource/name form")
      }
      about = (kind.kind, parts[1])
    }
    // Compared without case, as upstream's EqualFold does.
    var types: [String] = []
    for type in command.all("types").flatMap({ $0.split(separator: ",").map(String.init) }) {
      guard let known = ["Normal", "Warning"].first(where: { $0.lowercased() == type.lowercased() })
      else { throw KubectlError("error: valid --types are Normal or Warning") }
      types.append(known)
    }
    let events = cluster.recorder.byLastSeen.filter { event in
      (allNamespaces || event.metadata.namespace == namespace)
        && (types.isEmpty || types.contains(event.type))
        && (about.map { event.involvedKind == $0.kind && event.involvedName == $0.name } ?? true)
    }
    guard !events.isEmpty else {
      return allNamespaces
        ? "No events found.\n" : "No events found in \(namespace) namespace.\n"
    }
    var lines = [
      (allNamespaces ? "NAMESPACE\t" : "") + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE"
    ]
    for event in events {
      let seen =
        event.count > 1
        ? "\(age(event.lastTimestamp)) (x\(event.count) over \(age(event.firstTimestamp)))"
        : age(event.lastTimestamp)
      lines.append(
        (allNamespaces ? event.metadata.namespace + "\t" : "")
          + "\(seen)\t\(event.type)\t\(event.reason)\t\(event.involvedKind)/\(event.involvedName)\t"
          + event.message.trimmingSpaces)
    }
    return TabWriter.get.format(lines.joined(separator: "\n") + "\n")
  }
}
