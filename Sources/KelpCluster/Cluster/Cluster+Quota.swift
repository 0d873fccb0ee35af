/// The LimitRanger and ResourceQuota admission plugins, and the quota controller's `used`.
extension Cluster {
  // MARK: - LimitRanger

  /// LimitRanger's mutation: a new pod's containers (init containers too) get the namespace's
  /// default limits and requests where they set none. It runs before validation, so a request
  /// above a defaulted limit is refused as invalid.
  func applyLimitRangeDefaults(_ pod: inout Pod) {
    let items = store.limitRanges.list(namespace: pod.metadata.namespace).flatMap(\.limits)
      .filter { $0.type == "Container" }
    guard !items.isEmpty else { return }
    // What LimitRanger set, per container, for its `kubernetes.io/limit-ranger` annotation.
    var notes: [String] = []
    func fill(_ container: inout Container, _ prefix: String) {
      var setLimits: Set<String> = []
      var setRequests: Set<String> = []
      for item in items {
        for (resource, value) in item.default where container.limits[resource] == nil {
          container.limits[resource] = value
          setLimits.insert(resource)
        }
        for (resource, value) in item.defaultRequest where container.requests[resource] == nil {
          container.requests[resource] = value
          setRequests.insert(resource)
        }
      }
      if !setRequests.isEmpty {
        notes.append(
          setRequests.sorted().joined(separator: ", ") + " request for \(prefix) \(container.name)")
      }
      if !setLimits.isEmpty {
        notes.append(
          setLimits.sorted().joined(separator: ", ") + " limit for \(prefix) \(container.name)")
      }
    }
    for index in pod.spec.containers.indices { fill(&pod.spec.containers[index], "container") }
    for index in pod.spec.initContainers.indices {
      fill(&pod.spec.initContainers[index], "init container")
    }
    if !notes.isEmpty {
      pod.metadata.annotations["kubernetes.io/limit-ranger"] =
        "LimitRanger plugin set: " + notes.joined(separator: "; ")
    }
  }

  /// LimitRanger's validation: every container, and the pod as a whole, within the minimums,
  /// maximums and ratios; otherwise the pod is forbidden, with upstream's list of reasons.
  func checkLimitRanges(_ pod: Pod) throws(APIError) {
    let items = store.limitRanges.list(namespace: pod.metadata.namespace).flatMap(\.limits)
    guard !items.isEmpty else { return }
    var problems: [String] = []
    for item in items {
      switch item.type {
      case "Container":
        for container in pod.spec.initContainers + pod.spec.containers {
          problems += Cluster.limitProblems(
            item, requests: container.requests, limits: container.limits, kind: "Container")
        }
      case "Pod":
        let (requests, limits) = Cluster.podResources(pod)
        problems += Cluster.limitProblems(item, requests: requests, limits: limits, kind: "Pod")
      default: break
      }
    }
    // Upstream aggregates the reasons: each once, in brackets when there are several.
    var unique: [String] = []
    for problem in problems where !unique.contains(problem) { unique.append(problem) }
    guard !unique.isEmpty else { return }
    let text = unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
    throw APIError(.forbidden, "pods \"\(pod.metadata.name)\" is forbidden: " + text)
  }

  /// A pod's requests and limits: the containers' sums, or an init container's if larger.
  static func podResources(_ pod: Pod) -> (requests: [String: Quantity], limits: [String: Quantity]) {
    var requests: [String: Quantity] = [:]
    var limits: [String: Quantity] = [:]
    for container in pod.spec.containers {
      for (resource, value) in container.requests { requests[resource, default: .zero] += value }
      for (resource, value) in container.limits { limits[resource, default: .zero] += value }
    }
    for container in pod.spec.initContainers {
      for (resource, value) in container.requests
      where (requests[resource] ?? .zero) < value {
        requests[resource] = value
      }
      for (resource, value) in container.limits where (limits[resource] ?? .zero) < value {
        limits[resource] = value
      }
    }
    return (requests, limits)
  }

