import OrderedCollections

/// `kubectl create deployment|service|job|cronjob|quota|namespace`, built as kubectl 1.32 builds
/// them (create_deployment.go, create_service.go, create_job.go, create_cronjob.go,
/// create_quota.go, create_namespace.go): the same fields in the same order, so `--dry-run=client
/// -o yaml|json` prints what kubectl prints, and a real create stores the same object.
extension Kubectl {
  typealias Fields = OrderedDictionary<String, JSONValue>

  /// The generators by the word after `create`, with their aliases.
  func createGenerated(_ what: String, _ command: KubectlCommandLine) throws(KubectlError)
    -> String?
  {
    switch what {
    case "deployment", "deploy": return try createDeployment(command)
    case "service", "svc": return try createService(command)
    case "job": return try createJob(command)
    case "cronjob", "cj": return try createCronJob(command)
    case "quota", "resourcequota": return try createQuota(command)
    case "namespace", "ns": return try createNamespace(command)
    default: return nil
    }
  }

  /// Sends a generated manifest (or, in a client dry run, only prints it).
  func finishGenerated(
    _ command: KubectlCommandLine, _ kind: ResourceKind, _ manifest: JSONValue, _ name: String,
    verb: String = "created"
  ) throws(KubectlError) -> String {
    let options = try CreateOptions(command, in: self)
    let namespace = options.namespace
    return try options.finish(
      kind, manifest, name, failure: verb == "created" && command.verb == "create"
        ? "\(kind.singular): " : nil, kubectl: self, verb: verb
    ) { dryRun throws(APIError) in
      do throws(ClusterError) {
        try cluster.apply(
          manifest, defaultNamespace: namespace, createOnly: true, settle: false, dryRun: dryRun)
      } catch {
        switch error {
        case .api(let apiError): throw apiError
        default: throw APIError(.badRequest, error.description)
        }
      }
    }
  }

  /// metadata as kubectl writes it: name, the namespace only when `-n` was given, labels.
  func generatedMetadata(
    _ name: String, _ command: KubectlCommandLine, labels: [(String, String)] = []
  ) -> JSONValue {
    var metadata: Fields = ["name": .string(name)]
    if command.has("namespace") { metadata["namespace"] = .string(namespace(command)) }
    metadata["creationTimestamp"] = .null
    if !labels.isEmpty {
      metadata["labels"] = .object(Fields(uniqueKeysWithValues: labels.map { ($0, .string($1)) }))
    }
    return .object(metadata)
  }

  private func singleName(_ command: KubectlCommandLine, _ path: String) throws(KubectlError)
    -> String
  {
    let names = command.arguments.dropFirst(path.split(separator: " ").count - 2)
    guard names.count == 1, let name = names.first else {
      throw KubectlError(
        "error: exactly one NAME is required, got \(names.count)\n"
          + "See '\(path) -h' for help and examples")
    }
    return name
  }

  /// A container as kubectl's generators make one: name, image, command, then the empty
  /// resources kubectl always prints.
  func generatedContainer(
    _ name: String, image: String, command: [String], ports: JSONValue? = nil
  ) -> JSONValue {
    var container: Fields = ["name": .string(name), "image": .string(image)]
    if !command.isEmpty { container["command"] = .array(command.map { .string($0) }) }
    if let ports { container["ports"] = ports }
    container["resources"] = .object([:])
    return .object(container)
  }

  // MARK: - deployment

  private func createDeployment(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let name = try singleName(command, "kubectl create deployment")
    let images = command.all("image")
    guard !images.isEmpty else { throw KubectlError("error: required flag(s) \"image\" not set") }
    if images.count > 1 && !command.trailing.isEmpty {
      throw KubectlError("error: cannot specify multiple --image options and command")
    }
    let replicas = try integerFlag(command, "replicas") ?? 1
    let port = try integerFlag(command, "port") ?? -1
    // Container names: the image's last path part without tag or digest, `_` made `-`.
    var used: Set<String> = []
    var containers: [JSONValue] = []
    for (index, image) in images.enumerated() {
      var base = String(image.split(separator: "/").last ?? "")
      if let colon = base.firstIndex(of: ":") { base = String(base[..<colon]) }
      if let at = base.firstIndex(of: "@") { base = String(base[..<at]) }
      base = base.replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
      var containerName = base
      // kubectl's sanitizeAndUniquify: a repeated name gets a random five-letter suffix.
      if used.contains(containerName) {
        containerName = "\(base)-\(cluster.identities.nameSuffix())"
      }
      used.insert(containerName)
      let ports: JSONValue? =
        index == 0 && port >= 0 ? .array([.object(["containerPort": .int(Int64(port))])]) : nil
      containers.append(
        generatedContainer(containerName, image: image, command: command.trailing, ports: ports))
    }
    let labels: JSONValue = .object(["app": .string(name)])
    let manifest: JSONValue = .object([
      "kind": "Deployment", "apiVersion": "apps/v1",
      "metadata": generatedMetadata(name, command, labels: [("app", name)]),
      "spec": .object([
        "replicas": .int(Int64(replicas)),
        "selector": .object(["matchLabels": labels]),
        "template": .object([
          "metadata": .object(["creationTimestamp": .null, "labels": labels]),
          "spec": .object(["containers": .array(containers)]),
        ]),
        "strategy": .object([:]),
      ]),
      "status": .object([:]),
    ])
    return try finishGenerated(command, .deployment, manifest, name)
  }

