/// Create, apply and delete, as the API server does them: decode strictly, admit (validate and
/// default), store.
extension Cluster {
  /// What `apply` did, in kubectl's words.
  public enum ApplyOutcome: String, Sendable {
    case created, configured, unchanged
  }

  public struct ApplyResult: Sendable {
    public var resource: ResourceKind
    public var name: String
    public var namespace: String
    public var outcome: ApplyOutcome
    /// `unknown field "spec.replica"`, as kubectl prints after `Warning: `.
    public var warnings: [String]
  }

  /// The kinds `apply` accepts, with their apiVersions.
  public static var supportedKinds: [String] {
    ResourceKind.all.filter { $0.kind != "Event" }.map(\.kind)
  }

  /// Creates the object, or updates it if it exists (kubectl apply). `defaultNamespace` is used
  /// when the manifest names none.
  @discardableResult
  public func apply(
    _ manifest: JSONValue, defaultNamespace: String = "default", createOnly: Bool = false,
    settle settleAfter: Bool = true, dryRun: Bool = false
  ) throws(ClusterError) -> ApplyResult {
    var (decoded, unknownFields) = try decode(manifest)
    let kind = type(of: decoded).resource.kind
    if type(of: decoded).resource.namespaced && decoded.metadata.namespace.isEmpty {
      decoded.metadata.namespace = defaultNamespace
    }
    let warnings = unknownFields.map { "unknown field \"\($0)\"" }
    if dryRun { return try dryRunApply(decoded, createOnly: createOnly, warnings: warnings) }
    var result: ApplyResult
    do throws(APIError) {
      switch decoded {
      case let pod as Pod: result = try applyPod(pod, createOnly: createOnly)
      case let namespace as Namespace:
        result = try applyNamespace(namespace, createOnly: createOnly)
      case let node as Node: result = try applyNode(node, createOnly: createOnly)
      case let replicaSet as ReplicaSet:
        result = try applyReplicaSet(replicaSet, createOnly: createOnly)
      case let deployment as Deployment:
        result = try applyDeployment(deployment, createOnly: createOnly)
      case let daemonSet as DaemonSet:
        result = try applyDaemonSet(daemonSet, createOnly: createOnly)
      case let job as Job: result = try applyJob(job, createOnly: createOnly)
      case let service as Service:
        try checkQuotaIfNew(service)
        result = try applyService(service, createOnly: createOnly)
      case let volume as PersistentVolume:
        result = try createOrUpdate(volume, \.capacity, createOnly: createOnly)
      case let claim as PersistentVolumeClaim:
        try checkNamespace(claim.metadata.namespace, for: .persistentVolumeClaim, claim.metadata.name)
        try checkQuotaIfNew(claim)
        result = try createOrUpdate(claim, \.request, createOnly: createOnly)
      case let storageClass as StorageClass:
        result = try createOrUpdate(storageClass, \.provisioner, createOnly: createOnly)
      case let range as LimitRange:
        try checkNamespace(range.metadata.namespace, for: .limitRange, range.metadata.name)
        result = try createOrUpdate(range, \.limits, createOnly: createOnly)
      case let quota as ResourceQuota:
        try checkNamespace(quota.metadata.namespace, for: .resourceQuota, quota.metadata.name)
        result = try createOrUpdate(quota, \.hard, createOnly: createOnly)
        refreshQuotas(quota.metadata.namespace)
      case let configMap as ConfigMap:
        try checkQuotaIfNew(configMap)
        result = try applyConfigMap(configMap, createOnly: createOnly)
      case let secret as Secret:
        try checkQuotaIfNew(secret)
        result = try applySecret(secret, createOnly: createOnly)
      case let cronJob as CronJob: result = try applyCronJob(cronJob, createOnly: createOnly)
      case let autoscaler as HorizontalPodAutoscaler:
        let name = autoscaler.metadata.name
        try checkNamespace(autoscaler.metadata.namespace, for: .horizontalPodAutoscaler, name)
        let causes = Validation.nameIsValid(name, kind: "HorizontalPodAutoscaler").map {
          "metadata.name: Invalid value: \"\(name)\": \($0)"
        }
        if !causes.isEmpty { throw APIError.invalid(.horizontalPodAutoscaler, name, causes) }
        result = try createOrUpdate(autoscaler, \.spec, createOnly: createOnly) {
          $0.status = HorizontalPodAutoscalerStatus()
        }
      default: throw APIError(.badRequest, "unsupported kind \(kind)")
      }
    } catch {
      throw .api(error)
    }
    result.warnings = warnings
    if settleAfter { settle() }
    return result
  }

