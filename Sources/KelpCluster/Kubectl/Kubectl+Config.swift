/// `kubectl create configmap|secret`, as kubectl 1.32 builds the objects (create_configmap.go,
/// create_secret.go, create_secret_tls.go, create_secret_docker.go), and `get`/`describe` of
/// both kinds (printers.go, describe.go).
extension Kubectl {
  /// `create configmap|cm NAME …` and `create secret generic|tls|docker-registry NAME …`.
  func createConfig(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let words = command.arguments
    guard words.first == "secret" else {
      let name = try commandName(words.dropFirst(), "kubectl create configmap")
      let options = try CreateOptions(command, in: self)
      let configMap = try buildConfigMap(name, command, options)
      return try options.finish(
        .configMap, configMap.encoded(serverFields: false), name, failure: "configmap: ",
        kubectl: self
      ) { dryRun throws(APIError) in
        _ = try cluster.applyConfigMap(configMap, createOnly: true, dryRun: dryRun)
      }
    }
    guard words.count > 1 else { throw KubectlError(Kubectl.secretHelp) }
    let kind = words[1]
    guard ["generic", "tls", "docker-registry"].contains(kind) else {
      throw KubectlError(
        "error: unknown command \(goQuote(words.dropFirst().joined(separator: " ")))\n"
          + "See 'kubectl create secret -h' for help and examples")
    }
    let name = try commandName(words.dropFirst(2), "kubectl create secret \(kind)")
    let options = try CreateOptions(command, in: self)
    let secret: Secret
    switch kind {
    case "generic": secret = try buildGenericSecret(name, command, options)
    case "tls": secret = try buildTLSSecret(name, command, options)
    default: secret = try buildDockerRegistrySecret(name, command, options)
    }
    var built = secret.encoded(serverFields: false)
    // kubectl leaves the type empty for `generic` without --type; the server defaults it.
    if kind == "generic" && (command.value("type") ?? "").isEmpty {
      built = .object(built.objectValue?.filter { $0.key != "type" } ?? [:])
    }
    // Upstream's docker-registry message lacks the colon the other two have.
    return try options.finish(
      .secret, built, secret.metadata.name,
      failure: kind == "docker-registry" ? "secret " : "secret: ", kubectl: self
    ) { dryRun throws(APIError) in
      _ = try cluster.applySecret(secret, createOnly: true, dryRun: dryRun)
    }
  }

  /// Upstream `NameFromCommandArgs`.
  private func commandName(_ names: ArraySlice<String>, _ path: String) throws(KubectlError)
    -> String
  {
    guard names.count == 1, let name = names.first else {
      throw KubectlError(
        "error: exactly one NAME is required, got \(names.count)\n"
          + "See '\(path) -h' for help and examples")
    }
    return name
  }

  /// What `kubectl create secret` alone prints: its help, as a failure.
  static let secretHelp = """
    Create a secret with specified type.

     A docker-registry type secret is for accessing a container registry.

     A generic type secret indicate an Opaque secret type.

     A tls type secret holds TLS certificate and its associated key.

    Available Commands:
      docker-registry   Create a secret for use with a Docker registry
      generic           Create a secret from a local file, directory, or literal value
      tls               Create a TLS secret

    Usage:
      kubectl create secret (docker-registry | generic | tls) [options]

    Use "kubectl create secret <command> --help" for more information about a given command.
    """

  // MARK: - Building the objects

  private func buildConfigMap(
    _ name: String, _ command: KubectlCommandLine, _ options: CreateOptions
  ) throws(KubectlError) -> ConfigMap {
    var configMap = ConfigMap(metadata: ObjectMeta(name: name, namespace: options.namespace))
    func add(_ key: String, _ value: String) throws(KubectlError) {
      let problems = ConfigMap.keyProblems(key)
      if !problems.isEmpty {
        throw KubectlError(
          "error: \(goQuote(key)) is not a valid key name for a ConfigMap: "
            + problems.joined(separator: ","))
      }
      if configMap.data[key] != nil {
        throw KubectlError(
          "error: cannot add key \(goQuote(key)), another key by that name already exists in "
            + "Data for ConfigMap \(goQuote(name))")
      }
      configMap.data[key] = value
    }
    try options.checkEnvFileUse()
    for source in options.fileSources {
      let (key, path) = try Kubectl.parseFileSource(source)
      try add(key, try readSource(path))
    }
    for source in command.all("from-literal") {
      let (key, value) = try Kubectl.parseLiteralSource(source)
      try add(key, value)
    }
    for path in options.envFileSources {
      for (key, value) in try envFilePairs(path) { try add(key, value) }
    }
    return configMap
  }

