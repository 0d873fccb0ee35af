/// The PersistentVolume controller (upstream `pv_controller.go`) and a provisioner: binds each
/// Pending claim to the smallest Available volume that fits (class, access modes, capacity,
/// selector; a pre-bound volume first), provisions one when the class has a provisioner, waits
/// for a first pod with `WaitForFirstConsumer`, and reclaims a released volume (Retain keeps it
/// as Released, Delete deletes it and its data). Also pvc-protection: a claim in use is only
/// deleted when its last pod is gone.
final class PersistentVolumeController {
  /// The cluster owns this component and its clock, so it always outlives it.
  unowned(unsafe) let cluster: Cluster
  private var queue: WorkQueue!

  init(cluster: Cluster) {
    self.cluster = cluster
    queue = WorkQueue(clock: cluster.clock) { [unowned(unsafe) self] key in self.reconcile(key) }
  }

  var store: ObjectStore { cluster.store }

  static func claimNames(_ pod: Pod) -> [String] {
    pod.spec.volumes.compactMap { $0.source["persistentVolumeClaim"]?["claimName"]?.stringValue }
  }

  func handle(_ event: WatchEvent) {
    switch event.object {
    case let claim as PersistentVolumeClaim:
      if event.type == .deleted { released(claim) } else { queue.add(claim.key) }
    case let volume as PersistentVolume where event.type == .deleted:
      cluster.volumeData[volume.metadata.name] = nil
    case is PersistentVolume, is StorageClass:
      for claim in store.persistentVolumeClaims.list() where claim.phase == "Pending" {
        queue.add(claim.key)
      }
    case let pod as Pod:
      for name in PersistentVolumeController.claimNames(pod) {
        queue.add(ObjectKey(namespace: pod.metadata.namespace, name: name))
      }
    default: break
    }
  }

  /// The claims' class: its own, or the default class when it names none.
  func storageClass(of claim: PersistentVolumeClaim) -> (name: String, object: StorageClass?) {
    if let name = claim.storageClassName {
      return (name, name.isEmpty ? nil : store.storageClasses.get("", name))
    }
    let defaults = store.storageClasses.list().filter(\.isDefault)
    guard let chosen = defaults.max(by: { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp })
    else { return ("", nil) }
    return (chosen.metadata.name, chosen)
  }

  /// Upstream `podUsesPVC` (pvc-protection, and WaitForFirstConsumer binding): a pod bound to
  /// a node names the claim, whatever its phase.
  func isUsed(_ claim: PersistentVolumeClaim) -> Bool {
    store.pods.list(namespace: claim.metadata.namespace).contains { pod in
      !pod.spec.nodeName.isEmpty
        && PersistentVolumeController.claimNames(pod).contains(claim.metadata.name)
    }
  }

  /// The volumes a claim of `className` may bind: pre-bound to it, or Available and fitting.
  func fittingVolumes(_ claim: PersistentVolumeClaim, className: String) -> [PersistentVolume] {
    let key = claim.key
    let claimSelector = try? claim.selector?.selector()
    return store.persistentVolumes.list().filter { volume in
      guard volume.metadata.deletionTimestamp == nil else { return false }
      if let reference = volume.claimRef {
        return reference.namespace == key.namespace && reference.name == key.name
          && volume.phase != "Released" && !(volume.capacity < claim.request)
      }
      return volume.phase == "Available" && volume.storageClassName == className
        && Set(claim.accessModes).isSubset(of: Set(volume.accessModes))
        && !(volume.capacity < claim.request)
        && (claim.volumeName.isEmpty || claim.volumeName == volume.metadata.name)
        && (claimSelector?.matches(volume.metadata.labels) ?? true)
    }
  }

