/// `kubectl get|describe limitrange|quota` (upstream `printResourceQuota`, `printLimitRange`,
/// `ResourceQuotaDescriber`, `LimitRangeDescriber`).
extension ResourceQuota: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "AGE", "REQUEST", "LIMIT"] }

  /// `requests.cpu: 400m/1, pods: 2/2` for the requests side, `limits.cpu: 800m/2` for limits.
  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    var requests: [String] = []
    var limits: [String] = []
    for resource in hard.keys.sorted() {
      let entry = "\(resource): \(used[resource] ?? .zero)/\(hard[resource]!)"
      if resource.hasPrefix("limits.") { limits.append(entry) } else { requests.append(entry) }
    }
    return [
      metadata.name, kubectl.age(metadata.creationTimestamp), requests.joined(separator: ", "),
      limits.joined(separator: ", "),
    ]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += "Resource\tUsed\tHard\n--------\t----\t----\n"
    for resource in hard.keys.sorted() {
      text += "\(resource)\t\(used[resource] ?? .zero)\t\(hard[resource]!)\n"
    }
    return TabWriter.describe.format(text)
  }
}

extension LimitRange: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "CREATED AT"] }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [metadata.name, Timestamp.rfc3339(metadata.creationTimestamp)]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text +=
      "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n"
      + "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n"
    text += rows(prefix: "")
    return TabWriter.describe.format(text)
  }

  /// One line per limit and resource, as upstream's describeLimitRangeSpec writes them.
  func rows(prefix: String) -> String {
    var text = ""
    for item in limits {
      let resources = Set(
        Array(item.min.keys) + Array(item.max.keys) + Array(item.default.keys)
          + Array(item.defaultRequest.keys) + Array(item.maxLimitRequestRatio.keys)
      ).sorted()
      for resource in resources {
        func cell(_ values: [String: Quantity]) -> String { values[resource]?.description ?? "-" }
        text +=
          "\(prefix)\(item.type)\t\(resource)\t\(cell(item.min))\t\(cell(item.max))\t\(cell(item.defaultRequest))\t\(cell(item.default))\t\(cell(item.maxLimitRequestRatio))\n"
      }
    }
    return text
  }
}
