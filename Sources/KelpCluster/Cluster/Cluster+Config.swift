/// Admission for ConfigMaps and Secrets, as upstream's `ValidateConfigMap`, `ValidateSecret`
/// and their `…Update` rules (pkg/apis/core/validation/validation.go) decide it.
extension Cluster {
  /// `core.MaxSecretSize`: the bytes of values one ConfigMap or one Secret may hold. The
  /// limit exists because every object lives in etcd and in every watching kubelet's memory.
  static let maxConfigBytes = 1024 * 1024

  /// Creates or updates a ConfigMap; `dryRun` validates and answers without storing (kubectl
  /// `--dry-run=server`).
  func applyConfigMap(_ configMap: ConfigMap, createOnly: Bool, dryRun: Bool = false)
    throws(APIError) -> ApplyResult
  {
    let name = Cluster.shownName(configMap.metadata)
    try checkNamespace(configMap.metadata.namespace, for: .configMap, name)
    let existing = store.configMaps[configMap.key]
    var causes: [String] = []
    if let existing, !createOnly {
      causes += Cluster.immutabilityProblems(
        wasImmutable: existing.isImmutable, isImmutable: configMap.isImmutable,
        changed: [
          ("data", configMap.data != existing.data),
          ("binaryData", configMap.binaryData != existing.binaryData),
        ])
    }
    causes += Cluster.configMapProblems(configMap)
    if !causes.isEmpty { throw .invalid(.configMap, name, causes) }
    return try createOrReplace(configMap, existing, createOnly: createOnly, dryRun: dryRun) {
      stored, written in
      stored.data = written.data
      stored.binaryData = written.binaryData
      stored.immutable = written.immutable
    }
  }

  /// Creates or updates a Secret (`stringData` is already merged into `data` by decoding).
  func applySecret(_ secret: Secret, createOnly: Bool, dryRun: Bool = false)
    throws(APIError) -> ApplyResult
  {
    let name = Cluster.shownName(secret.metadata)
    try checkNamespace(secret.metadata.namespace, for: .secret, name)
    let existing = store.secrets[secret.key]
    var causes: [String] = []
    if let existing, !createOnly {
      // The type decides which keys the Secret must hold and how consumers read it.
      if secret.type != existing.type {
        causes.append("type: Invalid value: \(goQuote(secret.type)): field is immutable")
      }
      causes += Cluster.immutabilityProblems(
        wasImmutable: existing.isImmutable, isImmutable: secret.isImmutable,
        changed: [("data", secret.data != existing.data)])
    }
    causes += Cluster.secretProblems(secret)
    if !causes.isEmpty { throw .invalid(.secret, name, causes) }
    return try createOrReplace(secret, existing, createOnly: createOnly, dryRun: dryRun) {
      stored, written in
      stored.data = written.data
      stored.immutable = written.immutable
    }
  }

  /// Stores a new object, or copies the written fields, labels and annotations onto the
  /// stored one: `unchanged` when that changes nothing. These kinds have no spec and no
  /// status, so the API server keeps no generation for them.
  private func createOrReplace<T: APIObject>(
    _ object: T, _ existing: T?, createOnly: Bool, dryRun: Bool,
    copy: (inout T, T) -> Void
  ) throws(APIError) -> ApplyResult {
    func result(_ outcome: ApplyOutcome, _ name: String) -> ApplyResult {
      ApplyResult(
        resource: T.resource, name: name, namespace: object.metadata.namespace,
        outcome: outcome, warnings: [])
    }
    guard let existing else {
      if dryRun { return result(.created, Cluster.shownName(object.metadata)) }
      return result(.created, try store.create(object).metadata.name)
    }
    if createOnly { throw .alreadyExists(T.resource, existing.metadata.name) }
    var updated = existing
    updated.metadata.labels = object.metadata.labels
    updated.metadata.annotations = object.metadata.annotations
    copy(&updated, object)
    if updated == existing { return result(.unchanged, existing.metadata.name) }
    if !dryRun { try store.update(updated) }
    return result(.configured, existing.metadata.name)
  }

  /// The name errors speak of: the generated-name prefix until the store picks a name.
  static func shownName(_ metadata: ObjectMeta) -> String {
    metadata.name.isEmpty ? metadata.generateName : metadata.name
  }

  // MARK: - Validation

