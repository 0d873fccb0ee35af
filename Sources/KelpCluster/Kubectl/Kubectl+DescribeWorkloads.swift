/// `kubectl describe` for ReplicaSets and Deployments, and the pod template block every
/// workload's description shows.
extension Kubectl {
  func describe(_ replicaSet: ReplicaSet) -> String {
    var text = "Name:\t\(replicaSet.metadata.name)\nNamespace:\t\(replicaSet.metadata.namespace)\n"
    text += "Selector:\t\(Kubectl.selectorText(replicaSet.spec.selector))\n"
    text += Kubectl.labelsAndAnnotations(replicaSet.metadata)
    if let owner = replicaSet.metadata.controller {
      text += "Controlled By:\t\(owner.kind)/\(owner.name)\n"
    }
    text +=
      "Replicas:\t\(replicaSet.status.replicas) current / \(replicaSet.spec.replicas) desired\n"
    text += "Pods Status:\t\(podsStatus(ownedBy: replicaSet.metadata.uid))\n"
    text += Kubectl.podTemplateSection(replicaSet.spec.template)
    text += eventsSection(uid: replicaSet.metadata.uid)
    return TabWriter.describe.format(text)
  }

  /// The `Pod Template:` block of describe for ReplicaSets and Deployments.
  static func podTemplateSection(_ template: PodTemplate) -> String {
    var text = "Pod Template:\n"
    text += Kubectl.labelLines(template.labels, indent: "  ")
    if !template.annotations.isEmpty {
      text += Kubectl.multiline(
        "Annotations", template.annotations.sorted { $0.key < $1.key }.map { "\($0): \($1)" },
        indent: "  ")
    }
    text += "  Containers:\n"
    for container in template.spec.containers {
      text += "   \(container.name):\n    Image:\t\(container.image)\n"
      let ports = container.ports.map { "\($0.containerPort)/\($0.protocol)" }
      text += "    Port:\t\(ports.first ?? "<none>")\n"
      text +=
        "    Host Port:\t\(container.ports.first.map { "\($0.hostPort)/\($0.protocol)" } ?? "<none>")\n"
      // As upstream's describeContainerCommand and describeContainerResource.
      if !container.command.isEmpty {
        text += "    Command:\n" + container.command.map { "      \($0)\n" }.joined()
      }
      if !container.args.isEmpty {
        text += "    Args:\n" + container.args.map { "      \($0)\n" }.joined()
      }
      for (title, list) in [("Limits", container.limits), ("Requests", container.requests)]
      where !list.isEmpty {
        text += "    \(title):\n"
        for (resource, quantity) in list.sorted(by: { $0.key < $1.key }) {
          text += "      \(resource):\t\(quantity)\n"
        }
      }
      let environment = container.env.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
      text += "    Environment:\t\(environment.isEmpty ? "<none>" : environment)\n"
      text += "    Mounts:\t<none>\n"
    }
    text += "  Volumes:\t<none>\n"
    text += Kubectl.multiline(
      "Node-Selectors", template.spec.nodeSelector.sorted { $0.key < $1.key }.map { "\($0)=\($1)" },
      indent: "  ")
    text += Kubectl.multiline(
      "Tolerations", template.spec.tolerations.map(Kubectl.tolerationText), indent: "  ")
    return text
  }

  func describe(_ deployment: Deployment) -> String {
    let spec = deployment.spec
    let status = deployment.status
    var text = "Name:\t\(deployment.metadata.name)\nNamespace:\t\(deployment.metadata.namespace)\n"
    text += "CreationTimestamp:\t\(Timestamp.rfc1123(deployment.metadata.creationTimestamp))\n"
    text += Kubectl.labelsAndAnnotations(deployment.metadata)
    text += "Selector:\t\(Kubectl.selectorText(spec.selector))\n"
    text +=
      "Replicas:\t\(spec.replicas) desired | \(status.updatedReplicas) updated | \(status.replicas) total | "
      + "\(status.availableReplicas) available | \(status.unavailableReplicas) unavailable\n"
    text += "StrategyType:\t\(spec.strategy)\nMinReadySeconds:\t\(spec.minReadySeconds)\n"
    if spec.strategy == "RollingUpdate" {
      text +=
        "RollingUpdateStrategy:\t\(spec.maxUnavailable) max unavailable, \(spec.maxSurge) max surge\n"
    }
    text += Kubectl.podTemplateSection(spec.template)
    text += "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n"
    for condition in status.conditions {
      text += "  \(condition.type) \t\(condition.status) \t\(condition.reason)\n"
    }
    let owned = cluster.store.replicaSets.list(namespace: deployment.metadata.namespace).filter {
      $0.metadata.controller?.uid == deployment.metadata.uid
    }
    let hash = DeploymentController.templateHash(spec.template)
    let newRS = owned.first { $0.spec.template.labels["pod-template-hash"] == hash }
    let old = owned.filter { $0.metadata.uid != newRS?.metadata.uid && $0.status.replicas > 0 }
    func shown(_ rs: ReplicaSet) -> String {
      "\(rs.metadata.name) (\(rs.status.replicas)/\(rs.spec.replicas) replicas created)"
    }
    text += "OldReplicaSets:\t\(old.isEmpty ? "<none>" : old.map(shown).joined(separator: ", "))\n"
    text += "NewReplicaSet:\t\(newRS.map(shown) ?? "<none>")\n"
    text += eventsSection(uid: deployment.metadata.uid)
    return TabWriter.describe.format(text)
  }
}