  private func buildGenericSecret(
    _ name: String, _ command: KubectlCommandLine, _ options: CreateOptions
  ) throws(KubectlError) -> Secret {
    var secret = Secret(metadata: ObjectMeta(name: name, namespace: options.namespace))
    secret.type = command.value("type").flatMap { $0.isEmpty ? nil : $0 } ?? Secret.opaque
    try options.checkEnvFileUse()
    for source in command.all("from-literal") {
      let (key, value) = try Kubectl.parseLiteralSource(source)
      try Kubectl.add(key, Array(value.utf8), to: &secret)
    }
    try addFileSources(options.fileSources, to: &secret)
    for path in options.envFileSources {
      for (key, value) in try envFilePairs(path) {
        try Kubectl.add(key, Array(value.utf8), to: &secret)
      }
    }
    return secret
  }

  private func buildTLSSecret(
    _ name: String, _ command: KubectlCommandLine, _ options: CreateOptions
  ) throws(KubectlError) -> Secret {
    guard let certPath = command.value("cert"), let keyPath = command.value("key"),
      !certPath.isEmpty, !keyPath.isEmpty
    else { throw KubectlError("error: key and cert must be specified") }
    func read(_ path: String) throws(KubectlError) -> String {
      do {
        return try readFile(path)
      } catch {
        throw KubectlError(
          "error: Cannot read file \(path), open \(path): no such file or directory")
      }
    }
    let (certificate, key) = (try read(certPath), try read(keyPath))
    if let problem = Secret.tlsKeyPairProblem(certificate: certificate, key: key) {
      throw KubectlError("error: \(problem)")
    }
    var secret = Secret(metadata: ObjectMeta(name: name, namespace: options.namespace))
    secret.type = Secret.tls
    secret.data = [
      Secret.tlsCertKey: Array(certificate.utf8), Secret.tlsPrivateKeyKey: Array(key.utf8),
    ]
    return secret
  }

  private func buildDockerRegistrySecret(
    _ name: String, _ command: KubectlCommandLine, _ options: CreateOptions
  ) throws(KubectlError) -> Secret {
    let username = command.value("docker-username") ?? ""
    let password = command.value("docker-password") ?? ""
    let email = command.value("docker-email") ?? ""
    let server = command.value("docker-server") ?? "https://index.docker.io/v1/"
    if options.fileSources.isEmpty && (username.isEmpty || password.isEmpty || server.isEmpty) {
      throw KubectlError(
        "error: either --from-file or the combination of --docker-username, --docker-password "
          + "and --docker-server is required")
    }
    var secret = Secret(metadata: ObjectMeta(name: name, namespace: options.namespace))
    secret.type = Secret.dockerConfigJSON
    if !options.fileSources.isEmpty {
      try addFileSources(options.fileSources, to: &secret)
      return secret
    }
    secret.data[Secret.dockerConfigJSONKey] = Secret.dockerConfigJSON(
      server: server, username: username, password: password, email: email)
    return secret
  }

  /// Upstream `addKeyFromLiteralToSecret`.
  private static func add(_ key: String, _ value: [UInt8], to secret: inout Secret)
    throws(KubectlError)
  {
    let problems = ConfigMap.keyProblems(key)
    if !problems.isEmpty {
      throw KubectlError(
        "error: \(goQuote(key)) is not valid key name for a Secret "
          + problems.joined(separator: ";"))
    }
    if secret.data[key] != nil {
      throw KubectlError("error: cannot add key \(key), another key by that name already exists")
    }
    secret.data[key] = value
  }

  private func addFileSources(_ sources: [String], to secret: inout Secret) throws(KubectlError) {
    for source in sources {
      let (key, path) = try Kubectl.parseFileSource(source)
      try Kubectl.add(key, Array(try readSource(path).utf8), to: &secret)
    }
  }
}

extension Kubectl {
  /// The flags every `create configmap|secret` reads before building anything, in kubectl's
  /// order (`Complete`, then `Validate`), and the printing of what was created.
  struct CreateOptions {
    enum DryRun { case none, client, server }
    let dryRun: DryRun
    let output: String
    let namespace: String
    /// Only an explicit `-n` puts the namespace into a client-side manifest.
    let namespaceGiven: Bool
    /// `--from-file` and `--from-env-file` are string slices: commas separate several.
    let fileSources: [String]
    let envFileSources: [String]
    let hasLiterals: Bool
    let goTemplate: GoTemplate?

