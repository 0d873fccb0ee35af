/// The commands that change an object in place, as kubectl sends them: `patch` (strategic,
/// merge and JSON patches), `set env`, `set resources` and `replace -f`. Each works on
/// the object as the API server returns it and sends the result back as an update, so a
/// changed pod template rolls out as any update does.
extension Kubectl {
  // MARK: - patch

  func patch(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let namespace = self.namespace(command)
    guard let text = command.value("patch") else {
      throw KubectlError("error: must specify --patch or --patch-file containing the contents of the patch")
    }
    let patchType = command.value("type") ?? "strategic"
    guard ["strategic", "merge", "json"].contains(patchType) else {
      throw KubectlError(
        "error: --type must be one of [\"json\" \"merge\" \"strategic\"], not \(goQuote(patchType))")
    }
    let patchValue: JSONValue
    do {
      guard let parsed = try ManifestLoader.documents(text, file: "patch").first?.value else {
        throw KubectlError("error: unable to parse \(goQuote(text)): empty patch")
      }
      patchValue = parsed
    } catch let error as KubectlError {
      throw error
    } catch {
      throw KubectlError("error: unable to parse \(goQuote(text)): \(error)")
    }
    let subresource = command.value("subresource") ?? ""
    if !subresource.isEmpty, !Kubectl.patchSubresources.contains(subresource) {
      throw KubectlError(
        "error: invalid subresource value: \(goQuote(subresource)). Must be one of [status scale]")
    }
    func apply(_ document: JSONValue) throws(KubectlError) -> JSONValue {
      switch patchType {
      case "merge": Kubectl.mergePatch(document, patchValue, strategic: false)
      case "strategic": Kubectl.mergePatch(document, patchValue, strategic: true)
      default: try Kubectl.jsonPatch(document, patchValue)
      }
    }
    var output = ""
    for (kind, names) in try targets(command, namespace: namespace) {
      for name in names {
        let original = try current(kind, name, namespace)
        if !subresource.isEmpty {
          output += try patchSubresource(
            subresource, kind, name, namespace, original, patch: apply)
          continue
        }
        output += try send(kind, name, namespace, original, try apply(original), verb: "patched")
      }
    }
    return output
  }

  /// The object as the API server returns it.
  private func current(_ kind: ResourceKind, _ name: String, _ namespace: String)
    throws(KubectlError) -> JSONValue
  {
    guard let object = cluster.store.encodedObject(kind, name, namespace: namespace) else {
      throw .api(.notFound(kind, name))
    }
    return object
  }

  /// Sends a changed object as an update: `… patched`, or `… patched (no change)`.
  private func send(
    _ kind: ResourceKind, _ name: String, _ namespace: String, _ original: JSONValue,
    _ changed: JSONValue, verb: String
  ) throws(KubectlError) -> String {
    if changed == original { return "\(kind.singular)/\(name) \(verb) (no change)\n" }
    do {
      try cluster.apply(changed, defaultNamespace: namespace)
    } catch {
      throw Kubectl.error(error)
    }
    return "\(kind.singular)/\(name) \(verb)\n"
  }

  /// Strategic merge patch keys: lists of these merge item by item on the key, as the types'
  /// `patchMergeKey` tags say; other lists are replaced whole.
  static func mergeKey(_ field: String, under path: [String]) -> String? {
    switch field {
    case "containers", "initContainers", "env", "volumes", "imagePullSecrets": return "name"
    case "volumeMounts": return "mountPath"
    case "ports":
      return path.contains("containers") || path.contains("initContainers")
        ? "containerPort" : "port"
    default: return nil
    }
  }

  /// RFC 7386 merge patch; `strategic` also merges keyed lists and honours `$patch: delete`.
  static func mergePatch(
    _ target: JSONValue, _ patch: JSONValue, strategic: Bool, path: [String] = []
  ) -> JSONValue {
    guard case .object(let changes) = patch else { return patch }
    var fields = target.objectValue ?? [:]
    for (key, change) in changes {
      if change == .null {
        fields[key] = nil
        continue
      }
      if strategic, case .array(let items) = change, let mergeKey = mergeKey(key, under: path),
        case .array(let existing)? = fields[key]
      {
        fields[key] = .array(
          mergeList(existing, items, on: mergeKey, path: path + [key]))
        continue
      }
      fields[key] = mergePatch(
        fields[key] ?? .null, change, strategic: strategic, path: path + [key])
    }
    return .object(fields)
  }

