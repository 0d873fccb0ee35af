/// `kubectl get`: tables with kubectl's columns, and `-o wide|yaml|json|name`.
extension Kubectl {
  /// One object of any kind kubectl can list.
  enum Listed {
    case pod(Pod)
    case node(Node)
    case namespace(Namespace)
    case replicaSet(ReplicaSet)
    case deployment(Deployment)
    case event(Event)
    /// The kinds that print themselves (`KubectlPrintable`).
    case printable(any KubectlPrintable)

    var metadata: ObjectMeta {
      switch self {
      case .pod(let pod): return pod.metadata
      case .node(let node): return node.metadata
      case .namespace(let namespace): return namespace.metadata
      case .replicaSet(let replicaSet): return replicaSet.metadata
      case .deployment(let deployment): return deployment.metadata
      case .event(let event): return event.metadata
      case .printable(let object): return object.metadata
      }
    }

    var json: JSONValue {
      switch self {
      case .pod(let pod): return pod.encoded(serverFields: true)
      case .node(let node): return node.encoded(serverFields: true)
      case .namespace(let namespace): return namespace.encoded(serverFields: true)
      case .replicaSet(let replicaSet): return replicaSet.encoded(serverFields: true)
      case .deployment(let deployment): return deployment.encoded(serverFields: true)
      case .event(let event): return event.encoded()
      case .printable(let object): return object.encoded(serverFields: true)
      }
    }
  }

  /// Objects of a kind, in API order, filtered by namespace, names and selector.
  func list(
    _ kind: ResourceKind, namespace: String?, names: [String], selector: LabelSelector,
    fields: String? = nil
  ) throws(KubectlError) -> [Listed] {
    let store = cluster.store
    var objects: [Listed]
    switch kind.kind {
    case "Pod": objects = store.pods.list(namespace: namespace).map(Listed.pod)
    case "Node": objects = store.nodes.list().map(Listed.node)
    case "Namespace": objects = store.namespaces.list().map(Listed.namespace)
    case "ReplicaSet": objects = store.replicaSets.list(namespace: namespace).map(Listed.replicaSet)
    case "Deployment": objects = store.deployments.list(namespace: namespace).map(Listed.deployment)
    case "Event":
      objects = cluster.recorder.events
        .filter { namespace == nil || $0.metadata.namespace == namespace }
        .sorted {
          ($0.metadata.namespace, $0.metadata.name) < ($1.metadata.namespace, $1.metadata.name)
        }
        .map(Listed.event)
    default:
      func listed<T: KubectlPrintable>(_ type: T.Type) -> [Listed] {
        T.table(in: store).list(namespace: namespace).map { .printable($0) }
      }
      objects = Kubectl.printableKinds[kind.kind].map { listed($0) } ?? []
    }
    objects = objects.filter { selector.matches($0.metadata.labels) }
    if let fields {
      let fieldSelector = try FieldSelector(fields, kind: kind)
      objects = objects.filter(fieldSelector.matches)
    }
    guard !names.isEmpty else { return objects }
    var chosen: [Listed] = []
    for name in names {
      guard let found = objects.first(where: { $0.metadata.name == name }) else {
        throw KubectlError.api(.notFound(kind, name))
      }
      chosen.append(found)
    }
    return chosen
  }