  /// Decodes a manifest as the API server would, strictly: the object, and the fields it did
  /// not know (kubectl's `unknown field` warnings).
  public func decode(_ manifest: JSONValue) throws(ClusterError)
    -> (object: any APIObject, unknownFields: [String])
  {
    guard case .object = manifest else {
      throw .manifest(ManifestError("a manifest must be a map, got \(manifest.typeName)"))
    }
    guard let kind = manifest["kind"]?.stringValue, !kind.isEmpty else {
      throw .manifest(ManifestError("Object 'Kind' is missing in the manifest", fieldPath: "kind"))
    }
    let apiVersion = manifest["apiVersion"]?.stringValue ?? ""
    if apiVersion.isEmpty {
      throw .manifest(
        ManifestError("Object 'apiVersion' is missing in the manifest", fieldPath: "apiVersion"))
    }
    var decoded: any APIObject
    var unknownFields: [String] = []
    do {
      switch (kind, apiVersion) {
      case ("Pod", "v1"): (decoded, unknownFields) = try Pod.decode(manifest)
      case ("Deployment", "apps/v1"): (decoded, unknownFields) = try Deployment.decode(manifest)
      case ("ReplicaSet", "apps/v1"): (decoded, unknownFields) = try ReplicaSet.decode(manifest)
      case ("DaemonSet", "apps/v1"): (decoded, unknownFields) = try DaemonSet.decode(manifest)
      case ("Job", "batch/v1"): (decoded, unknownFields) = try Job.decode(manifest)
      case ("Service", "v1"): (decoded, unknownFields) = try Service.decode(manifest)
      case ("PersistentVolume", "v1"):
        (decoded, unknownFields) = try PersistentVolume.decode(manifest)
      case ("PersistentVolumeClaim", "v1"):
        (decoded, unknownFields) = try PersistentVolumeClaim.decode(manifest)
      case ("StorageClass", "storage.k8s.io/v1"):
        (decoded, unknownFields) = try StorageClass.decode(manifest)
      case ("LimitRange", "v1"): (decoded, unknownFields) = try LimitRange.decode(manifest)
      case ("ResourceQuota", "v1"): (decoded, unknownFields) = try ResourceQuota.decode(manifest)
      case ("ConfigMap", "v1"): (decoded, unknownFields) = try ConfigMap.decode(manifest)
      case ("Secret", "v1"): (decoded, unknownFields) = try Secret.decode(manifest)
      case ("CronJob", "batch/v1"): (decoded, unknownFields) = try CronJob.decode(manifest)
      case ("HorizontalPodAutoscaler", "autoscaling/v2"),
        ("HorizontalPodAutoscaler", "autoscaling/v1"):
        (decoded, unknownFields) = try HorizontalPodAutoscaler.decode(manifest, version: apiVersion)
      case ("Namespace", "v1"): decoded = try Namespace(decoding: manifest)
      case ("Node", "v1"): decoded = try Node(decoding: manifest)
      default:
        let supported = ResourceKind.all.filter { $0.kind != "Event" }.map {
          "\($0.apiVersion) \($0.kind)"
        }
        throw ClusterError.unsupported(
          "resource mapping not found for name: \"\(manifest[path: ["metadata", "name"]]?.stringValue ?? "")\" "
            + "namespace: \"\": no matches for kind \"\(kind)\" in version \"\(apiVersion)\"",
          hint: "ensure CRDs are installed first (Kelp serves "
            + supported.joined(separator: ", ") + ")")
      }
    } catch let error as ManifestError {
      throw .manifest(error)
    } catch let error as ClusterError {
      throw error
    } catch {
      throw .manifest(ManifestError("\(error)"))
    }
    return (decoded, unknownFields)
  }

  /// `--dry-run=server`: everything the API server checks before storing, and nothing stored.
  private func dryRunApply(_ object: any APIObject, createOnly: Bool, warnings: [String])
    throws(ClusterError) -> ApplyResult
  {
    let resource = type(of: object).resource
    let (name, namespace) = (object.metadata.name, object.metadata.namespace)
    let exists = store.contains(resource, name, namespace: namespace)
    do throws(APIError) {
      if resource.namespaced { try checkNamespace(namespace, for: resource, name) }
      if exists && createOnly { throw APIError.alreadyExists(resource, name) }
    } catch {
      throw .api(error)
    }
    return ApplyResult(
      resource: resource, name: name, namespace: namespace,
      outcome: exists ? .configured : .created, warnings: warnings)
  }

  /// Namespaced objects go into a namespace that exists and is not being deleted.
  func checkNamespace(_ namespace: String, for resource: ResourceKind, _ name: String)
    throws(APIError)
  {
    guard let ns = store.namespaces.get("", namespace) else {
      throw .notFound(.namespace, namespace)
    }
    if ns.phase == "Terminating" {
      throw APIError(
        .forbidden,
        "\(resource.qualifiedPlural) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated"
      )
    }
  }

