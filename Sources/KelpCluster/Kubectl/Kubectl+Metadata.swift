/// `kubectl label` and `kubectl annotate` of any kind: `key=value` sets, `key-` removes, a
/// changed value needs `--overwrite`; `--all` and `-l` pick the objects.
extension Kubectl {
  func label(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    try editMetadata(command, labels: true)
  }

  func annotate(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    try editMetadata(command, labels: false)
  }

  private func editMetadata(_ command: KubectlCommandLine, labels isLabels: Bool)
    throws(KubectlError) -> String
  {
    let namespace = self.namespace(command)
    let noun = isLabels ? "label" : "annotation"
    var arguments = command.arguments
    let changes = arguments.filter { $0.contains("=") || ($0.hasSuffix("-") && $0.count > 1) }
    arguments.removeAll { changes.contains($0) }
    guard !changes.isEmpty else {
      throw KubectlError("error: at least one \(noun) update is required")
    }
    var edits: [(key: String, value: String?)] = []
    for change in changes {
      if change.hasSuffix("-") && !change.contains("=") {
        edits.append((String(change.dropLast()), nil))
        continue
      }
      let parts = change.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      let (key, value) = (parts[0], parts.count > 1 ? parts[1] : "")
      var problems = Validation.isQualifiedName(key).map {
        "invalid \(noun) key \"\(key)\": \($0)"
      }
      if isLabels {
        problems += Validation.isValidLabelValue(value).map {
          "invalid label value: \"\(change)\": \($0)"
        }
      }
      if let problem = problems.first { throw KubectlError("error: \(problem)") }
      edits.append((key, value))
    }
    var resolvedCommand = command
    resolvedCommand.arguments = arguments
    var output = ""
    for (kind, names) in try targets(resolvedCommand, namespace: namespace) {
      for name in names {
        guard let metadata = cluster.store.metadata(kind, name, namespace: namespace) else {
          throw .api(.notFound(kind, name))
        }
        var map = isLabels ? metadata.labels : metadata.annotations
        let before = map
        var clashes: [String] = []
        for (key, value) in edits {
          guard let value else {
            map[key] = nil
            continue
          }
          // A change-cause may always be overwritten (upstream's validateNoAnnotationOverwrites).
          if let old = map[key], old != value, !command.flag("overwrite"),
            isLabels || key != "kubernetes.io/change-cause"
          {
            if isLabels {
              throw KubectlError(
                "error: '\(key)' already has a value (\(old)), and --overwrite is false")
            }
            clashes.append("'\(key)' already has a value (\(old))")
          }
          map[key] = value
        }
        if !clashes.isEmpty {
          throw KubectlError(
            "error: --overwrite is false but found the following declared annotation(s): "
              + clashes.joined(separator: "; "))
        }
        let verb = isLabels ? "labeled" : "annotated"
        // kubectl annotate says `annotated` whatever changed; label says what it did.
        if map == before && isLabels {
          output += "\(kind.singular)/\(name) not \(verb)\n"
          continue
        }
        cluster.store.modifyMetadata(kind, name, namespace: namespace) { metadata in
          if isLabels { metadata.labels = map } else { metadata.annotations = map }
        }
        cluster.settle()
        let removedOnly = isLabels && edits.allSatisfy { $0.value == nil }
        output += "\(kind.singular)/\(name) \(removedOnly ? "un" + verb : verb)\n"
      }
    }
    return output
  }

  /// The objects a command names: `TYPE NAME...`, `TYPE/NAME`, or `TYPE` with `--all` or `-l`.
  func targets(_ command: KubectlCommandLine, namespace: String) throws(KubectlError)
    -> [(ResourceKind, [String])]
  {
    let selected = command.flag("all") || command.has("selector")
    if selected, command.arguments.count == 1, let kind = ResourceKind.named(command.arguments[0]) {
      let selector: LabelSelector
      do {
        selector = try LabelSelector(parsing: command.value("selector") ?? "")
      } catch {
        throw KubectlError("error: \(error)")
      }
      let names = cluster.store.names(kind, namespace: namespace) {
        selector.matches($0.labels)
      }
      return [(kind, names)]
    }
    return try resolve(command)
  }
}
