/// Admission for the workloads that own pods through a selector and a template: ReplicaSet,
/// Deployment, DaemonSet.
extension Cluster {
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

  func applyReplicaSet(_ replicaSet: ReplicaSet, createOnly: Bool) throws(APIError)
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

  func applyDeployment(_ deployment: Deployment, createOnly: Bool) throws(APIError)
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

  func applyDaemonSet(_ daemonSet: DaemonSet, createOnly: Bool) throws(APIError) -> ApplyResult {
    try admitWorkload(
      daemonSet, daemonSet.spec.selector, daemonSet.spec.template,
      existing: store.daemonSets[daemonSet.key]?.spec.selector, createOnly: createOnly)
    let result = try createOrUpdate(
      daemonSet, \.spec, createOnly: createOnly, keepingAnnotations: "deprecated.daemonset."
    ) {
      $0.status = DaemonSetStatus()
    }
    // The registry records the template generation as an annotation.
    store.modify(DaemonSet.self, daemonSet.key) {
      $0.metadata.annotations["deprecated.daemonset.template.generation"] = String(
        $0.metadata.generation)
    }
    return result
  }
}
