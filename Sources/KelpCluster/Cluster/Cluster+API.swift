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
    settle settleAfter: Bool = true
  ) throws(ClusterError) -> ApplyResult {
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
    if type(of: decoded).resource.namespaced && decoded.metadata.namespace.isEmpty {
      decoded.metadata.namespace = defaultNamespace
    }
    let warnings = unknownFields.map { "unknown field \"\($0)\"" }
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
        try admitWorkload(
          daemonSet, daemonSet.spec.selector, daemonSet.spec.template,
          existing: store.daemonSets[daemonSet.key]?.spec.selector, createOnly: createOnly)
        result = try createOrUpdate(
          daemonSet, \.spec, createOnly: createOnly, keepingAnnotations: "deprecated.daemonset."
        ) {
          $0.status = DaemonSetStatus()
        }
        // The registry records the template generation as an annotation.
        store.modify(DaemonSet.self, daemonSet.key) {
          $0.metadata.annotations["deprecated.daemonset.template.generation"] = String(
            $0.metadata.generation)
        }
      case let job as Job: result = try applyJob(job, createOnly: createOnly)
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

  // MARK: - Pods

  /// A controller's pod: created through admission like any other, with the controller's
  /// `SuccessfulCreate` or `FailedCreate` event on its owner.
  @discardableResult
  func createControlledPod<Owner: APIObject>(_ pod: Pod, owner: Owner, source: String) -> String? {
    do {
      let result = try apply(
        pod.encoded(serverFields: false), createOnly: true, settle: false)
      recorder.record(
        owner, "Normal", "SuccessfulCreate", "Created pod: \(result.name)", source: source)
      return result.name
    } catch {
      recorder.record(
        owner, "Warning", "FailedCreate", "Error creating: \(error.kubectlMessage)",
        source: source)
      return nil
    }
  }

  private func applyPod(_ pod: Pod, createOnly: Bool) throws(APIError) -> ApplyResult {
    var pod = try admit(pod, creating: store.pods[pod.key] == nil)
    let key = pod.key
    if let existing = store.pods[key], !pod.metadata.name.isEmpty {
      if createOnly { throw .alreadyExists(.pod, pod.metadata.name) }
      var updated = existing
      updated.metadata.labels = pod.metadata.labels
      updated.metadata.annotations = pod.metadata.annotations
      pod.spec.nodeName = existing.spec.nodeName
      var allowed = existing.spec
      allowed.containers = zip(existing.spec.containers, pod.spec.containers).map { old, new in
        var container = old
        container.image = new.image
        return container
      }
      allowed.tolerations = pod.spec.tolerations
      if pod.spec.containers.count != existing.spec.containers.count
        || !Cluster.sameExceptMutable(allowed, pod.spec)
      {
        throw .invalid(
          .pod, pod.metadata.name,
          [
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
              + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
              + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
              + "(allow it to be set to 1 if it was previously negative)"
          ])
      }
      updated.spec = allowed
      if updated == existing {
        return ApplyResult(
          resource: .pod, name: key.name, namespace: key.namespace, outcome: .unchanged,
          warnings: [])
      }
      try store.update(updated)
      kubelets[updated.spec.nodeName]?.imagesChanged(updated)
      return ApplyResult(
        resource: .pod, name: key.name, namespace: key.namespace, outcome: .configured, warnings: []
      )
    }
    pod.status = PodStatus()
    pod.status.phase = .pending
    pod.status.qosClass = pod.qosClass
    let created = try store.create(pod)
    return ApplyResult(
      resource: .pod, name: created.metadata.name, namespace: created.metadata.namespace,
      outcome: .created, warnings: [])
  }

  private static func sameExceptMutable(_ a: PodSpec, _ b: PodSpec) -> Bool {
    var a = a
    var b = b
    a.nodeName = ""
    b.nodeName = ""
    a.tolerations = []
    b.tolerations = []
    return a.withoutServiceAccountToken == b.withoutServiceAccountToken
  }

  /// Admission: namespace checks, validation, and the defaults the API server adds.
  func admit(_ pod: Pod, creating: Bool = true) throws(APIError) -> Pod {
    var pod = pod
    let namespace = pod.metadata.namespace.isEmpty ? "default" : pod.metadata.namespace
    pod.metadata.namespace = namespace
    let shownName = pod.metadata.name.isEmpty ? pod.metadata.generateName : pod.metadata.name
    try checkNamespace(namespace, for: .pod, shownName)
    var causes: [String] = []
    if pod.metadata.name.isEmpty && pod.metadata.generateName.isEmpty {
      causes.append("metadata.name: Required value: name or generateName is required")
    } else if !pod.metadata.name.isEmpty {
      for problem in Validation.nameIsValid(pod.metadata.name, kind: "Pod") {
        causes.append("metadata.name: Invalid value: \"\(pod.metadata.name)\": \(problem)")
      }
    }
    causes += Cluster.labelProblems(pod.metadata.labels, path: "metadata.labels")
    var containerNames: Set<String> = []
    for (index, container) in (pod.spec.initContainers + pod.spec.containers).enumerated() {
      let isInit = index < pod.spec.initContainers.count
      let path =
        isInit
        ? "spec.initContainers[\(index)]"
        : "spec.containers[\(index - pod.spec.initContainers.count)]"
      for problem in Validation.isDNS1123Label(container.name) {
        causes.append("\(path).name: Invalid value: \"\(container.name)\": \(problem)")
      }
      if !containerNames.insert(container.name).inserted {
        causes.append("\(path).name: Duplicate value: \"\(container.name)\"")
      }
      for (portIndex, port) in container.ports.enumerated() {
        for (field, number) in [("containerPort", port.containerPort), ("hostPort", port.hostPort)]
        where !(1...65535).contains(number) && !(field == "hostPort" && number == 0) {
          causes.append(
            "\(path).ports[\(portIndex)].\(field): Invalid value: \(number): must be between 1 and 65535, inclusive"
          )
        }
      }
      for (resource, limit) in container.limits.sorted(by: { $0.key < $1.key }) {
        if let request = container.requests[resource], request > limit {
          causes.append(
            "\(path).resources.requests: Invalid value: \"\(request)\": must be less than or equal to \(resource) limit of \(limit)"
          )
        }
      }
    }
    if !causes.isEmpty { throw .invalid(.pod, shownName, causes) }
    // Defaults: requests from limits, and the DefaultTolerationSeconds admission plugin.
    for index in pod.spec.containers.indices {
      for (resource, limit) in pod.spec.containers[index].limits
      where pod.spec.containers[index].requests[resource] == nil {
        pod.spec.containers[index].requests[resource] = limit
      }
    }
    for key in [Taint.notReadyKey, Taint.unreachableKey]
    where !pod.spec.tolerations.contains(where: {
      ($0.key == key || ($0.key.isEmpty && $0.operator == "Exists"))
        && ($0.effect.isEmpty || $0.effect == "NoExecute")
    }) {
      pod.spec.tolerations.append(
        Toleration(key: key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300))
    }
    if creating { mountServiceAccountToken(&pod.spec) }
    return pod
  }

  /// The ServiceAccount admission plugin: unless `automountServiceAccountToken` is false, the
  /// API token, the cluster's CA and the namespace are mounted into every container.
  private func mountServiceAccountToken(_ spec: inout PodSpec) {
    guard spec.passthrough["automountServiceAccountToken"] != .bool(false),
      !spec.volumes.contains(where: { $0.name.hasPrefix(PodSpec.tokenVolumePrefix) })
    else { return }
    let name = PodSpec.tokenVolumePrefix + identities.nameSuffix()
    spec.volumes.append(
      Volume(
        name: name,
        source: [
          "projected": [
            "defaultMode": 420,
            "sources": [
              ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
              [
                "configMap": [
                  "items": [["key": "ca.crt", "path": "ca.crt"]], "name": "kube-root-ca.crt",
                ]
              ],
              [
                "downwardAPI": [
                  "items": [
                    [
                      "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"],
                      "path": "namespace",
                    ]
                  ]
                ]
              ],
            ],
          ]
        ]))
    let mount = VolumeMount(name: name, mountPath: PodSpec.tokenMountPath, readOnly: true)
    for index in spec.containers.indices
    where !spec.containers[index].volumeMounts.contains(where: {
      $0.mountPath == PodSpec.tokenMountPath
    }) {
      spec.containers[index].volumeMounts.append(mount)
    }
    for index in spec.initContainers.indices
    where !spec.initContainers[index].volumeMounts.contains(where: {
      $0.mountPath == PodSpec.tokenMountPath
    }) {
      spec.initContainers[index].volumeMounts.append(mount)
    }
  }

  /// A workload's selector must be set, valid, and match its pod template's labels.
  static func selectorProblems(_ selectorSpec: SelectorSpec, _ templateLabels: [String: String])
    -> [String]
  {
    guard !selectorSpec.isEmpty else {
      return ["spec.selector: Invalid value: \"null\": empty selector is invalid for deployment"]
    }
    do {
      guard try !selectorSpec.selector().matches(templateLabels) else { return [] }
    } catch {
      return ["spec.selector: Invalid value: \(error)"]
    }
    let shown = templateLabels.sorted { $0.key < $1.key }
      .map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ")
    return [
      "spec.template.metadata.labels: Invalid value: map[string]string{\(shown)}: `selector` does not match template `labels`"
    ]
  }

  static func labelProblems(_ labels: [String: String], path: String) -> [String] {
    var causes: [String] = []
    for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
      for problem in Validation.isQualifiedName(key) {
        causes.append("\(path): Invalid value: \"\(key)\": \(problem)")
      }
      for problem in Validation.isValidLabelValue(value) {
        causes.append("\(path): Invalid value: \"\(value)\": \(problem)")
      }
    }
    return causes
  }

  // MARK: - ReplicaSets

  private func applyReplicaSet(_ replicaSet: ReplicaSet, createOnly: Bool) throws(APIError)
    -> ApplyResult
  {
    try admitWorkload(
      replicaSet, replicaSet.spec.selector, replicaSet.spec.template,
      existing: store.replicaSets[replicaSet.key]?.spec.selector, createOnly: createOnly)
    return try createOrUpdate(replicaSet, \.spec, createOnly: createOnly) { replicaSet in
      replicaSet.status = ReplicaSetStatus()
    }
  }

  // MARK: - Deployments

  private func applyDeployment(_ deployment: Deployment, createOnly: Bool) throws(APIError)
    -> ApplyResult
  {
    try admitWorkload(
      deployment, deployment.spec.selector, deployment.spec.template,
      existing: store.deployments[deployment.key]?.spec.selector, createOnly: createOnly)
    // The controller's own annotations (the revision) stay, as server-side apply keeps them.
    return try createOrUpdate(
      deployment, \.spec, createOnly: createOnly, keepingAnnotations: "deployment.kubernetes.io/"
    ) { deployment in
      deployment.metadata.annotations[DeploymentController.revisionKey] = nil
      deployment.status = DeploymentStatus()
    }
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

  /// The API server's checks for a workload (ReplicaSet, Deployment): its namespace, its name,
  /// its template's labels, a selector that matches them, and that selector never changing.
  func admitWorkload<T: APIObject>(
    _ object: T, _ selector: SelectorSpec, _ template: PodTemplate, existing: SelectorSpec?,
    createOnly: Bool
  ) throws(APIError) {
    let name = object.metadata.name
    try checkNamespace(object.metadata.namespace, for: T.resource, name)
    var causes = Validation.nameIsValid(name, kind: T.resource.kind).map {
      "metadata.name: Invalid value: \"\(name)\": \($0)"
    }
    if name.isEmpty { causes = ["metadata.name: Required value: name or generateName is required"] }
    causes += Cluster.labelProblems(template.labels, path: "spec.template.metadata.labels")
    causes += Cluster.selectorProblems(selector, template.labels)
    if !causes.isEmpty { throw .invalid(T.resource, name, causes) }
    // Creating over an existing one is refused by `createOrUpdate`.
    guard let existing, !createOnly else { return }
    if existing != selector {
      throw .invalid(
        T.resource, name,
        ["spec.selector: Invalid value: \"\(selector.encoded.jsonText)\": field is immutable"])
    }
  }

  /// Creates the object, or updates its labels, annotations and spec; a changed spec moves the
  /// generation on, as the API server does for kinds with a status.
  func createOrUpdate<T: APIObject, Spec: Equatable>(
    _ object: T, _ spec: WritableKeyPath<T, Spec>, createOnly: Bool,
    keepingAnnotations prefix: String? = nil, stamp: ((inout T) -> Void)? = nil,
    fresh: (inout T) -> Void
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
