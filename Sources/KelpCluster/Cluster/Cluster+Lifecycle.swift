/// Deleting objects, and what happens to pods when their node goes and comes back.
extension Cluster {
  /// Graceful deletion: the pod is marked and its kubelet stops it; an unbound pod, or a grace
  /// period of 0, removes it at once.
  public func deletePod(_ key: ObjectKey, gracePeriod: Int?) {
    guard let pod = store.pods[key] else { return }
    let grace = gracePeriod ?? pod.spec.terminationGracePeriodSeconds
    if pod.spec.nodeName.isEmpty || grace == 0 {
      store.remove(Pod.self, key)
      return
    }
    if pod.metadata.deletionTimestamp != nil { return }
    let now = clock.now
    store.modify(Pod.self, key) { pod in
      pod.metadata.deletionTimestamp = now + Millis(grace) * 1000
      pod.metadata.deletionGracePeriodSeconds = grace
    }
  }

  /// Deletes any object by kind and name, as `kubectl delete` does.
  /// How deleting an owner treats what it owns: `background` (the garbage collector deletes
  /// the dependents after the owner), `foreground` (dependents first) or `orphan` (they stay, and
  /// lose their owner reference).
  public enum Cascade: String, Sendable, CaseIterable {
    case background, foreground, orphan
  }

  /// Deletes any object by kind and name, as `kubectl delete` does, and lets the cluster react.
  public func delete(
    _ resource: ResourceKind, _ name: String, namespace: String = "default",
    gracePeriod: Int? = nil,
    cascade: Cascade = .background
  ) throws(APIError) {
    try deleteObject(resource, name, namespace: namespace, gracePeriod: gracePeriod, cascade: cascade)
    settle()
  }

  /// The deletion alone: what controllers call, since they must not run the clock themselves.
  func deleteObject(
    _ resource: ResourceKind, _ name: String, namespace: String, gracePeriod: Int? = nil,
    cascade: Cascade
  ) throws(APIError) {
    switch resource.kind {
    case "Deployment":
      try deleteOwnerOfOwners(Deployment.self, ReplicaSet.self, name, namespace, cascade)
    case "ReplicaSet": try deletePodOwner(ReplicaSet.self, name, namespace, cascade)
    case "DaemonSet": try deletePodOwner(DaemonSet.self, name, namespace, cascade)
    case "Job": try deletePodOwner(Job.self, name, namespace, cascade)
    case "CronJob": try deleteOwnerOfOwners(CronJob.self, Job.self, name, namespace, cascade)
    case "HorizontalPodAutoscaler": try deleteLeaf(HorizontalPodAutoscaler.self, name, namespace)
    case "Service":
      try deleteLeaf(Service.self, name, namespace)
      // The Endpoints go with their Service (the endpoints controller removes them).
      store.remove(Endpoints.self, ObjectKey(namespace: namespace, name: name))
    case "Endpoints": try deleteLeaf(Endpoints.self, name, namespace)
    case "ConfigMap": try deleteLeaf(ConfigMap.self, name, namespace)
    case "LimitRange": try deleteLeaf(LimitRange.self, name, namespace)
    case "PersistentVolume":
      guard let volume = store.persistentVolumes.get("", name) else {
        throw .notFound(resource, name)
      }
      // pv-protection: a bound volume stays, Terminating, until its claim is gone.
      if volume.phase == "Bound", let reference = volume.claimRef,
        store.persistentVolumeClaims.get(reference.namespace, reference.name) != nil
      {
        holdDeletion(PersistentVolume.self, volume.key, finalizer: "kubernetes.io/pv-protection")
      } else {
        store.remove(PersistentVolume.self, volume.key)
      }
    case "StorageClass": try deleteLeaf(StorageClass.self, name, "")
    case "PersistentVolumeClaim":
      guard let claim = store.persistentVolumeClaims.get(namespace, name) else {
        throw .notFound(resource, name)
      }
      if claim.metadata.deletionTimestamp != nil { return }
      // pvc-protection: a claim a pod uses stays, Terminating, until the pod is gone.
      if volumes.isUsed(claim) {
        holdDeletion(
          PersistentVolumeClaim.self, claim.key, finalizer: "kubernetes.io/pvc-protection")
      } else {
        store.remove(PersistentVolumeClaim.self, claim.key)
      }
    case "ResourceQuota": try deleteLeaf(ResourceQuota.self, name, namespace)
    case "Secret": try deleteLeaf(Secret.self, name, namespace)
    case "Pod":
      let key = ObjectKey(namespace: namespace, name: name)
      guard store.pods[key] != nil else { throw .notFound(.pod, name) }
      deletePod(key, gracePeriod: gracePeriod)
    case "Node":
      guard store.nodes.get("", name) != nil else { throw .notFound(.node, name) }
      removeNode(name)
    case "Namespace":
      try deleteNamespace(name)
    default:
      throw APIError(.badRequest, "the server does not allow this method on the requested resource")
    }
  }

  /// The garbage collector's part in deleting an owner: its dependents are deleted, or orphaned.
  func deleteOwner(uid: String, namespace: String, cascade: Cascade) {
    for pod in store.pods.dependents(of: uid) {
      if cascade == .orphan {
        store.modify(Pod.self, pod.key) { pod in
          pod.metadata.ownerReferences.removeAll { $0.uid == uid }
        }
      } else {
        deletePod(pod.key, gracePeriod: nil)
      }
    }
  }

  /// Deletes an object nothing depends on.
  private func deleteLeaf<Object: APIObject>(_ type: Object.Type, _ name: String, _ namespace: String)
    throws(APIError)
  {
    guard Object.table(in: store).get(namespace, name) != nil else {
      throw .notFound(Object.resource, name)
    }
    store.remove(Object.self, ObjectKey(namespace: namespace, name: name))
  }