  func get(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    var output = command.value("output") ?? ""
    var template: JSONPath?
    var columns: [(header: String, path: JSONPath)]?
    let goTemplate = try Kubectl.goTemplate(command)
    if goTemplate != nil {
      output = "go-template"
    } else if output.hasPrefix("jsonpath=") {
      template = try JSONPath(String(output.dropFirst("jsonpath=".count)))
      output = "jsonpath"
    } else if output.hasPrefix("custom-columns=") {
      columns = try Kubectl.customColumns(String(output.dropFirst("custom-columns=".count)))
      output = "custom-columns"
    }
    guard ["", "wide", "yaml", "json", "name", "jsonpath", "go-template", "custom-columns"].contains(output)
    else {
      let format = String(output.prefix { $0 != "=" })
      if Kubectl.outputFormats.contains(format) {
        throw KubectlError(
          "error: Kelp does not support -o \(format) yet: use -o jsonpath=…, -o go-template=… or -o custom-columns=…")
      }
      throw KubectlError(
        "error: unable to match a printer suitable for the output format \"\(output)\", allowed formats are: "
          + Kubectl.outputFormats.joined(separator: ","))
    }
    let sortBy = try command.value("sort-by").map { field throws(KubectlError) in
      try JSONPath(field.hasPrefix("{") ? field : "{\(field)}")
    }
    let allNamespaces = command.flag("all-namespaces")
    let namespace = allNamespaces ? nil : self.namespace(command)
    let selector = try self.selector(command)
    var sections: [String] = []
    var everything: [Listed] = []
    // `all` is kubectl's category of the workload kinds, each listed with its kind.
    let isAll = command.arguments.first == "all"
    let resolved =
      isAll
      ? Kubectl.allCategory.map { ($0, Array(command.arguments.dropFirst())) }
      : try resolve(command)
    for (kind, names) in resolved {
      var objects = try list(
        kind, namespace: kind.namespaced ? namespace : nil, names: names, selector: selector,
        fields: command.value("field-selector"))
      if let sortBy { objects = try Kubectl.sorted(objects, by: sortBy) }
      everything += objects
      if output.isEmpty || output == "wide", !objects.isEmpty {
        sections.append(
          table(
            kind, objects, wide: output == "wide", allNamespaces: allNamespaces && kind.namespaced,
            showLabels: command.flag("show-labels"),
            labelColumns: command.all("label-columns").flatMap { $0.split(separator: ",").map(String.init) },
            prefixKind: isAll || (command.arguments.first?.contains(",") ?? false)))
      }
    }
    if let sortBy, resolved.count > 1 { everything = try Kubectl.sorted(everything, by: sortBy) }
    switch output {
    case "jsonpath", "go-template":
      // Both print the object itself when one was named, and a List otherwise.
      let named = resolved.reduce(0) { $0 + $1.1.count }
      let input: JSONValue =
        named == 1 && everything.count == 1
        ? everything[0].json
        : [
          "apiVersion": "v1", "items": .array(everything.map(\.json)), "kind": "List",
          "metadata": ["resourceVersion": ""],
        ]
      if let goTemplate { return try goTemplate.render(input) }
      return try template?.render(input) ?? ""
    case "custom-columns":
      let header = (columns ?? []).map(\.header).joined(separator: "\t")
      var lines = [header]
      for object in everything {
        var cells: [String] = []
        for column in columns ?? [] { cells.append(try column.path.cell(object.json)) }
        lines.append(cells.joined(separator: "\t"))
      }
      return TabWriter.get.format(lines.joined(separator: "\n") + "\n")
    case "name":
      return everything.map { "\(Kubectl.kindName($0))/\($0.metadata.name)\n" }.joined()
    case "yaml", "json":
      let value: JSONValue
      // kubectl prints the object itself when one was named, and a List otherwise.
      let named = try resolve(command).reduce(0) { $0 + $1.1.count }
      if named == 1 && everything.count == 1 {
        value = everything[0].json
      } else {
        value = [
          "apiVersion": "v1", "items": .array(everything.map(\.json)), "kind": "List",
          "metadata": ["resourceVersion": ""],
        ]
      }
      return output == "yaml" ? value.yamlText : value.jsonText + "\n"
    default:
      if everything.isEmpty {
        return allNamespaces || namespace == nil
          ? "No resources found\n" : "No resources found in \(namespace ?? "default") namespace.\n"
      }
      return sections.joined(separator: "\n")
    }
  }

  static func kindName(_ object: Listed) -> String {
    switch object {
    case .pod: return "pod"
    case .node: return "node"
    case .namespace: return "namespace"
    case .replicaSet: return "replicaset.apps"
    case .deployment: return "deployment.apps"
    case .event: return "event"
    case .printable(let object): return type(of: object).resource.singular
    }
  }