  private static func mergeList(
    _ existing: [JSONValue], _ changes: [JSONValue], on key: String, path: [String]
  ) -> [JSONValue] {
    var result = existing
    for change in changes {
      let identity = change[key]
      let index = result.firstIndex { $0[key] == identity && identity != nil }
      if change["$patch"]?.stringValue == "delete" {
        if let index { result.remove(at: index) }
        continue
      }
      if let index {
        result[index] = mergePatch(result[index], change, strategic: true, path: path)
      } else {
        result.append(change)
      }
    }
    return result
  }

  /// RFC 6902 JSON patch: add, remove, replace, test, move and copy, on JSON pointers.
  static func jsonPatch(_ target: JSONValue, _ patch: JSONValue) throws(KubectlError) -> JSONValue {
    guard case .array(let operations) = patch else {
      throw KubectlError("error: unable to parse the JSON patch: it must be a list of operations")
    }
    var document = target
    for operation in operations {
      guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
        throw KubectlError("error: each JSON patch operation needs \"op\" and \"path\"")
      }
      let pointer = try JSONPointer(path)
      switch op {
      case "add", "replace":
        guard let value = operation["value"] else {
          throw KubectlError("error: the \(op) operation at \(path) needs a \"value\"")
        }
        try pointer.set(value, in: &document, replacing: op == "replace")
      case "remove":
        try pointer.remove(from: &document)
      case "test":
        guard pointer.get(document) == operation["value"] else {
          throw KubectlError("error: testing value \(path) failed")
        }
      case "move", "copy":
        guard let from = operation["from"]?.stringValue else {
          throw KubectlError("error: the \(op) operation at \(path) needs a \"from\"")
        }
        let source = try JSONPointer(from)
        guard let value = source.get(document) else {
          throw KubectlError("error: the \(op) operation's from \(from) does not exist")
        }
        if op == "move" { try source.remove(from: &document) }
        try pointer.set(value, in: &document, replacing: false)
      default:
        throw KubectlError("error: unexpected JSON patch operation \(goQuote(op))")
      }
    }
    return document
  }

  // MARK: - set env and set resources

  /// `set env TYPE/NAME KEY=VALUE KEY-` and `set resources TYPE/NAME --limits=… --requests=…`
  /// on the containers (`-c NAME`, default all) of a workload's pod template.
  func setTemplate(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let what = command.arguments.first ?? ""
    let namespace = self.namespace(command)
    var rest = command
    rest.arguments = command.arguments.dropFirst().filter {
      !(what == "env" && ($0.contains("=") || $0.hasSuffix("-")))
    }
    let env = command.arguments.dropFirst().filter { $0.contains("=") || $0.hasSuffix("-") }
      + command.all("env")
    if what == "env" && env.isEmpty {
      throw KubectlError("error: at least one environment variable must be provided")
    }
    let requests = try Kubectl.resourceList(command.value("requests"))
    let limits = try Kubectl.resourceList(command.value("limits"))
    if what == "resources" && requests.isEmpty && limits.isEmpty {
      throw KubectlError("error: you must specify an update to requests or limits (in the form of --requests/--limits)")
    }
    let wanted = command.value("container") ?? "*"
    var output = ""
    for (kind, names) in try targets(rest, namespace: namespace) {
      let templatePath: [String]
      switch kind {
      case .deployment, .replicaSet, .daemonSet, .job: templatePath = ["spec", "template", "spec"]
      case .cronJob: templatePath = ["spec", "jobTemplate", "spec", "template", "spec"]
      case .pod: templatePath = ["spec"]
      default:
        throw KubectlError("error: \(kind.plural) have no pod template to set \(what) on")
      }
      for name in names {
        let original = try current(kind, name, namespace)
        var changed = original
        guard case .array(var containers)? = original[path: templatePath + ["containers"]] else {
          continue
        }
        var matched = false
        for index in containers.indices {
          let containerName = containers[index]["name"]?.stringValue ?? ""
          guard wanted == "*" || wanted == containerName else { continue }
          matched = true
          if what == "env" {
            containers[index] = try Kubectl.settingEnv(containers[index], env)
          } else {
            containers[index] = Kubectl.settingResources(containers[index], requests, limits)
          }
        }
        if !matched { throw KubectlError("error: unable to find container named \(wanted)") }
        changed.set(ArraySlice(templatePath + ["containers"]), to: .array(containers))
        if kind == .pod && changed != original {
          throw KubectlError(
            "The Pod \"\(name)\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")
        }
        let verb = what == "env" ? "env updated" : "resource requirements updated"
        if changed == original { continue }
        _ = try send(kind, name, namespace, original, changed, verb: verb)
        output += "\(kind.singular)/\(name) \(verb)\n"
      }
    }
    return output
  }

  private static func resourceList(_ text: String?) throws(KubectlError) -> [(String, String)] {
    guard let text, !text.isEmpty else { return [] }
    var result: [(String, String)] = []
    for pair in text.split(separator: ",") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, (try? Quantity(parts[1])) != nil else {
        throw KubectlError("error: invalid argument \(goQuote(String(pair))) for resource list")
      }
      result.append((parts[0], parts[1]))
    }
    return result
  }

  private static func settingEnv(_ container: JSONValue, _ changes: [String]) throws(KubectlError)
    -> JSONValue
  {
    var env = container["env"].flatMap { value -> [JSONValue]? in
      if case .array(let items) = value { return items }
      return nil
    } ?? []
    for change in changes {
      if change.hasSuffix("-") && !change.contains("=") {
        env.removeAll { $0["name"]?.stringValue == String(change.dropLast()) }
        continue
      }
      let parts = change.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      guard !parts[0].isEmpty else {
        throw KubectlError("error: invalid env: \(change)")
      }
      let variable: JSONValue = .object(["name": .string(parts[0]), "value": .string(parts.count > 1 ? parts[1] : "")])
      if let index = env.firstIndex(where: { $0["name"]?.stringValue == parts[0] }) {
        env[index] = variable
      } else {
        env.append(variable)
      }
    }
    guard case .object(var fields) = container else { return container }
    fields["env"] = env.isEmpty ? nil : .array(env)
    return .object(fields)
  }

  private static func settingResources(
    _ container: JSONValue, _ requests: [(String, String)], _ limits: [(String, String)]
  ) -> JSONValue {
    var updated = container
    for (field, values) in [("requests", requests), ("limits", limits)] where !values.isEmpty {
      var list = container[path: ["resources", field]]?.objectValue ?? [:]
      for (resource, value) in values { list[resource] = .string(value) }
      updated.set(["resources", field], to: .object(list))
    }
    return updated
  }

  // MARK: - replace

  /// `replace -f FILE`: each object must exist; its manifest replaces it.
  func replace(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let files = command.all("filename")
    guard !files.isEmpty else { throw KubectlError("error: must specify --filename to replace") }
    var output = ""
    for file in files.flatMap({ listFolder($0) ?? [$0] }) {
      let text: String
      do { text = try readFile(file) } catch { throw KubectlError("\(error)") }
      let documents: [ManifestDocument]
      do { documents = try ManifestLoader.documents(text, file: file) } catch {
        throw KubectlError("error: \(error)")
      }
      for document in documents {
        let object: any APIObject
        do {
          object = try cluster.decode(document.value).object
        } catch {
          throw KubectlError(Cluster.located(error, in: document, file: file))
        }
        let resource = type(of: object).resource
        let name = object.metadata.name
        let namespace =
          object.metadata.namespace.isEmpty ? self.namespace(command) : object.metadata.namespace
        guard cluster.store.contains(resource, name, namespace: namespace) else {
          throw KubectlError(
            "Error from server (NotFound): error when replacing \"\(file)\": \(resource.qualifiedPlural) \"\(name)\" not found"
          )
        }
        do {
          try cluster.apply(document.value, defaultNamespace: namespace)
        } catch {
          throw Kubectl.error(error)
        }
        output += "\(resource.singular)/\(name) replaced\n"
      }
    }
    return output
  }
}