  /// Upstream limitranger's min, max and ratio constraints, in its words.
  static func limitProblems(
    _ item: LimitRangeItem, requests: [String: Quantity], limits: [String: Quantity],
    kind: String
  ) -> [String] {
    var problems: [String] = []
    for (resource, minimum) in item.min.sorted(by: { $0.key < $1.key }) {
      if let request = requests[resource] {
        if request < minimum {
          problems.append(
            "minimum \(resource) usage per \(kind) is \(minimum), but request is \(request)")
        }
      } else {
        problems.append(
          "minimum \(resource) usage per \(kind) is \(minimum).  No request is specified")
      }
    }
    for (resource, maximum) in item.max.sorted(by: { $0.key < $1.key }) {
      if let limit = limits[resource] {
        if maximum < limit {
          problems.append(
            "maximum \(resource) usage per \(kind) is \(maximum), but limit is \(limit)")
        }
      } else {
        problems.append(
          "maximum \(resource) usage per \(kind) is \(maximum).  No limit is specified")
      }
    }
    for (resource, ratio) in item.maxLimitRequestRatio.sorted(by: { $0.key < $1.key }) {
      let prefix = "\(resource) max limit to request ratio per \(kind) is \(ratio), but"
      guard let limit = limits[resource], limit.milliValue > 0 else {
        problems.append("\(prefix) no limit is specified or limit is 0")
        continue
      }
      guard let request = requests[resource], request.milliValue > 0 else {
        problems.append("\(prefix) no request is specified or request is 0")
        continue
      }
      let provided = Double(limit.milliValue) / Double(request.milliValue)
      if provided > Double(ratio.milliValue) / 1000 {
        problems.append(
          "\(resource) max limit to request ratio per \(kind) is \(ratio), but provided ratio is \(String(format6: provided))"
        )
      }
    }
    return problems
  }

  // MARK: - ResourceQuota

  /// What an object counts against quotas.
  func quotaUsage(of object: any APIObject) -> [String: Quantity] {
    func count(_ n: Int) -> Quantity { Quantity(milliValue: Int64(n) * 1000, format: .decimalSI) }
    let kind = type(of: object).resource
    var usage: [String: Quantity] = [
      "count/\(kind.qualifiedPlural)": count(1)
    ]
    switch object {
    case let pod as Pod:
      guard pod.status.phase != .succeeded && pod.status.phase != .failed else { return [:] }
      usage["pods"] = count(1)
      let (requests, limits) = Cluster.podResources(pod)
      for resource in ["cpu", "memory", "ephemeral-storage"] {
        if let request = requests[resource] {
          usage["requests.\(resource)"] = request
          if resource != "ephemeral-storage" { usage[resource] = request }
        }
        if let limit = limits[resource] { usage["limits.\(resource)"] = limit }
      }
    case let service as Service:
      usage["services"] = count(1)
      if service.spec.type == "LoadBalancer" { usage["services.loadbalancers"] = count(1) }
      if service.spec.type == "NodePort" || service.spec.type == "LoadBalancer" {
        usage["services.nodeports"] = count(service.spec.ports.count)
      }
    case let claim as PersistentVolumeClaim:
      usage["persistentvolumeclaims"] = count(1)
      usage["requests.storage"] = claim.request
    case is ConfigMap: usage["configmaps"] = count(1)
    case is Secret: usage["secrets"] = count(1)
    case is ResourceQuota: usage["resourcequotas"] = count(1)
    default: break
    }
    return usage
  }

  /// The namespace's use of every quota resource, from the objects stored now (those the
  /// quota's scopes take in).
  func namespaceUsage(_ namespace: String, within quota: ResourceQuota) -> [String: Quantity] {
    var total: [String: Quantity] = [:]
    func add(_ objects: [any APIObject]) {
      for object in objects where Cluster.quota(quota, covers: object) {
        for (resource, value) in quotaUsage(of: object) { total[resource, default: .zero] += value }
      }
    }
    add(store.pods.list(namespace: namespace))
    add(store.services.list(namespace: namespace))
    add(store.configMaps.list(namespace: namespace))
    add(store.secrets.list(namespace: namespace))
    add(store.resourceQuotas.list(namespace: namespace))
    add(store.persistentVolumeClaims.list(namespace: namespace))
    return total
  }

  /// Whether writing the object can change what `namespaceUsage` counts. ResourceQuotas count
  /// too, but the recount itself writes them, so their own events do not start one.
  static func changesQuotaUsage(_ object: any APIObject) -> Bool {
    object is Pod || object is Service || object is ConfigMap || object is Secret
      || object is PersistentVolumeClaim
  }