  func reconcile(_ key: ObjectKey) {
    guard let claim = store.persistentVolumeClaims[key] else { return }
    if claim.metadata.deletionTimestamp != nil {
      // pvc-protection: the claim goes when no pod uses it any more.
      if !isUsed(claim) { store.remove(PersistentVolumeClaim.self, key) }
      return
    }
    guard claim.phase == "Pending" else { return }
    let (className, storageClass) = storageClass(of: claim)
    if storageClass?.volumeBindingMode == "WaitForFirstConsumer" && !isUsed(claim) {
      event(
        claim, "Normal", "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding")
      return
    }
    let fitting = fittingVolumes(claim, className: className)
    // A volume pre-bound to the claim first, then the smallest that fits.
    let chosen =
      fitting.first { $0.claimRef != nil }
      ?? fitting.min {
        ($0.capacity.milliValue, $0.metadata.name) < ($1.capacity.milliValue, $1.metadata.name)
      }
    if let chosen {
      bind(chosen, claim)
      return
    }
    guard let storageClass, !className.isEmpty else {
      if !className.isEmpty && claim.storageClassName != nil {
        event(
          claim, "Warning", "ProvisioningFailed",
          "storageclass.storage.k8s.io \"\(className)\" not found")
      } else {
        event(
          claim, "Normal", "FailedBinding",
          "no persistent volumes available for this claim and no storage class is set")
      }
      return
    }
    guard storageClass.provisions else {
      event(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim")
      return
    }
    provision(claim, storageClass)
  }

  /// A provisioner's volume for the claim: its requested size, the class's reclaim policy.
  private func provision(_ claim: PersistentVolumeClaim, _ storageClass: StorageClass) {
    let source = storageClass.provisioner
    event(
      claim, "Normal", "Provisioning",
      "External provisioner is provisioning volume for claim \"\(claim.metadata.namespace)/\(claim.metadata.name)\"",
      source: source)
    let name = "pvc-\(claim.metadata.uid)"
    var volume = PersistentVolume(metadata: ObjectMeta(name: name), capacity: claim.request)
    volume.accessModes = claim.accessModes
    volume.reclaimPolicy = storageClass.reclaimPolicy
    volume.storageClassName = storageClass.metadata.name
    volume.metadata.annotations = ["pv.kubernetes.io/provisioned-by": source]
    volume.source["hostPath"] = [
      "path": .string(
        "/var/local-path-provisioner/\(name)_\(claim.metadata.namespace)_\(claim.metadata.name)"),
      "type": "DirectoryOrCreate",
    ]
    volume.claimRef = ClaimReference(
      namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid)
    guard let created = try? store.create(volume) else { return }
    event(
      claim, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume \(name)",
      source: source)
    bind(created, claim)
  }

  private func bind(_ volume: PersistentVolume, _ claim: PersistentVolumeClaim) {
    store.modify(PersistentVolume.self, volume.key) { volume in
      volume.claimRef = ClaimReference(
        namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid)
      volume.phase = "Bound"
      volume.metadata.annotations["pv.kubernetes.io/bound-by-controller"] = "yes"
    }
    store.modify(PersistentVolumeClaim.self, claim.key) { claim in
      claim.volumeName = volume.metadata.name
      claim.phase = "Bound"
      claim.boundCapacity = volume.capacity
      claim.boundAccessModes = volume.accessModes
      claim.metadata.annotations["pv.kubernetes.io/bind-completed"] = "yes"
      claim.metadata.annotations["pv.kubernetes.io/bound-by-controller"] = "yes"
    }
  }

  /// The claim is gone: its volume is released (Retain) or deleted with its data (Delete).
  private func released(_ claim: PersistentVolumeClaim) {
    for volume in store.persistentVolumes.list()
    where volume.claimRef?.uid == claim.metadata.uid {
      // pv-protection: a volume deleted while bound goes once its claim has.
      if volume.reclaimPolicy == "Delete" || volume.metadata.deletionTimestamp != nil {
        store.remove(PersistentVolume.self, volume.key)
        cluster.volumeData[volume.metadata.name] = nil
      } else {
        store.modify(PersistentVolume.self, volume.key) { $0.phase = "Released" }
      }
    }
  }

  private func event(
    _ claim: PersistentVolumeClaim, _ type: String, _ reason: String, _ message: String,
    source: String = "persistentvolume-controller"
  ) {
    cluster.recorder.record(claim, type, reason, message, source: source)
  }
}

extension Cluster {
  /// The VolumeBinding plugin's PreFilter: a pod's claims must exist, not be going away, and be
  /// bound unless their class waits for the first consumer.
  func volumeBindingProblem(_ pod: Pod, nodes: Int) -> String? {
    var unbound = false
    var nothingToBind = false
    for name in PersistentVolumeController.claimNames(pod) {
      guard let claim = store.persistentVolumeClaims.get(pod.metadata.namespace, name) else {
        return "persistentvolumeclaim \"\(name)\" not found"
      }
      if claim.metadata.deletionTimestamp != nil {
        return "persistentvolumeclaim \"\(name)\" is being deleted"
      }
      guard claim.phase != "Bound" else { continue }
      let (className, storageClass) = volumes.storageClass(of: claim)
      if storageClass?.volumeBindingMode != "WaitForFirstConsumer" {
        unbound = true
      } else if !storageClass!.provisions
        && volumes.fittingVolumes(claim, className: className).isEmpty
      {
        nothingToBind = true
      }
    }
    if unbound { return "pod has unbound immediate PersistentVolumeClaims" }
    return nothingToBind ? "\(nodes) node(s) didn't find available persistent volumes to bind" : nil
  }
}
