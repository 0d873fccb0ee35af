/// A PersistentVolume: a piece of storage, cluster-wide, bound to at most one claim.
public struct PersistentVolume: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var capacity: Quantity
  public var accessModes: [String] = []
  /// `Retain` (the default for volumes made by hand), `Delete` or `Recycle`.
  public var reclaimPolicy = "Retain"
  public var storageClassName = ""
  /// The volume's source (hostPath, local, nfs, csi, …) as written.
  public var source: [String: JSONValue] = [:]
  public var claimRef: ClaimReference?
  /// `Available`, `Bound`, `Released` or `Failed`.
  public var phase = "Available"

  public init(metadata: ObjectMeta, capacity: Quantity) {
    self.metadata = metadata
    self.capacity = capacity
  }
}

public struct ClaimReference: Hashable, Sendable {
  public var namespace: String
  public var name: String
  public var uid: String
}

/// A PersistentVolumeClaim: a request for storage that binds to one PersistentVolume.
public struct PersistentVolumeClaim: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var accessModes: [String] = []
  public var request: Quantity
  /// nil: the default StorageClass; "": none (only volumes without a class).
  public var storageClassName: String?
  public var selector: SelectorSpec?
  public var volumeName = ""
  /// `Pending`, `Bound` or `Lost`.
  public var phase = "Pending"
  public var boundCapacity: Quantity?
  public var boundAccessModes: [String] = []

  public init(metadata: ObjectMeta, request: Quantity) {
    self.metadata = metadata
    self.request = request
  }
}

/// A StorageClass: how claims of the class get volumes (a provisioner, or none for volumes
/// made by hand), when they bind, and what happens to a released volume.
public struct StorageClass: Hashable, Sendable {
  public var metadata: ObjectMeta
  public var provisioner: String
  public var reclaimPolicy = "Delete"
  /// `Immediate` (the default) or `WaitForFirstConsumer`.
  public var volumeBindingMode = "Immediate"
  public var allowVolumeExpansion: Bool?
  public var parameters: [String: String] = [:]

  public init(metadata: ObjectMeta, provisioner: String) {
    self.metadata = metadata
    self.provisioner = provisioner
  }

  static let defaultAnnotation = "storageclass.kubernetes.io/is-default-class"
  public var isDefault: Bool { metadata.annotations[StorageClass.defaultAnnotation] == "true" }
  /// Volumes of this class are made by hand: no dynamic provisioning.
  public var provisions: Bool { provisioner != "kubernetes.io/no-provisioner" }
}