  private func integerFlag(_ command: KubectlCommandLine, _ flag: String) throws(KubectlError)
    -> Int?
  {
    guard let text = command.value(flag) else { return nil }
    guard let number = Int(text) else {
      throw KubectlError(
        "error: invalid argument \(goQuote(text)) for \"--\(flag)\" flag: strconv.ParseInt: parsing \(goQuote(text)): invalid syntax"
      )
    }
    return number
  }

  // MARK: - service

  private func createService(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let types = [
      "clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
      "externalname": "ExternalName",
    ]
    guard command.arguments.count > 1, let type = types[command.arguments[1]] else {
      throw KubectlError(
        "error: Unexpected args: [\(command.arguments.dropFirst().joined(separator: " "))]\n"
          + "See 'kubectl create service -h' for help and examples")
    }
    let name = try singleName(command, "kubectl create service \(command.arguments[1])")
    let tcp = command.all("tcp").flatMap { $0.split(separator: ",").map(String.init) }
    let clusterIP = command.value("clusterip") ?? ""
    let externalName = command.value("external-name") ?? ""
    switch type {
    case "ExternalName":
      guard !externalName.isEmpty else {
        throw KubectlError("error: required flag(s) \"external-name\" not set")
      }
    case "ClusterIP":
      if tcp.isEmpty && clusterIP != "None" {
        throw KubectlError("error: at least one tcp port specifier must be provided")
      }
    default:
      if tcp.isEmpty { throw KubectlError("error: at least one tcp port specifier must be provided") }
    }
    if clusterIP == "None" && !tcp.isEmpty && type == "ClusterIP" {
      // kubectl accepts ports on a headless Service.
    }
    let nodePort = try integerFlag(command, "node-port") ?? 0
    var ports: [JSONValue] = []
    for spec in tcp {
      let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard parts.count <= 2, let port = Int(parts[0]), (1...65535).contains(port) else {
        throw KubectlError("error: \(spec) is not a valid port specifier")
      }
      let target: JSONValue
      if parts.count == 2 {
        target = Int(parts[1]).map { .int(Int64($0)) } ?? .string(parts[1])
      } else {
        target = .int(Int64(port))
      }
      var fields: Fields = [
        "name": .string(spec.replacingOccurrences(of: ":", with: "-")), "protocol": "TCP",
        "port": .int(Int64(port)), "targetPort": target,
      ]
      if nodePort != 0 { fields["nodePort"] = .int(Int64(nodePort)) }
      ports.append(.object(fields))
    }
    var spec: Fields = [:]
    if !ports.isEmpty { spec["ports"] = .array(ports) }
    spec["selector"] = .object(["app": .string(name)])
    if !clusterIP.isEmpty { spec["clusterIP"] = .string(clusterIP) }
    spec["type"] = .string(type)
    if !externalName.isEmpty { spec["externalName"] = .string(externalName) }
    let manifest: JSONValue = .object([
      "kind": "Service", "apiVersion": "v1",
      "metadata": generatedMetadata(name, command, labels: [("app", name)]),
      "spec": .object(spec),
      "status": .object(["loadBalancer": .object([:])]),
    ])
    return try finishGenerated(command, .service, manifest, name)
  }

  // MARK: - job and cronjob

  private func createJob(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let name = try singleName(command, "kubectl create job")
    if let from = command.value("from") { return try createJob(name, from: from, command) }
    guard let image = command.value("image") else {
      throw KubectlError("error: either --image or --from must be specified")
    }
    let manifest: JSONValue = .object([
      "kind": "Job", "apiVersion": "batch/v1",
      "metadata": generatedMetadata(name, command),
      "spec": .object([
        "template": .object([
          "metadata": .object(["creationTimestamp": .null]),
          "spec": .object([
            "containers": .array([
              generatedContainer(name, image: image, command: command.trailing)
            ]),
            "restartPolicy": "Never",
          ]),
        ])
      ]),
      "status": .object([:]),
    ])
    return try finishGenerated(command, .job, manifest, name)
  }

