/// A kind that brings its own `kubectl get` columns and `kubectl describe` text, so that adding
/// a kind to kubectl is one conformance in one file rather than a case in every printer.
protocol KubectlPrintable: APIObject {
  /// The column headers, kubectl's (`NAME`, `DESIRED`, …), with the wide ones when asked.
  static func columns(wide: Bool) -> [String]
  func cells(in kubectl: Kubectl, wide: Bool) -> [String]
  func describe(in kubectl: Kubectl) -> String
}

extension Kubectl {
  /// The printable kinds by kind name.
  static let printableKinds: [String: any KubectlPrintable.Type] = [
    "DaemonSet": DaemonSet.self, "Job": Job.self, "CronJob": CronJob.self,
    "HorizontalPodAutoscaler": HorizontalPodAutoscaler.self, "ConfigMap": ConfigMap.self,
    "Secret": Secret.self, "Service": Service.self, "Endpoints": Endpoints.self,
    "LimitRange": LimitRange.self, "ResourceQuota": ResourceQuota.self,
    "PersistentVolume": PersistentVolume.self, "PersistentVolumeClaim": PersistentVolumeClaim.self,
    "StorageClass": StorageClass.self, "EndpointSlice": EndpointSlice.self,
  ]

  /// `a=b,c=d`, or `<none>` (upstream `labels.FormatLabels`).
  static func formatLabels(_ labels: [String: String]) -> String {
    labels.isEmpty
      ? "<none>" : labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",")
  }

  /// A selector as `describe` and `get -o wide` print it (`app=web,tier in (a,b)`).
  static func selectorText(_ selector: SelectorSpec) -> String {
    (try? selector.selector().description) ?? ""
  }

  /// Name, selector, namespace, labels and annotations: how describe opens for a workload.
  func describeHeader(_ metadata: ObjectMeta, selector: SelectorSpec) -> String {
    var text = "Name:\t\(metadata.name)\n"
    text += "Selector:\t\(Kubectl.selectorText(selector))\n"
    text += "Namespace:\t\(metadata.namespace)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    return text
  }

  /// `2 Running / 0 Waiting / 0 Succeeded / 0 Failed` for the pods an owner controls.
  func podsStatus(ownedBy uid: String) -> String {
    let pods = cluster.store.pods.owned(by: uid)
    func count(_ phase: PodPhase) -> Int { pods.filter { $0.status.phase == phase }.count }
    return "\(count(.running)) Running / \(count(.pending)) Waiting / "
      + "\(count(.succeeded)) Succeeded / \(count(.failed)) Failed"
  }
}

extension DaemonSet: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]
      + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    var cells = [
      metadata.name, String(status.desiredNumberScheduled), String(status.currentNumberScheduled),
      String(status.numberReady), String(status.updatedNumberScheduled),
      String(status.numberAvailable), Kubectl.formatLabels(spec.template.spec.nodeSelector),
      kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells += Kubectl.templateColumns(spec.template, spec.selector) }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\n"
    text += "Selector:\t\(Kubectl.selectorText(spec.selector))\n"
    text += "Node-Selector:\t\(Kubectl.formatLabels(spec.template.spec.nodeSelector))\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Desired Number of Nodes Scheduled: \(status.desiredNumberScheduled)\n"
    text += "Current Number of Nodes Scheduled: \(status.currentNumberScheduled)\n"
    text += "Number of Nodes Scheduled with Up-to-date Pods: \(status.updatedNumberScheduled)\n"
    text += "Number of Nodes Scheduled with Available Pods: \(status.numberAvailable)\n"
    text += "Number of Nodes Misscheduled: \(status.numberMisscheduled)\n"
    text +=
      "Pods Status:\t\(kubectl.podsStatus(ownedBy: metadata.uid))\n"
    text += Kubectl.podTemplateSection(spec.template)
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}
