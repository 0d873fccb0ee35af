/// `kubectl get|describe pv|pvc|sc` (upstream `printPersistentVolume`,
/// `printPersistentVolumeClaim`, `printStorageClass`).
extension Kubectl {
  /// RWO, ROX, RWX, RWOP, as kubectl abbreviates access modes.
  static func accessModesText(_ modes: [String]) -> String {
    let short = [
      "ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
      "ReadWriteOncePod": "RWOP",
    ]
    return modes.compactMap { short[$0] }.joined(separator: ",")
  }
}

extension PersistentVolume: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    [
      "NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
      "VOLUMEATTRIBUTESCLASS", "REASON", "AGE",
    ] + (wide ? ["VOLUMEMODE"] : [])
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    let claim = claimRef.map { "\($0.namespace)/\($0.name)" } ?? ""
    let status = metadata.deletionTimestamp != nil ? "Terminating" : phase
    var cells = [
      metadata.name, capacity.description, Kubectl.accessModesText(accessModes), reclaimPolicy,
      status, claim, storageClassName, "<unset>", "", kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells.append("Filesystem") }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Finalizers:\t[kubernetes.io/pv-protection]\n"
    text += "StorageClass:\t\(storageClassName)\nStatus:\t\(phase)\n"
    text += "Claim:\t\(claimRef.map { "\($0.namespace)/\($0.name)" } ?? "")\n"
    text += "Reclaim Policy:\t\(reclaimPolicy)\nAccess Modes:\t\(Kubectl.accessModesText(accessModes))\n"
    text += "VolumeMode:\tFilesystem\nCapacity:\t\(capacity)\n"
    if let path = source["hostPath"]?["path"]?.stringValue {
      text += "Source:\n    Type:\tHostPath (bare host directory volume)\n    Path:\t\(path)\n"
    }
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension PersistentVolumeClaim: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    [
      "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
      "VOLUMEATTRIBUTESCLASS", "AGE",
    ] + (wide ? ["VOLUMEMODE"] : [])
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    let status = metadata.deletionTimestamp != nil ? "Terminating" : phase
    var cells = [
      metadata.name, status, volumeName, boundCapacity?.description ?? "",
      Kubectl.accessModesText(boundAccessModes),
      kubectl.cluster.volumes.storageClass(of: self).name, "<unset>",
      kubectl.age(metadata.creationTimestamp),
    ]
    if wide { cells.append("Filesystem") }
    return cells
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nNamespace:\t\(metadata.namespace)\n"
    text += "StorageClass:\t\(kubectl.cluster.volumes.storageClass(of: self).name)\n"
    text += "Status:\t\(metadata.deletionTimestamp != nil ? "Terminating" : phase)\n"
    text += "Volume:\t\(volumeName)\n"
    text += Kubectl.labelsAndAnnotations(metadata)
    text += "Finalizers:\t[kubernetes.io/pvc-protection]\n"
    text += "Capacity:\t\(boundCapacity?.description ?? "")\n"
    text += "Access Modes:\t\(Kubectl.accessModesText(boundAccessModes))\nVolumeMode:\tFilesystem\n"
    let users = kubectl.cluster.store.pods.list(namespace: metadata.namespace).filter {
      PersistentVolumeController.claimNames($0).contains(metadata.name)
    }.map(\.metadata.name)
    text += "Used By:\t\(users.isEmpty ? "<none>" : users.joined(separator: "\n\t"))\n"
    text += kubectl.eventsSection(uid: metadata.uid)
    return TabWriter.describe.format(text)
  }
}

extension StorageClass: KubectlPrintable {
  static func columns(wide: Bool) -> [String] {
    ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]
  }

  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [
      metadata.name + (isDefault ? " (default)" : ""), provisioner, reclaimPolicy,
      volumeBindingMode, allowVolumeExpansion == true ? "true" : "false",
      kubectl.age(metadata.creationTimestamp),
    ]
  }

  func describe(in kubectl: Kubectl) -> String {
    var text = "Name:\t\(metadata.name)\nIsDefaultClass:\t\(isDefault ? "Yes" : "No")\n"
    text += Kubectl.multiline(
      "Annotations", metadata.annotations.sorted { $0.key < $1.key }.map { "\($0)=\($1)" })
    text += "Provisioner:\t\(provisioner)\n"
    text += "Parameters:\t\(Kubectl.formatLabels(parameters))\n"
    text += "AllowVolumeExpansion:\t\(allowVolumeExpansion.map(String.init) ?? "<unset>")\n"
    text += "MountOptions:\t<none>\nReclaimPolicy:\t\(reclaimPolicy)\n"
    text += "VolumeBindingMode:\t\(volumeBindingMode)\nEvents:\t<none>\n"
    return TabWriter.describe.format(text)
  }
}
