/// `kubectl patch --subresource=status|scale`. A node's status is where extended resources are
/// advertised (the documentation's "Advertise Extended Resources for a Node" patches
/// `/status/capacity/example.com~1dongle`); a Deployment's or ReplicaSet's scale holds its
/// replicas. kubectl itself accepts only these two subresources.
extension Kubectl {
  static let patchSubresources = ["status", "scale"]

  /// Patches one object's subresource with `patch` (the command's patch applied to a
  /// document); returns kubectl's `… patched` line.
  func patchSubresource(
    _ subresource: String, _ kind: ResourceKind, _ name: String, _ namespace: String,
    _ original: JSONValue, patch: (JSONValue) throws(KubectlError) -> JSONValue
  ) throws(KubectlError) -> String {
    switch (subresource, kind) {
    case ("status", .node):
      let patched = try patch(original)
      let before = Kubectl.extendedResources(original)
      let after = Kubectl.extendedResources(patched)
      if before == after { return "node/\(name) patched (no change)\n" }
      var quantities: [String: Quantity] = [:]
      for (resource, text) in after {
        guard let quantity = try? Quantity(text) else {
          throw KubectlError(
            "Error from server (BadRequest): quantities must match the regular expression "
              + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        }
        quantities[resource] = quantity
      }
      do {
        try cluster.advertise(quantities, on: name)
      } catch {
        throw .api(error)
      }
      return "node/\(name) patched\n"
    case ("scale", .deployment), ("scale", .replicaSet):
      let replicas = original["spec"]?["replicas"] ?? .int(1)
      let scale: JSONValue = .object([
        "apiVersion": .string("autoscaling/v1"), "kind": .string("Scale"),
        "metadata": .object(["name": .string(name), "namespace": .string(namespace)]),
        "spec": .object(["replicas": replicas]),
        "status": original["status"]?["replicas"].map { .object(["replicas": $0]) } ?? .object([:]),
      ])
      let patched = try patch(scale)
      guard case .int(let count) = patched["spec"]?["replicas"] ?? .null, count >= 0,
        count <= Int64(Int32.max)
      else {
        throw KubectlError(
          "The Scale \"\(name)\" is invalid: spec.replicas: Invalid value: "
            + "\(patched["spec"]?["replicas"]?.jsonText ?? "null"): must be greater than or equal to 0")
      }
      // kubectl names what the server returned: the Scale.
      if patched["spec"]?["replicas"] == replicas { return "scale.autoscaling/\(name) patched (no change)\n" }
      var changed = original
      changed = Kubectl.mergePatch(
        changed, .object(["spec": .object(["replicas": .int(count)])]), strategic: false)
      do {
        try cluster.apply(changed, defaultNamespace: namespace)
      } catch {
        throw Kubectl.error(error)
      }
      return "scale.autoscaling/\(name) patched\n"
    default:
      throw KubectlError(
        "error: Kelp patches the \(subresource) subresource of "
          + (subresource == "status"
            ? "nodes only (to advertise extended resources); controllers own the status of the rest"
            : "deployments and replicasets only"))
    }
  }

  /// A node document's extended resources (names with a domain, as `nvidia.com/gpu`) in its
  /// `status.capacity`.
  private static func extendedResources(_ node: JSONValue) -> [String: String] {
    guard case .object(let capacity) = node["status"]?["capacity"] ?? .null else { return [:] }
    var result: [String: String] = [:]
    for (resource, value) in capacity where Cluster.isExtendedResource(resource) {
      switch value {
      case .string(let text): result[resource] = text
      case .int(let number): result[resource] = String(number)
      default: result[resource] = value.jsonText
      }
    }
    return result
  }
}
