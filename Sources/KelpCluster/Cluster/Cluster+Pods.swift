/// Pods through the API server: admission (validation, defaults, the ServiceAccount token
/// volume) and what an update may change.
extension Cluster {
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

  func applyPod(_ pod: Pod, createOnly: Bool) throws(APIError) -> ApplyResult {
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
    try checkLimitRanges(pod)
    try checkQuota(pod)
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
    a = a.withoutServiceAccountToken
    b = b.withoutServiceAccountToken
    // A manifest may spell out what the server defaulted (`dnsPolicy: ClusterFirst`, as `get
    // -o yaml` prints it): compare the specs as the server returns them.
    // (Key order aside: the YAML form sorts keys.)
    return a == b || a.encoded(serverFields: true).yamlText == b.encoded(serverFields: true).yamlText
  }

  /// Admission: namespace checks, validation, and the defaults the API server adds.
  func admit(_ pod: Pod, creating: Bool = true) throws(APIError) -> Pod {
    var pod = pod
    let namespace = pod.metadata.namespace.isEmpty ? "default" : pod.metadata.namespace
    pod.metadata.namespace = namespace
    let shownName = pod.metadata.name.isEmpty ? pod.metadata.generateName : pod.metadata.name
    try checkNamespace(namespace, for: .pod, shownName)
    if creating {
      // The API's defaults (requests from limits), then mutating admission (LimitRanger), then
      // validation, as the API server orders them.
      Cluster.defaultRequestsFromLimits(&pod)
      applyLimitRangeDefaults(&pod)
    }
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
      // Extended resources and hugepages cannot be overcommitted: whole units, requests equal
      // to limits (upstream ValidateResourceRequirements).
      func overcommitable(_ resource: String) -> Bool {
        !Cluster.isExtendedResource(resource) && !resource.hasPrefix("hugepages-")
      }
      for (resource, limit) in container.limits.sorted(by: { $0.key < $1.key }) {
        if Cluster.isExtendedResource(resource), limit.milliValue % 1000 != 0 {
          causes.append(
            "\(path).resources.limits[\(resource)]: Invalid value: \"\(limit)\": must be an integer")
        }
      }
      for (resource, request) in container.requests.sorted(by: { $0.key < $1.key }) {
        if Cluster.isExtendedResource(resource), request.milliValue % 1000 != 0 {
          causes.append(
            "\(path).resources.requests[\(resource)]: Invalid value: \"\(request)\": must be an integer")
        }
        if let limit = container.limits[resource] {
          if request != limit && !overcommitable(resource) {
            causes.append(
              "\(path).resources.requests: Invalid value: \"\(request)\": must be equal to \(resource) limit of \(limit)"
            )
          } else if request > limit {
            causes.append(
              "\(path).resources.requests: Invalid value: \"\(request)\": must be less than or equal to \(resource) limit of \(limit)"
            )
          }
        } else if !overcommitable(resource) {
          causes.append(
            "\(path).resources.limits: Required value: Limit must be set for non overcommitable resources")
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
    // The name is generated before admission, so that a refusal names the pod.
    if creating && pod.metadata.name.isEmpty {
      repeat {
        pod.metadata.name = pod.metadata.generateName + identities.nameSuffix()
      } while store.pods[pod.key] != nil
    }
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


  static func defaultRequestsFromLimits(_ pod: inout Pod) {
    for index in pod.spec.containers.indices {
      for (resource, limit) in pod.spec.containers[index].limits
      where pod.spec.containers[index].requests[resource] == nil {
        pod.spec.containers[index].requests[resource] = limit
      }
    }
  }
}
