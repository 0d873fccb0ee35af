/// The QoS class, by upstream's rules (pkg/apis/core/v1/helper/qos): Guaranteed when every
/// container sets CPU and memory limits equal to its requests (limits alone count as requests),
/// BestEffort when none sets any, Burstable otherwise.
extension Pod {
  public var qosClass: String {
    var anyRequestOrLimit = false
    var guaranteed = true
    for container in spec.initContainers + spec.containers {
      var requests = container.requests
      for (resource, limit) in container.limits where requests[resource] == nil {
        requests[resource] = limit
      }
      let relevant = ["cpu", "memory"]
      for resource in relevant {
        let request = requests[resource].flatMap { $0.isZero ? nil : $0 }
        let limit = container.limits[resource].flatMap { $0.isZero ? nil : $0 }
        if request != nil || limit != nil { anyRequestOrLimit = true }
        guard let limit, let request, limit == request else {
          guaranteed = false
          continue
        }
      }
    }
    if !anyRequestOrLimit { return "BestEffort" }
    return guaranteed ? "Guaranteed" : "Burstable"
  }

  /// What the scheduler counts against a node: the larger of the sum over app containers and
  /// the largest init container, per resource (upstream `PodRequests`).
  public var resourceRequests: (cpuMillis: Int64, memoryBytes: Int64) {
    func request(_ container: Container, _ resource: String) -> Quantity? {
      container.requests[resource] ?? container.limits[resource]
    }
    var cpu: Int64 = 0
    var memory: Int64 = 0
    for container in spec.containers {
      cpu += request(container, "cpu")?.milliValue ?? 0
      memory += request(container, "memory")?.value ?? 0
    }
    for container in spec.initContainers {
      cpu = max(cpu, request(container, "cpu")?.milliValue ?? 0)
      memory = max(memory, request(container, "memory")?.value ?? 0)
    }
    return (cpu, memory)
  }

  /// The other resources the scheduler and the kubelet count against a node, by name
  /// (ephemeral-storage, extended resources such as `nvidia.com/gpu`, hugepages), in whole
  /// units, summed and maxed as `resourceRequests` does (upstream's ScalarResources).
  public var scalarRequests: [String: Int64] {
    var sums: [String: Int64] = [:]
    func requests(_ container: Container) -> [String: Int64] {
      var result: [String: Int64] = [:]
      for (resource, quantity) in container.limits.merging(container.requests, uniquingKeysWith: { _, request in request })
      where resource != "cpu" && resource != "memory" && !quantity.isZero {
        result[resource] = quantity.value
      }
      return result
    }
    for container in spec.containers {
      sums.merge(requests(container), uniquingKeysWith: +)
    }
    for container in spec.initContainers {
      sums.merge(requests(container), uniquingKeysWith: max)
    }
    return sums
  }
}