  /// `ValidateObjectMeta` for a namespaced kind named as a DNS subdomain.
  static func metadataProblems(_ metadata: ObjectMeta, kind: String) -> [String] {
    var causes: [String] = []
    if metadata.name.isEmpty {
      if metadata.generateName.isEmpty {
        causes.append("metadata.name: Required value: name or generateName is required")
      }
    } else {
      causes += Validation.nameIsValid(metadata.name, kind: kind).map {
        "metadata.name: Invalid value: \(goQuote(metadata.name)): \($0)"
      }
    }
    return causes + labelProblems(metadata.labels, path: "metadata.labels")
  }

  /// Upstream `ValidateConfigMap`. Keys are checked in sorted order (Go walks its maps in a
  /// random one). The size error names the root path, which Go prints as `[]`.
  static func configMapProblems(_ configMap: ConfigMap) -> [String] {
    var causes = metadataProblems(configMap.metadata, kind: "ConfigMap")
    for key in configMap.data.keys.sorted() {
      causes += ConfigMap.keyProblems(key).map {
        "data[\(key)]: Invalid value: \(goQuote(key)): \($0)"
      }
      if configMap.binaryData[key] != nil {
        causes.append(
          "data[\(key)]: Invalid value: \(goQuote(key)): duplicate of key present in binaryData")
      }
    }
    for key in configMap.binaryData.keys.sorted() {
      causes += ConfigMap.keyProblems(key).map {
        "binaryData[\(key)]: Invalid value: \(goQuote(key)): \($0)"
      }
    }
    if configMap.valueBytes > maxConfigBytes {
      causes.append("[]: Too long: must have at most \(maxConfigBytes) bytes")
    }
    return causes
  }

  /// Upstream `ValidateSecret`: keys as ConfigMap keys, the size, then the keys each built-in
  /// type requires. A bad docker config is reported without its contents.
  static func secretProblems(_ secret: Secret) -> [String] {
    var causes = metadataProblems(secret.metadata, kind: "Secret")
    for key in secret.data.keys.sorted() {
      causes += ConfigMap.keyProblems(key).map {
        "data[\(key)]: Invalid value: \(goQuote(key)): \($0)"
      }
    }
    if secret.valueBytes > maxConfigBytes {
      causes.append("data: Too long: must have at most \(maxConfigBytes) bytes")
    }
    let data = secret.data
    func requireKey(_ key: String) { causes.append("data[\(key)]: Required value") }
    switch secret.type {
    case Secret.serviceAccountToken:
      if (secret.metadata.annotations[Secret.serviceAccountNameAnnotation] ?? "").isEmpty {
        causes.append(
          "metadata.annotations[\(Secret.serviceAccountNameAnnotation)]: Required value")
      }
    case Secret.dockercfg, Secret.dockerConfigJSON:
      let key = secret.type == Secret.dockercfg ? Secret.dockercfgKey : Secret.dockerConfigJSONKey
      guard let bytes = data[key] else {
        requireKey(key)
        break
      }
      if let problem = JSONObjectCheck.problem(bytes) {
        causes.append("data[\(key)]: Invalid value: \"<secret contents redacted>\": \(problem)")
      }
    case Secret.basicAuth:
      // Either may be empty, but one of the two must be there.
      if data[Secret.usernameKey] == nil && data[Secret.passwordKey] == nil {
        requireKey(Secret.usernameKey)
        requireKey(Secret.passwordKey)
      }
    case Secret.sshAuth:
      if (data[Secret.sshPrivateKey] ?? []).isEmpty { requireKey(Secret.sshPrivateKey) }
    case Secret.tls:
      if data[Secret.tlsCertKey] == nil { requireKey(Secret.tlsCertKey) }
      if data[Secret.tlsPrivateKeyKey] == nil { requireKey(Secret.tlsPrivateKeyKey) }
    default:
      break
    }
    return causes
  }

  /// Once `immutable` is true it stays true and the values stay as they are: kubelets stop
  /// watching such objects, so a change would never reach the pods that use them.
  static func immutabilityProblems(
    wasImmutable: Bool, isImmutable: Bool, changed fields: [(name: String, changed: Bool)]
  ) -> [String] {
    guard wasImmutable else { return [] }
    let forbidden = ": Forbidden: field is immutable when `immutable` is set"
    var causes: [String] = []
    if !isImmutable { causes.append("immutable" + forbidden) }
    for field in fields where field.changed { causes.append(field.name + forbidden) }
    return causes
  }
}