    init(_ command: KubectlCommandLine, in kubectl: Kubectl) throws(KubectlError) {
      switch command.value("dry-run") {
      case nil, "none", "false": dryRun = .none
      case "client", "true": dryRun = .client
      case "server": dryRun = .server
      case let other?:
        throw KubectlError(
          "error: Invalid dry-run value (\(other)). Must be \"none\", \"server\", or \"client\".")
      }
      var output = command.value("output") ?? ""
      goTemplate = try Kubectl.goTemplate(command)
      if goTemplate != nil { output = "go-template" }
      self.output = output
      guard ["", "name", "yaml", "json", "go-template"].contains(output) || output.hasPrefix("jsonpath=")
      else {
        throw KubectlError(
          "error: unable to match a printer suitable for the output format \(goQuote(output)), "
            + "allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
            + "jsonpath-file,name,template,templatefile,yaml")
      }
      namespace = kubectl.namespace(command)
      namespaceGiven = command.has("namespace")
      let split = { (values: [String]) in
        values.flatMap { $0.split(separator: ",").map(String.init) }
      }
      fileSources = split(command.all("from-file"))
      envFileSources = split(command.all("from-env-file"))
      hasLiterals = command.has("from-literal")
    }

    func checkEnvFileUse() throws(KubectlError) {
      if !envFileSources.isEmpty && (!fileSources.isEmpty || hasLiterals) {
        throw KubectlError("error: from-env-file cannot be combined with from-file or from-literal")
      }
    }

    /// Sends the object unless the dry run is the client's, then prints it as `-o` asks:
    /// `configmap/NAME created`, the name, or the manifest (the stored object after a real
    /// create; with `creationTimestamp: null`, as kubectl 1.32 prints it, in a dry run).
    func finish(
      _ kind: ResourceKind, _ built: JSONValue, _ name: String, failure: String?,
      kubectl: Kubectl, verb: String = "created", send: (Bool) throws(APIError) -> Void
    ) throws(KubectlError) -> String {
      if dryRun != .client {
        do {
          try send(dryRun == .server)
        } catch {
          // `create TYPE` wraps the server's error; `run`, `expose` and `autoscale` print it.
          guard let failure else { throw KubectlError.api(error) }
          throw KubectlError("error: failed to create \(failure)\(error.message)")
        }
        if dryRun == .none { kubectl.cluster.settle() }
      }
      switch output {
      case "":
        let note = [DryRun.none: "", .client: " (dry run)", .server: " (server dry run)"][dryRun]
        return "\(kind.singular)/\(name) \(verb)\(note ?? "")\n"
      case "name": return "\(kind.singular)/\(name)\n"
      default:
        var object = built
        if dryRun == .none,
          let stored = kubectl.cluster.store.encodedObject(kind, name, namespace: namespace)
        {
          object = stored
        } else {
          object.set(["metadata", "creationTimestamp"], to: .null)
          if !namespaceGiven && dryRun == .client {
            object.set(
              ["metadata"],
              to: .object(object["metadata"]?.objectValue?.filter { $0.key != "namespace" } ?? [:]))
          }
        }
        if output.hasPrefix("jsonpath=") {
          return try JSONPath(String(output.dropFirst("jsonpath=".count))).render(object)
        }
        if let goTemplate { return try goTemplate.render(object) }
        return output == "yaml" ? object.yamlText : object.jsonText + "\n"
      }
    }
  }
}

extension ConfigMap: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "DATA", "AGE"] }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [metadata.name, String(data.count + binaryData.count), kubectl.age(metadata.creationTimestamp)]
  }

  /// Each text value in full under its key and a `----` rule, binary values by size only.
  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "\nData\n====\n"
    for (key, value) in data.sorted(by: { $0.key < $1.key }) {
      text += "\(key):\n----\n\(value)\n\n"
    }
    text += "\nBinaryData\n====\n"
    for (key, value) in binaryData.sorted(by: { $0.key < $1.key }) {
      text += "\(key): \(value.count) bytes\n"
    }
    text += "\n" + kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension Secret: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "TYPE", "DATA", "AGE"] }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [metadata.name, type, String(data.count), kubectl.age(metadata.creationTimestamp)]
  }

  /// Sizes only, never values; kubectl shows a service account token itself, which is meant
  /// to be copied. Secrets have no Events section in kubectl 1.32.
  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "\nType:\t\(type)\n\nData\n====\n"
    for (key, value) in data.sorted(by: { $0.key < $1.key }) {
      let shown =
        key == Secret.tokenKey && type == Secret.serviceAccountToken
        ? String(decoding: value, as: UTF8.self) : "\(value.count) bytes"
      text += "\(key):\t\(shown)\n"
    }
    return TabWriter.describe.format(text)
  }
}
