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
    // As upstream's describePersistentVolume: node affinity, message, then the source.
    text += "Node Affinity:\t<none>\nMessage:\t\nSource:\n"
    if let hostPath = source["hostPath"] {
      let type = hostPath["type"]?.stringValue ?? ""
      text += "    Type:\tHostPath (bare host directory volume)\n"
      text += "    Path:\t\(hostPath["path"]?.stringValue ?? "")\n"
      text += "    HostPathType:\t\(type.isEmpty ? "<none>" : type)\n"
    } else if let nfs = source["nfs"] {
      text += "    Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
      text += "    Server:\t\(nfs["server"]?.stringValue ?? "")\n"
      text += "    Path:\t\(nfs["path"]?.stringValue ?? "")\n"
      text += "    ReadOnly:\t\(nfs["readOnly"] == JSONValue.bool(true) ? "true" : "false")\n"
    } else if let (kind, _) = source.first {
      text += "    Type:\t\(kind)\n"
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