  /// Whether a quota's scopes take in the object (only pods are scoped).
  static func quota(_ quota: ResourceQuota, covers object: any APIObject) -> Bool {
    guard let pod = object as? Pod else { return quota.scopes.isEmpty }
    return quota.scopes.allSatisfy { scope in
      switch scope {
      case "BestEffort": return pod.qosClass == "BestEffort"
      case "NotBestEffort": return pod.qosClass != "BestEffort"
      case "Terminating": return pod.spec.passthrough["activeDeadlineSeconds"] != nil
      case "NotTerminating": return pod.spec.passthrough["activeDeadlineSeconds"] == nil
      default: return true
      }
    }
  }

  /// ResourceQuota admission: a pod must state each request or limit a quota constrains (all
  /// quotas are checked for that first), and a new object whose use would pass a quota's hard
  /// limit is forbidden.
  /// Quota admission applies to creations: an update of an existing object is not counted again.
  func checkQuotaIfNew<T: APIObject>(_ object: T) throws(APIError) {
    if T.table(in: store)[object.key] == nil { try checkQuota(object) }
  }

  func checkQuota(_ object: any APIObject) throws(APIError) {
    let namespace = object.metadata.namespace
    let quotas = store.resourceQuotas.list(namespace: namespace).filter {
      Cluster.quota($0, covers: object)
    }
    guard !quotas.isEmpty else { return }
    let kind = type(of: object).resource
    let name = object.metadata.name.isEmpty ? object.metadata.generateName : object.metadata.name
    let prefix = "\(kind.qualifiedPlural) \"\(name)\" is forbidden: "
    if let pod = object as? Pod {
      for quota in quotas {
        var missing: [String] = []
        for resource in quota.hard.keys.sorted()
        where ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"]
          .contains(resource)
        {
          let field = resource.hasPrefix("limits.") ? "limits" : "requests"
          let base = resource.split(separator: ".").last.map(String.init) ?? resource
          let without = (pod.spec.initContainers + pod.spec.containers).filter {
            (field == "limits" ? $0.limits : $0.requests)[base] == nil
          }.map(\.name).sorted()
          if !without.isEmpty {
            missing.append("\(resource) for: \(without.joined(separator: ","))")
          }
        }
        if !missing.isEmpty {
          throw APIError(
            .forbidden,
            prefix + "failed quota: \(quota.metadata.name): must specify "
              + missing.joined(separator: "; "))
        }
      }
    }
    let requested = quotaUsage(of: object)
    for quota in quotas {
      let used = namespaceUsage(namespace, within: quota)
      let exceeded = quota.hard.keys.sorted().filter { resource in
        guard let request = requested[resource], request.milliValue > 0,
          let hard = quota.hard[resource]
        else { return false }
        return hard < (used[resource] ?? .zero) + request
      }
      guard !exceeded.isEmpty else { continue }
      func list(_ values: [String: Quantity]) -> String {
        exceeded.map { "\($0)=\(values[$0] ?? .zero)" }.joined(separator: ",")
      }
      throw APIError(
        .forbidden,
        prefix
          + "exceeded quota: \(quota.metadata.name), requested: \(list(requested)), used: \(list(used)), limited: \(list(quota.hard))"
      )
    }
  }

  /// The quota controller: every quota of a namespace shows its current use.
  func refreshQuotas(_ namespace: String) {
    let quotas = store.resourceQuotas.list(namespace: namespace)
    guard !quotas.isEmpty else { return }
    for quota in quotas {
      let usage = namespaceUsage(namespace, within: quota)
      var used: [String: Quantity] = [:]
      for resource in quota.hard.keys { used[resource] = usage[resource] ?? .zero }
      store.modify(ResourceQuota.self, quota.key) { $0.used = used }
    }
  }
}

extension String {
  /// Go's `%f`: six decimals.
  init(format6 value: Double) {
    let scaled = (value * 1_000_000).rounded()
    let whole = Int64(scaled / 1_000_000)
    let fraction = Int64(abs(scaled.truncatingRemainder(dividingBy: 1_000_000)))
    let digits = String(fraction)
    self = "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
  }
}
