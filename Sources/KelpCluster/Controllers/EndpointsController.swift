/// The endpoints controller (upstream `endpoints_controller.go`): for each Service with a
/// selector, the Endpoints of the same name list the matching pods' IPs, ready ones under
/// `addresses` and the others under `notReadyAddresses`, with each Service port resolved to
/// the pod's port (a named targetPort is looked up in the pod's containers). Pods being deleted
/// and pods without an IP are left out.
final class EndpointsController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!
  /// Which Services list each pod, so a pod whose labels stop matching is taken out.
  private var servicesOfPod: [String: Set<ObjectKey>] = [:]

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let service as Service: queue.add(service.key)
    case let pod as Pod:
      for key in servicesOfPod[pod.metadata.uid] ?? [] { queue.add(key) }
      if event.type == .deleted {
        servicesOfPod[pod.metadata.uid] = nil
        return
      }
      for service in store.services.list(namespace: pod.metadata.namespace) {
        if let selector = service.spec.selector, !selector.isEmpty,
          selector.allSatisfy({ pod.metadata.labels[$0.key] == $0.value })
        {
          queue.add(service.key)
        }
      }
    default: break
    }
  }

  func reconcile(_ key: ObjectKey) {
    guard let service = store.services[key] else {
      store.remove(Endpoints.self, key)
      removeSlices(of: key)
      return
    }
    // Without a selector the Endpoints are the user's; ExternalName Services have none.
    guard let selector = service.spec.selector, service.spec.type != "ExternalName" else {
      if service.spec.type == "ExternalName" { store.remove(Endpoints.self, key) }
      return
    }
    var byPorts: [[EndpointPort]: EndpointSubset] = [:]
    var terminating: [(address: EndpointAddress, serving: Bool)] = []
    var order: [[EndpointPort]] = []
    for pod in store.pods.list(namespace: key.namespace) {
      // Upstream `ShouldPodBeInEndpoints`: a pod that has finished for good is left out.
      let finished =
        pod.status.phase == .failed && pod.spec.restartPolicy == .never
        || pod.status.phase == .succeeded && pod.spec.restartPolicy != .always
      let matches =
        !finished && !selector.isEmpty
        && selector.allSatisfy { pod.metadata.labels[$0.key] == $0.value }
      guard matches, !pod.status.podIP.isEmpty, pod.metadata.deletionTimestamp == nil else {
        // EndpointSlices keep terminating pods, with terminating: true.
        if matches, !pod.status.podIP.isEmpty {
          // Serving is the pod's readiness, which a terminating pod keeps until it stops.
          terminating.append(
            (
              EndpointAddress(
                ip: pod.status.podIP, nodeName: pod.spec.nodeName, podName: pod.metadata.name,
                podNamespace: pod.metadata.namespace, podUID: pod.metadata.uid),
              pod.status.condition("Ready")?.status == "True"
            ))
          servicesOfPod[pod.metadata.uid, default: []].insert(key)
        } else {
          servicesOfPod[pod.metadata.uid]?.remove(key)
        }
        continue
      }
      servicesOfPod[pod.metadata.uid, default: []].insert(key)
      let ports = service.spec.ports.compactMap { port -> EndpointPort? in
        guard let number = EndpointsController.targetPort(port, in: pod) else { return nil }
        return EndpointPort(name: port.name, port: number, protocol: port.protocol)
      }
      // A headless Service without ports still lists its pods.
      guard !ports.isEmpty || service.spec.ports.isEmpty else { continue }
      let address = EndpointAddress(
        ip: pod.status.podIP, nodeName: pod.spec.nodeName, podName: pod.metadata.name,
        podNamespace: pod.metadata.namespace, podUID: pod.metadata.uid)
      let ready =
        service.spec.publishNotReadyAddresses || pod.status.condition("Ready")?.status == "True"
      if byPorts[ports] == nil {
        byPorts[ports] = EndpointSubset(ports: ports)
        order.append(ports)
      }
      if ready {
        byPorts[ports]!.addresses.append(address)
      } else {
        byPorts[ports]!.notReadyAddresses.append(address)
      }
    }
    // Upstream repacks subsets with addresses sorted by their IP text (`LessEndpointAddress`).
    let subsets = order.compactMap { byPorts[$0] }.map { subset -> EndpointSubset in
      var sorted = subset
      sorted.addresses.sort { $0.ip < $1.ip }
      sorted.notReadyAddresses.sort { $0.ip < $1.ip }
      return sorted
    }
    var labels = service.metadata.labels
    if service.isHeadless { labels["service.kubernetes.io/headless"] = "" }
    writeSlice(service, subsets: subsets, terminating: terminating, labels: labels)
    if var existing = store.endpoints[key] {
      guard existing.subsets != subsets || existing.metadata.labels != labels else { return }
      existing.subsets = subsets
      existing.metadata.labels = labels
      _ = try? store.update(existing)
    } else {
      var endpoints = Endpoints(metadata: ObjectMeta(name: key.name, namespace: key.namespace))
      endpoints.metadata.labels = labels
      endpoints.subsets = subsets
      _ = try? store.create(endpoints)
    }
  }

  /// The EndpointSlice controller's part: the same endpoints, with their conditions.
  private func writeSlice(
    _ service: Service, subsets: [EndpointSubset],
    terminating: [(address: EndpointAddress, serving: Bool)], labels: [String: String]
  ) {
    var endpoints: [EndpointSlice.Endpoint] = []
    for subset in subsets {
      for address in subset.addresses {
        endpoints.append(.init(address: address, ready: true, serving: true, terminating: false))
      }
      for address in subset.notReadyAddresses {
        endpoints.append(.init(address: address, ready: false, serving: false, terminating: false))
      }
    }
    for (address, serving) in terminating {
      endpoints.append(.init(address: address, ready: false, serving: serving, terminating: true))
    }
    var sliceLabels = labels
    sliceLabels[EndpointSlice.serviceNameLabel] = service.metadata.name
    sliceLabels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
    let ports = subsets.first?.ports ?? []
    let existing = store.endpointSlices.list(namespace: service.metadata.namespace).first {
      $0.metadata.labels[EndpointSlice.serviceNameLabel] == service.metadata.name
    }
    if var slice = existing {
      guard slice.endpoints != endpoints || slice.ports != ports || slice.metadata.labels != sliceLabels
      else { return }
      slice.endpoints = endpoints
      slice.ports = ports
      slice.metadata.labels = sliceLabels
      _ = try? store.update(slice)
    } else {
      var slice = EndpointSlice(metadata: ObjectMeta(name: "", namespace: service.metadata.namespace))
      slice.metadata.generateName = service.metadata.name + "-"
      slice.metadata.labels = sliceLabels
      slice.metadata.ownerReferences = [
        OwnerReference(
          apiVersion: "v1", kind: "Service", name: service.metadata.name,
          uid: service.metadata.uid, controller: true, blockOwnerDeletion: true)
      ]
      slice.endpoints = endpoints
      slice.ports = ports
      _ = try? store.create(slice)
    }
  }

  private func removeSlices(of key: ObjectKey) {
    for slice in store.endpointSlices.list(namespace: key.namespace)
    where slice.metadata.labels[EndpointSlice.serviceNameLabel] == key.name {
      store.remove(EndpointSlice.self, slice.key)
    }
  }

  /// The pod's port for a Service port: the number, or the container port of that name.
  static func targetPort(_ port: ServicePort, in pod: Pod) -> Int? {
    switch port.targetPort {
    case .int(let number): return number
    case .string(let name):
      if let number = Int(name) { return number }
      for container in pod.spec.containers {
        if let match = container.ports.first(where: {
          $0.name == name && $0.protocol == port.protocol
        }) {
          return match.containerPort
        }
      }
      return nil
    }
  }
}

extension Cluster {
  /// Addresses in numeric order (10.244.1.10 after 10.244.1.9).
  static func ipOrder(_ a: String, _ b: String) -> Bool {
    (ipValue(a) ?? 0, a) < (ipValue(b) ?? 0, b)
  }
}
