/// The kubectl commands that change the cluster: run, create, apply, delete, label, cordon,
/// uncordon, drain.
extension Kubectl {
  /// `kubectl run NAME --image=…`: one pod, as kubectl's run generator builds it.
  func runPod(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let name = command.arguments.first else {
      throw KubectlError("error: NAME is required for run")
    }
    guard let image = command.value("image") else {
      throw KubectlError("error: required flag(s) \"image\" not set")
    }
    var labels: [(String, String)] = [("run", name)]
    if let text = command.value("labels") {
      labels = []
      for pair in text.split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw KubectlError("error: invalid label spec: \(pair)") }
        labels.append((parts[0], parts[1]))
      }
    }
    var container: Fields = ["name": .string(name), "image": .string(image)]
    let words = command.trailing + command.arguments.dropFirst()
    if !words.isEmpty {
      container[command.flag("command") ? "command" : "args"] = .array(words.map { .string($0) })
    }
    if let port = command.value("port") {
      guard let number = Int(port) else {
        throw KubectlError("error: invalid argument \(goQuote(port)) for \"--port\" flag")
      }
      container["ports"] = .array([.object(["containerPort": .int(Int64(number))])])
    }
    let env = command.all("env").map { pair -> JSONValue in
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      return .object(["name": .string(parts[0]), "value": .string(parts.count > 1 ? parts[1] : "")])
    }
    if !env.isEmpty { container["env"] = .array(env) }
    container["resources"] = .object([:])
    let restart = command.value("restart") ?? "Always"
    guard RestartPolicy(rawValue: restart) != nil else {
      throw KubectlError("error: invalid restart policy: \(restart)")
    }
    let manifest: JSONValue = .object([
      "kind": "Pod", "apiVersion": "v1",
      "metadata": generatedMetadata(name, command, labels: labels),
      "spec": .object([
        "containers": .array([.object(container)]), "restartPolicy": .string(restart),
        "dnsPolicy": "ClusterFirst",
      ]),
      "status": .object([:]),
    ])
    return try finishGenerated(command, .pod, manifest, name)
  }

  static func error(_ error: ClusterError) -> KubectlError {
    switch error {
    case .api(let apiError): return .api(apiError)
    default: return KubectlError(error.description)
    }
  }

  func create(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    if command.has("filename") { return try applyFiles(command, createOnly: true) }
    guard let what = command.arguments.first else {
      throw KubectlError("error: must specify one of -f and -k")
    }
    switch what {
    case "configmap", "cm", "secret": return try createConfig(command)
    default:
      if let output = try createGenerated(what, command) { return output }
      throw KubectlError(
        "error: Unexpected args: [\(command.arguments.joined(separator: " "))]\nSee 'kubectl create -h' for help and examples"
      )
    }
  }

  func applyFiles(_ command: KubectlCommandLine, createOnly: Bool) throws(KubectlError) -> String {
    let files = command.all("filename")
    guard !files.isEmpty else {
      throw KubectlError("error: must specify one of -f and -k")
    }
    var output = ""
    var errors: [String] = []
    for file in files.flatMap({ listFolder($0) ?? [$0] }) {
      let text: String
      do {
        text = try readFile(file)
      } catch {
        throw KubectlError("\(error)")
      }
      let report = cluster.apply(
        yaml: text, file: file, createOnly: createOnly, defaultNamespace: namespace(command),
        recordLastApplied: !createOnly)
      for result in report.results {
        // The server's warnings come back with its answer, before kubectl prints the line.
        for warning in result.warnings { output += "Warning: \(warning)\n" }
        let outcome = createOnly ? "created" : result.outcome.rawValue
        output += "\(result.resource.singular)/\(result.name) \(outcome)\n"
      }
      errors += report.errors
    }
    if !errors.isEmpty { throw KubectlError(output + errors.joined(separator: "\n")) }
    return output
  }

  func delete(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let namespace = self.namespace(command)
    // kubectl's rules: --now is 1 s; --grace-period=0 becomes 1 unless --force, which alone
    // means 0 (negative means the pod's own period).
    var grace = command.value("grace-period").flatMap { Int($0) }.flatMap { $0 < 0 ? nil : $0 }
    if command.flag("now") { grace = 1 }
    let force = command.flag("force")
    if grace == 0 && !force { grace = 1 }
    if force && grace == nil { grace = 0 }
    let warning =
      force && grace == 0
      ? "Warning: Immediate deletion does not wait for confirmation that the running resource "
        + "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
      : ""
    var targets: [(ResourceKind, String, String)] = []
    if command.has("filename") {
      for file in command.all("filename").flatMap({ listFolder($0) ?? [$0] }) {
        let text: String
        do { text = try readFile(file) } catch { throw KubectlError("\(error)") }
        let documents: [ManifestDocument]
        do { documents = try ManifestLoader.documents(text, file: file) } catch {
          throw KubectlError("error: \(error)")
        }
        for document in documents {
          let kindName = document.value["kind"]?.stringValue ?? ""
          guard let kind = ResourceKind.all.first(where: { $0.kind == kindName }) else { continue }
          let name = document.value[path: ["metadata", "name"]]?.stringValue ?? ""
          targets.append(
            (kind, name, document.value[path: ["metadata", "namespace"]]?.stringValue ?? namespace))
        }
      }
    } else {
      let selector = try self.selector(command)
      for (kind, names) in try resolve(command) {
        if names.isEmpty {
          guard command.flag("all") || command.has("selector") || command.has("field-selector")
          else {
            throw KubectlError(
              "error: resource(s) were provided, but no name was specified")
          }
          for object in try list(
            kind, namespace: kind.namespaced ? namespace : nil, names: [], selector: selector,
            fields: command.value("field-selector"))
          {
            targets.append((kind, object.metadata.name, object.metadata.namespace))
          }
        } else {
          targets += names.map { (kind, $0, namespace) }
        }
      }
    }
    if targets.isEmpty { return "No resources found\n" }
    let cascadeText = command.value("cascade") ?? "background"
    guard
      let cascade = Cluster.Cascade(
        rawValue: cascadeText == "true"
          ? "background" : cascadeText == "false" ? "orphan" : cascadeText)
    else {
      throw KubectlError(
        "error: invalid cascade value (\(cascadeText)). Must be \"background\", \"foreground\", or \"orphan\""
      )
    }
    var output = warning
    var failures: [String] = []
    for (kind, name, objectNamespace) in targets {
      do {
        try cluster.delete(
          kind, name, namespace: objectNamespace, gracePeriod: grace, cascade: cascade)
        output += "\(kind.singular) \"\(name)\" \(grace == 0 ? "force deleted" : "deleted")\n"
      } catch {
        if command.flag("ignore-not-found") && error.reason == .notFound { continue }
        failures.append(error.kubectlText)
      }
    }
    // kubectl waits for the objects to be gone (--wait=true); the virtual clock runs meanwhile.
    if command.value("wait") != "false" {
      let deadline = cluster.now + 10 * 60 * 1000
      while cluster.now < deadline,
        targets.contains(where: { cluster.store.contains($0.0, $0.1, namespace: $0.2) }),
        let next = cluster.clock.nextDueTime,
        next <= deadline
      {
        cluster.clock.run(until: next)
      }
    }
    if !failures.isEmpty {
      throw KubectlError(output + failures.joined(separator: "\n"))
    }
    return output
  }

  /// `kubectl scale --replicas=N rs/web`: sets the desired count; the controller does the rest.
  func scale(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let text = command.value("replicas") else {
      throw KubectlError("error: required flag(s) \"replicas\" not set")
    }
    guard let replicas = Int(text), replicas >= 0 else {
      throw KubectlError(
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
      )
    }
    let namespace = self.namespace(command)
    var output = ""
    for (kind, names) in try resolve(command) {
      for name in names {
        let key = ObjectKey(namespace: namespace, name: name)
        let current = command.value("current-replicas").flatMap(Int.init)
        switch kind {
        case .deployment:
          try scale(Deployment.self, key, to: replicas, \.spec.replicas, expecting: current)
        case .replicaSet:
          try scale(ReplicaSet.self, key, to: replicas, \.spec.replicas, expecting: current)
        default:
          throw KubectlError(
            "error: no objects passed to scale \(kind.plural) (Kelp scales deployments and replicasets)"
          )
        }
        output += "\(kind.singular)/\(name) scaled\n"
      }
    }
    return output
  }

  /// Sets an object's desired replicas (a spec change: the generation moves on).
  private func scale<T: APIObject>(
    _ type: T.Type, _ key: ObjectKey, to replicas: Int, _ field: WritableKeyPath<T, Int>,
    expecting current: Int?
  ) throws(KubectlError) {
    guard let object = T.table(in: cluster.store)[key] else {
      throw .api(.notFound(T.resource, key.name))
    }
    if let current, current != object[keyPath: field] {
      throw KubectlError("error: Expected replicas to be \(current), was \(object[keyPath: field])")
    }
    cluster.store.modify(T.self, key) { object in
      if object[keyPath: field] != replicas {
        object[keyPath: field] = replicas
        object.metadata.generation += 1
      }
    }
    cluster.settle()
  }

  func cordon(_ command: KubectlCommandLine, _ on: Bool) throws(KubectlError) -> String {
    guard !command.arguments.isEmpty else {
      throw KubectlError(
        "error: USAGE: \(on ? "cordon" : "uncordon") NODE [flags]\nSee 'kubectl \(on ? "cordon" : "uncordon") -h' for help and examples"
      )
    }
    var output = ""
    for name in command.arguments {
      do {
        let changed = try cluster.setUnschedulable(name, on)
        output += "node/\(name) \(changed ? "" : "already ")\(on ? "cordoned" : "uncordoned")\n"
      } catch {
        throw .api(error)
      }
    }
    return output
  }

  /// Cordons the node, then evicts its pods (through the eviction API: graceful deletion) and
  /// waits for them to go, as kubectl drain does.
  func drain(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let name = command.arguments.first else {
      throw KubectlError(
        "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples")
    }
    var output = try cordon(KubectlCommandLine(["cordon", name]), true)
    let pods = cluster.store.pods.unordered.filter {
      $0.spec.nodeName == name
        && $0.metadata.deletionTimestamp == nil
    }.sorted { $0.key < $1.key }
    let daemonSetPods = pods.filter { $0.metadata.controller?.kind == "DaemonSet" }
    // A finished pod may go without --force: nothing would run it again anyway.
    let unmanaged = pods.filter {
      $0.metadata.controller == nil && $0.status.phase != .succeeded && $0.status.phase != .failed
    }
    var problems: [String] = []
    if !daemonSetPods.isEmpty && !command.flag("ignore-daemonsets") {
      problems.append(
        "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
          + daemonSetPods.map { "\($0.metadata.namespace)/\($0.metadata.name)" }.joined(
            separator: ", "))
    }
    if !unmanaged.isEmpty && !command.flag("force") {
      problems.append(
        "cannot delete Pods that declare no controller (use --force to override): "
          + unmanaged.map { "\($0.metadata.namespace)/\($0.metadata.name)" }.joined(separator: ", ")
      )
    }
    if !problems.isEmpty {
      let joined = problems.count == 1 ? problems[0] : "[" + problems.joined(separator: ", ") + "]"
      throw KubectlError(
        output
          + "error: unable to drain node \"\(name)\" due to error: \(joined), continuing command...\n"
          + "There are pending nodes to be drained:\n \(name)\n" + problems.joined(separator: "\n"))
    }
    var warnings: [String] = []
    if !daemonSetPods.isEmpty {
      warnings.append(
        "ignoring DaemonSet-managed Pods: "
          + daemonSetPods.map { "\($0.metadata.namespace)/\($0.metadata.name)" }.joined(
            separator: ", "))
    }
    if !unmanaged.isEmpty {
      warnings.append(
        "deleting Pods that declare no controller: "
          + unmanaged.map { "\($0.metadata.namespace)/\($0.metadata.name)" }.joined(separator: ", ")
      )
    }
    if !warnings.isEmpty { output += "Warning: " + warnings.joined(separator: "; ") + "\n" }
    let evicted = pods.filter { $0.metadata.controller?.kind != "DaemonSet" }
    for pod in evicted {
      output += "evicting pod \(pod.metadata.namespace)/\(pod.metadata.name)\n"
      cluster.deletePod(pod.key, gracePeriod: nil)
    }
    cluster.settle()
    let deadline = cluster.now + 10 * 60 * 1000
    while evicted.contains(where: { cluster.store.pods[$0.key]?.metadata.uid == $0.metadata.uid }),
      let next = cluster.clock.nextDueTime, next <= deadline
    {
      cluster.clock.run(until: next)
    }
    for pod in evicted { output += "pod/\(pod.metadata.name) evicted\n" }
    return output + "node/\(name) drained\n"
  }
}