  /// Creates the object, or updates its labels, annotations and spec; a changed spec moves the
  /// generation on, as the API server does for kinds with a status.
  func createOrUpdate<T: APIObject, Spec: Equatable>(
    _ object: T, _ spec: WritableKeyPath<T, Spec>, createOnly: Bool,
    keepingAnnotations prefix: String? = nil, stamp: ((inout T) -> Void)? = nil,
    fresh: (inout T) -> Void = { _ in }
  ) throws(APIError) -> ApplyResult {
    let (name, namespace) = (object.metadata.name, object.metadata.namespace)
    if let existing = T.table(in: store)[object.key] {
      if createOnly { throw .alreadyExists(T.resource, name) }
      var updated = existing
      updated.metadata.labels = object.metadata.labels
      updated.metadata.annotations = object.metadata.annotations
      if let prefix {
        updated.metadata.annotations.merge(
          existing.metadata.annotations.filter { $0.key.hasPrefix(prefix) }
        ) {
          mine, _ in mine
        }
      }
      if updated[keyPath: spec] != object[keyPath: spec] {
        updated[keyPath: spec] = object[keyPath: spec]
        updated.metadata.generation += 1
      }
      let outcome: ApplyOutcome = updated == existing ? .unchanged : .configured
      if outcome == .configured { try store.update(updated) }
      return ApplyResult(
        resource: T.resource, name: name, namespace: namespace, outcome: outcome, warnings: [])
    }
    var created = object
    created.metadata.generation = 1
    fresh(&created)
    try store.create(created, stamp: stamp)
    return ApplyResult(
      resource: T.resource, name: name, namespace: namespace, outcome: .created, warnings: [])
  }

  // MARK: - Namespaces and nodes

  private func applyNamespace(_ namespace: Namespace, createOnly: Bool) throws(APIError)
    -> ApplyResult
  {
    let name = namespace.metadata.name
    var causes = Validation.nameIsValid(name, kind: "Namespace").map {
      "metadata.name: Invalid value: \"\(name)\": \($0)"
    }
    if name.isEmpty { causes = ["metadata.name: Required value: name or generateName is required"] }
    causes += Cluster.labelProblems(namespace.metadata.labels, path: "metadata.labels")
    if !causes.isEmpty { throw .invalid(.namespace, name, causes) }
    if let existing = store.namespaces.get("", name) {
      if createOnly { throw .alreadyExists(.namespace, name) }
      var updated = existing
      updated.metadata.labels = namespace.metadata.labels
      updated.metadata.labels["kubernetes.io/metadata.name"] = name
      updated.metadata.annotations = namespace.metadata.annotations
      if updated == existing {
        return ApplyResult(
          resource: .namespace, name: name, namespace: "", outcome: .unchanged, warnings: [])
      }
      try store.update(updated)
      return ApplyResult(
        resource: .namespace, name: name, namespace: "", outcome: .configured, warnings: [])
    }
    var fresh = namespace
    fresh.metadata.namespace = ""
    fresh.metadata.labels["kubernetes.io/metadata.name"] = name
    try store.create(fresh)
    return ApplyResult(
      resource: .namespace, name: name, namespace: "", outcome: .created, warnings: [])
  }

  private func applyNode(_ node: Node, createOnly: Bool) throws(APIError) -> ApplyResult {
    let name = node.metadata.name
    if let existing = store.nodes.get("", name) {
      if createOnly { throw .alreadyExists(.node, name) }
      var updated = existing
      updated.metadata.labels = existing.metadata.labels.merging(node.metadata.labels) { _, new in
        new
      }
      updated.metadata.annotations =
        node.metadata.annotations.isEmpty
        ? existing.metadata.annotations : node.metadata.annotations
      updated.taints = node.taints
      updated.unschedulable = node.unschedulable
      if updated == existing {
        return ApplyResult(
          resource: .node, name: name, namespace: "", outcome: .unchanged, warnings: [])
      }
      try store.update(updated)
      nodeLifecycle.syncUnschedulableTaint(name)
      return ApplyResult(
        resource: .node, name: name, namespace: "", outcome: .configured, warnings: [])
    }
    let capacity = node.status.capacity
    try addNode(
      name, cpu: capacity["cpu"] ?? Quantity.cpu(millis: 4000),
      memory: capacity["memory"] ?? Quantity.bytes(8 << 30),
      pods: Int(capacity["pods"]?.value ?? 110), labels: node.metadata.labels, taints: node.taints)
    return ApplyResult(resource: .node, name: name, namespace: "", outcome: .created, warnings: [])
  }
}

/// Why a cluster operation failed: the API server said no, or the manifest was bad.
public enum ClusterError: Error, Sendable, CustomStringConvertible {
  case api(APIError)
  case manifest(ManifestError)
  case unsupported(String, hint: String)

  public var description: String {
    switch self {
    case .api(let error): return error.kubectlText
    case .manifest(let error): return "error: \(error)"
    case .unsupported(let message, _): return "error: \(message)"
    }
  }

  public var hint: String? {
    if case .unsupported(_, let hint) = self { return hint }
    return nil
  }
}