  /// Deletes an object whose dependents own pods in turn (a Deployment's ReplicaSets, a
  /// CronJob's Jobs): they are orphaned or deleted with the same cascade.
  private func deleteOwnerOfOwners<Owner: APIObject, Dependent: APIObject>(
    _ owner: Owner.Type, _ dependent: Dependent.Type, _ name: String, _ namespace: String,
    _ cascade: Cascade
  ) throws(APIError) {
    guard let object = Owner.table(in: store).get(namespace, name) else {
      throw .notFound(Owner.resource, name)
    }
    let uid = object.metadata.uid
    store.remove(Owner.self, object.key)
    for child in Dependent.table(in: store).dependents(of: uid) {
      if cascade == .orphan {
        store.modify(Dependent.self, child.key) {
          $0.metadata.ownerReferences.removeAll { $0.uid == uid }
        }
      } else {
        try deletePodOwner(Dependent.self, child.metadata.name, namespace, cascade)
      }
    }
  }

  /// Deletes an object whose dependents are pods, with the garbage collector's cascade.
  func deletePodOwner<Owner: APIObject>(
    _ type: Owner.Type, _ name: String, _ namespace: String, _ cascade: Cascade
  ) throws(APIError) {
    guard let owner = Owner.table(in: store).get(namespace, name) else {
      throw .notFound(Owner.resource, name)
    }
    if owner.metadata.deletionTimestamp != nil { return }
    if cascade == .foreground {
      // The owner stays, marked and with the foregroundDeletion finalizer, until the garbage
      // collector has seen every dependent go.
      let now = clock.now
      store.modify(Owner.self, owner.key) { owner in
        owner.metadata.deletionTimestamp = now
        owner.metadata.deletionGracePeriodSeconds = 0
        owner.metadata.finalizers.append("foregroundDeletion")
      }
      foregroundDeletions.insert(Owner.resource.kind + "/" + namespace)
      deleteOwner(uid: owner.metadata.uid, namespace: namespace, cascade: cascade)
      finishForegroundDeletion(namespace: namespace)
    } else {
      deleteOwner(uid: owner.metadata.uid, namespace: namespace, cascade: cascade)
      store.remove(Owner.self, owner.key)
    }
  }

  /// Removes the owners in foreground deletion whose dependents are all gone.
  func finishForegroundDeletion(namespace: String) {
    // Most deletions are not foreground ones: nothing to look at.
    guard !foregroundDeletions.isEmpty else { return }
    finishForegroundDeletion(ReplicaSet.self, namespace)
    finishForegroundDeletion(DaemonSet.self, namespace)
    finishForegroundDeletion(Job.self, namespace)
  }

  private func finishForegroundDeletion<Owner: APIObject>(_ type: Owner.Type, _ namespace: String)
  {
    let waiting = Owner.table(in: store).list(namespace: namespace).filter {
      $0.metadata.finalizers.contains("foregroundDeletion")
    }
    guard !waiting.isEmpty else {
      foregroundDeletions.remove(Owner.resource.kind + "/" + namespace)
      return
    }
    for owner in waiting where store.pods.dependents(of: owner.metadata.uid).isEmpty {
      store.remove(Owner.self, owner.key)
    }
  }

  /// A deletion a finalizer holds back: the object stays, Terminating, until the controller
  /// that owns the finalizer removes it.
  private func holdDeletion<T: APIObject>(_ type: T.Type, _ key: ObjectKey, finalizer: String) {
    let now = clock.now
    store.modify(T.self, key) {
      $0.metadata.deletionTimestamp = now
      $0.metadata.finalizers = [finalizer]
    }
  }

  /// Deleting a namespace deletes everything in it; the namespace is `Terminating` until then.
  func deleteNamespace(_ name: String) throws(APIError) {
    guard let namespace = store.namespaces.get("", name) else { throw .notFound(.namespace, name) }
    if ["default", "kube-system", "kube-public", "kube-node-lease"].contains(name) {
      throw APIError(
        .forbidden, "namespaces \"\(name)\" is forbidden: this namespace may not be deleted")
    }
    if namespace.phase == "Terminating" { return }
    let now = clock.now
    store.modify(Namespace.self, namespace.key) { namespace in
      namespace.phase = "Terminating"
      namespace.metadata.deletionTimestamp = now
    }
    // Workload owners first so their controllers do not recreate what goes next; pods last,
    // through deletePod, so kubelets stop their containers.
    let namespacedKinds: [any APIObject.Type] = [
      Deployment.self, ReplicaSet.self, DaemonSet.self, Job.self, CronJob.self,
      HorizontalPodAutoscaler.self, ConfigMap.self, Secret.self, LimitRange.self,
      PersistentVolumeClaim.self, ResourceQuota.self, Service.self, Endpoints.self,
      EndpointSlice.self,
    ]
    for kind in namespacedKinds { store.removeAll(kind, inNamespace: name) }
    for pod in store.pods.list(namespace: name) { deletePod(pod.key, gracePeriod: nil) }
    namespaceContentsChanged(name)
  }

  /// A Node object deleted: its kubelet is gone and the pod garbage collector deletes the pods
  /// bound to it.
  func removeNode(_ name: String) {
    kubelets[name]?.nodeDown()
    kubelets[name] = nil
    nodeLifecycle.silentSince[name] = nil
    store.remove(Node.self, ObjectKey(namespace: "", name: name))
    for pod in store.pods.unordered.filter({ $0.spec.nodeName == name }).sorted(by: {
      $0.key < $1.key
    }) {
      store.remove(Pod.self, pod.key)
    }
  }
}
