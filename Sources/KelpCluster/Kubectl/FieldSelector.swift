/// `--field-selector`: `status.phase=Running,spec.nodeName!=node-1`. Each kind supports the
/// fields its API server indexes; any other field is refused with the server's message.
struct FieldSelector {
  struct Term {
    var field: String
    var value: String
    var equal: Bool
  }
  var terms: [Term] = []

  static let supported: [String: [String]] = [
    "Pod": [
      "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
      "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName",
    ],
    "Node": ["spec.unschedulable"],
    "Namespace": ["status.phase"],
    "Event": [
      "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
      "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
      "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ],
  ]

  init(_ text: String, kind: ResourceKind) throws(KubectlError) {
    for clause in text.split(separator: ",") {
      let clause = String(clause)
      let (field, value, equal): (String, String, Bool)
      if let range = clause.range(of: "!=") {
        (field, value, equal) = (
          String(clause[..<range.lowerBound]), String(clause[range.upperBound...]), false
        )
      } else if let range = clause.range(of: "==") ?? clause.range(of: "=") {
        (field, value, equal) = (
          String(clause[..<range.lowerBound]), String(clause[range.upperBound...]), true
        )
      } else {
        throw KubectlError("error: invalid selector: '\(text)'; can't understand '\(clause)'")
      }
      let allowed =
        ["metadata.name", "metadata.namespace"] + (FieldSelector.supported[kind.kind] ?? [])
      guard allowed.contains(field) else {
        throw KubectlError(
          "Error from server (BadRequest): Unable to find \"/v1, Resource=\(kind.plural)\" that match "
            + "label selector \"\", field selector \"\(text)\": field label not supported: \(field)"
        )
      }
      terms.append(Term(field: field, value: value, equal: equal))
    }
  }

  func matches(_ object: Kubectl.Listed) -> Bool {
    terms.allSatisfy { term in
      (FieldSelector.value(term.field, of: object) == term.value) == term.equal
    }
  }

  static func value(_ field: String, of object: Kubectl.Listed) -> String {
    switch (field, object) {
    case ("metadata.name", _): return object.metadata.name
    case ("metadata.namespace", _): return object.metadata.namespace
    case ("spec.nodeName", .pod(let pod)): return pod.spec.nodeName
    case ("spec.restartPolicy", .pod(let pod)): return pod.spec.restartPolicy.rawValue
    case ("spec.schedulerName", .pod(let pod)): return pod.spec.schedulerName
    case ("spec.serviceAccountName", .pod(let pod)): return pod.spec.serviceAccountName
    case ("spec.hostNetwork", .pod(let pod)): return String(pod.spec.hostNetwork)
    case ("status.phase", .pod(let pod)): return pod.status.phase.rawValue
    case ("status.podIP", .pod(let pod)): return pod.status.podIP
    case ("status.nominatedNodeName", .pod(let pod)): return pod.status.nominatedNodeName
    case ("spec.unschedulable", .node(let node)): return String(node.unschedulable)
    case ("status.phase", .namespace(let namespace)): return namespace.phase
    case ("involvedObject.kind", .event(let event)): return event.involvedKind
    case ("involvedObject.namespace", .event(let event)): return event.involvedNamespace
    case ("involvedObject.name", .event(let event)): return event.involvedName
    case ("involvedObject.uid", .event(let event)): return event.involvedUID
    case ("involvedObject.apiVersion", .event): return "v1"
    case ("reason", .event(let event)): return event.reason
    case ("type", .event(let event)): return event.type
    case ("source", .event(let event)), ("reportingComponent", .event(let event)):
      return event.source
    default: return ""
    }
  }
}