  /// `create job NAME --from=cronjob/CRON`: a Job from the CronJob's template, owned by it and
  /// marked as started by hand, as kubectl does.
  private func createJob(_ name: String, from: String, _ command: KubectlCommandLine)
    throws(KubectlError) -> String
  {
    let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
    guard parts.count == 2, ["cronjob", "cronjobs", "cj", "cronjob.batch"].contains(parts[0])
    else {
      throw KubectlError("error: from must be an existing cronjob: \(from)")
    }
    let namespace = self.namespace(command)
    guard let cronJob = cluster.store.cronJobs.get(namespace, parts[1]),
      case .object(var template) = cronJob.encoded(serverFields: false)[path: ["spec", "jobTemplate"]]
    else {
      throw KubectlError.api(.notFound(.cronJob, parts[1]))
    }
    var metadata = template["metadata"]?.objectValue ?? [:]
    metadata["name"] = .string(name)
    if command.has("namespace") { metadata["namespace"] = .string(namespace) }
    var annotations = metadata["annotations"]?.objectValue ?? [:]
    annotations["cronjob.kubernetes.io/instantiate"] = "manual"
    metadata["annotations"] = .object(annotations)
    metadata["ownerReferences"] = .array([
      .object([
        "apiVersion": "batch/v1", "kind": "CronJob", "name": .string(cronJob.metadata.name),
        "uid": .string(cronJob.metadata.uid), "controller": .bool(true),
      ])
    ])
    template["metadata"] = nil
    let manifest: JSONValue = .object([
      "kind": "Job", "apiVersion": "batch/v1", "metadata": .object(metadata),
      "spec": template["spec"] ?? .object([:]), "status": .object([:]),
    ])
    return try finishGenerated(command, .job, manifest, name)
  }

  private func createCronJob(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let name = try singleName(command, "kubectl create cronjob")
    let missing = ["image", "schedule"].filter { !command.has($0) }
    if !missing.isEmpty {
      throw KubectlError(
        "error: required flag(s) \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) not set")
    }
    let restart = command.value("restart") ?? "OnFailure"
    guard restart == "OnFailure" || restart == "Never" else {
      throw KubectlError("error: restart must be either OnFailure or Never")
    }
    let manifest: JSONValue = .object([
      "kind": "CronJob", "apiVersion": "batch/v1",
      "metadata": generatedMetadata(name, command),
      "spec": .object([
        "schedule": .string(command.value("schedule") ?? ""),
        "jobTemplate": .object([
          "metadata": .object(["creationTimestamp": .null, "name": .string(name)]),
          "spec": .object([
            "template": .object([
              "metadata": .object(["creationTimestamp": .null]),
              "spec": .object([
                "containers": .array([
                  generatedContainer(
                    name, image: command.value("image") ?? "", command: command.trailing)
                ]),
                "restartPolicy": .string(restart),
              ]),
            ])
          ]),
        ]),
      ]),
      "status": .object([:]),
    ])
    return try finishGenerated(command, .cronJob, manifest, name)
  }

  // MARK: - quota and namespace

  private func createQuota(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let name = try singleName(command, "kubectl create quota")
    var hard: Fields = [:]
    for pair in (command.value("hard") ?? "").split(separator: ",") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw KubectlError("error: invalid argument \"\(pair)\": must be of the form name=value")
      }
      guard let quantity = try? Quantity(parts[1]) else {
        throw KubectlError(
          "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
      }
      hard[parts[0]] = .string(quantity.description)
    }
    var spec: Fields = [:]
    if !hard.isEmpty { spec["hard"] = .object(hard.sorted { $0.key < $1.key }.reduce(into: Fields()) { $0[$1.key] = $1.value }) }
    let scopes = (command.value("scopes") ?? "").split(separator: ",").map { JSONValue.string(String($0)) }
    if !scopes.isEmpty { spec["scopes"] = .array(scopes) }
    let manifest: JSONValue = .object([
      "kind": "ResourceQuota", "apiVersion": "v1",
      "metadata": generatedMetadata(name, command),
      "spec": .object(spec),
      "status": .object([:]),
    ])
    return try finishGenerated(command, .resourceQuota, manifest, name)
  }

  private func createNamespace(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let name = try singleName(command, "kubectl create namespace")
    let manifest: JSONValue = .object([
      "kind": "Namespace", "apiVersion": "v1",
      "metadata": .object(["name": .string(name), "creationTimestamp": .null]),
      "spec": .object([:]), "status": .object([:]),
    ])
    return try finishGenerated(command, .namespace, manifest, name)
  }
}