  func table(
    _ kind: ResourceKind, _ objects: [Listed], wide: Bool, allNamespaces: Bool, showLabels: Bool,
    labelColumns: [String] = [], prefixKind: Bool
  ) -> String {
    var header: [String]
    switch kind.kind {
    case "Pod":
      header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
      if wide { header += ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] }
    case "Node":
      header = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
      if wide {
        header += ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]
      }
    case "Namespace": header = ["NAME", "STATUS", "AGE"]
    case "Deployment":
      header = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
      if wide { header += ["CONTAINERS", "IMAGES", "SELECTOR"] }
    case "ReplicaSet":
      header = ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
      if wide { header += ["CONTAINERS", "IMAGES", "SELECTOR"] }
    case let other where Kubectl.printableKinds[other] != nil:
      header = Kubectl.printableKinds[other]!.columns(wide: wide)
    default:
      header = ["LAST SEEN", "TYPE", "REASON", "OBJECT"]
      if wide { header += ["SUBOBJECT", "SOURCE"] }
      header += ["MESSAGE"]
      if wide { header += ["FIRST SEEN", "COUNT", "NAME"] }
    }
    if allNamespaces { header.insert("NAMESPACE", at: 0) }
    // `-L app.kubernetes.io/name` is headed NAME: the key's last part, in capitals.
    header += labelColumns.map { ($0.split(separator: "/").last.map(String.init) ?? $0).uppercased() }
    if showLabels { header.append("LABELS") }
    var text = header.joined(separator: "\t") + "\n"
    for object in objects {
      var cells = row(object, wide: wide)
      if prefixKind { cells[0] = Kubectl.kindName(object) + "/" + cells[0] }
      if allNamespaces { cells.insert(object.metadata.namespace, at: 0) }
      cells += labelColumns.map { object.metadata.labels[$0] ?? "" }
      if showLabels { cells.append(Kubectl.formatLabels(object.metadata.labels)) }
      text += cells.map(Kubectl.cellText).joined(separator: "\t") + "\n"
    }
    return TabWriter.get.format(text)
  }

  /// The wide columns of workloads: CONTAINERS, IMAGES, SELECTOR.
  static func templateColumns(_ template: PodTemplate, _ selector: SelectorSpec) -> [String] {
    let containers = template.spec.containers
    return [
      containers.map(\.name).joined(separator: ","), containers.map(\.image).joined(separator: ","),
      Kubectl.selectorText(selector),
    ]
  }

  /// A cell is cut at its first line break, as the table printer does.
  static func cellText(_ cell: String) -> String {
    guard let cut = cell.firstIndex(where: { $0 == "\n" || $0 == "\r" }) else { return cell }
    return String(cell[..<cut]) + "..."
  }

  func age(_ time: Millis) -> String { DurationText.human(now - time) }

  func row(_ object: Listed, wide: Bool) -> [String] {
    switch object {
    case .pod(let pod):
      var cells = [
        pod.metadata.name, pod.readyText, pod.displayStatus, pod.restartsText(now: now),
        age(pod.metadata.creationTimestamp),
      ]
      if wide {
        cells += [
          pod.status.podIP.isEmpty ? "<none>" : pod.status.podIP,
          pod.spec.nodeName.isEmpty ? "<none>" : pod.spec.nodeName,
          pod.status.nominatedNodeName.isEmpty ? "<none>" : pod.status.nominatedNodeName, "<none>",
        ]
      }
      return cells
    case .node(let node):
      var status: [String] = []
      if let ready = node.status.condition("Ready") {
        status.append(ready.status == "True" ? "Ready" : "NotReady")
      } else {
        status.append("Unknown")
      }
      if node.unschedulable { status.append("SchedulingDisabled") }
      var cells = [
        node.metadata.name, status.joined(separator: ","), node.rolesText,
        age(node.metadata.creationTimestamp),
        node.status.kubeletVersion,
      ]
      if wide {
        cells += [
          node.status.internalIP, "<none>", node.status.osImage, node.status.kernelVersion,
          node.status.containerRuntimeVersion,
        ]
      }
      return cells
    case .namespace(let namespace):
      return [namespace.metadata.name, namespace.phase, age(namespace.metadata.creationTimestamp)]
    case .deployment(let deployment):
      var cells = [
        deployment.metadata.name, "\(deployment.status.readyReplicas)/\(deployment.spec.replicas)",
        String(deployment.status.updatedReplicas), String(deployment.status.availableReplicas),
        age(deployment.metadata.creationTimestamp),
      ]
      if wide {
        cells += Kubectl.templateColumns(deployment.spec.template, deployment.spec.selector)
      }
      return cells
    case .replicaSet(let replicaSet):
      var cells = [
        replicaSet.metadata.name, String(replicaSet.spec.replicas),
        String(replicaSet.status.replicas),
        String(replicaSet.status.readyReplicas), age(replicaSet.metadata.creationTimestamp),
      ]
      if wide {
        cells += Kubectl.templateColumns(replicaSet.spec.template, replicaSet.spec.selector)
      }
      return cells
    case .event(let event):
      let target = "\(event.involvedKind.lowercased())/\(event.involvedName)"
      var cells = [age(event.lastTimestamp), event.type, event.reason, target]
      if wide {
        cells += [
          event.fieldPath,
          event.sourceHost.isEmpty ? event.source : "\(event.source), \(event.sourceHost)",
        ]
      }
      cells.append(event.message.trimmingSpaces)
      if wide { cells += [age(event.firstTimestamp), String(event.count), event.metadata.name] }
      return cells
    case .printable(let object): return object.cells(in: self, wide: wide)
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
