/// The LimitRanger and ResourceQuota admission plugins, and the quota controller's `used`.
extension Cluster {
  // MARK: - LimitRanger

  /// A new pod's containers get the namespace's default requests and limits, then must fit
  /// its minimums, maximums and ratios; otherwise the pod is forbidden.
  func applyLimitRanges(_ pod: inout Pod) throws(APIError) {
    let ranges = store.limitRanges.list(namespace: pod.metadata.namespace)
    guard !ranges.isEmpty else { return }
    let name = pod.metadata.name
    for item in ranges.flatMap(\.limits) where item.type == "Container" {
      for index in pod.spec.containers.indices {
        for (resource, value) in item.default
        where pod.spec.containers[index].limits[resource] == nil {
          pod.spec.containers[index].limits[resource] = value
        }
        for (resource, value) in item.defaultRequest
        where pod.spec.containers[index].requests[resource] == nil {
          pod.spec.containers[index].requests[resource] = value
        }
      }
    }
    var problems: [String] = []
    for item in ranges.flatMap(\.limits) {
      switch item.type {
      case "Container":
        for container in pod.spec.containers {
          problems += Cluster.limitProblems(
            item, requests: container.requests, limits: container.limits, kind: "Container")
        }
      case "Pod":
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        for container in pod.spec.containers {
          for (resource, value) in container.requests { requests[resource, default: .zero] += value }
          for (resource, value) in container.limits { limits[resource, default: .zero] += value }
        }
        problems += Cluster.limitProblems(item, requests: requests, limits: limits, kind: "Pod")
      default: break
      }
    }
    if !problems.isEmpty {
      throw APIError(
        .forbidden, "pods \"\(name)\" is forbidden: " + problems.joined(separator: ", "))
    }
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
      guard let limit = limits[resource], let request = requests[resource],
        request.milliValue > 0
      else { continue }
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
      for container in pod.spec.containers {
        for resource in ["cpu", "memory", "ephemeral-storage"] {
          if let request = container.requests[resource] {
            usage["requests.\(resource)", default: .zero] += request
            if resource != "ephemeral-storage" { usage[resource, default: .zero] += request }
          }
          if let limit = container.limits[resource] {
            usage["limits.\(resource)", default: .zero] += limit
          }
        }
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

  /// The namespace's use of every quota resource, from the objects stored now.
  func namespaceUsage(_ namespace: String) -> [String: Quantity] {
    var total: [String: Quantity] = [:]
    func add(_ objects: [any APIObject]) {
      for object in objects {
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

  /// ResourceQuota admission: a new object whose use would pass a quota's hard limit is
  /// forbidden, and a pod must state each request or limit a quota constrains.
  func checkQuota(_ object: any APIObject) throws(APIError) {
    let namespace = object.metadata.namespace
    let quotas = store.resourceQuotas.list(namespace: namespace)
    guard !quotas.isEmpty else { return }
    let kind = type(of: object).resource
    let name = object.metadata.name.isEmpty ? object.metadata.generateName : object.metadata.name
    let prefix = "\(kind.qualifiedPlural) \"\(name)\" is forbidden: "
    let requested = quotaUsage(of: object)
    let used = namespaceUsage(namespace)
    for quota in quotas {
      if let pod = object as? Pod {
        var missing: [String] = []
        for resource in quota.hard.keys.sorted()
        where ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"]
          .contains(resource)
        {
          let field = resource.hasPrefix("limits.") ? "limits" : "requests"
          let base = resource.split(separator: ".").last.map(String.init) ?? resource
          let without = pod.spec.containers.filter {
            (field == "limits" ? $0.limits : $0.requests)[base] == nil
          }.map(\.name)
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
    let usage = namespaceUsage(namespace)
    for quota in quotas {
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
