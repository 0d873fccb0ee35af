/// Files as a container sees them. A path belongs to the volume mounted at its longest matching
/// mountPath, or to the container's writable layer: emptyDir lives with the pod (shared by its
/// containers, kept across restarts), hostPath with the node, ConfigMap, Secret and the
/// ServiceAccount token are read-only projections, and the writable layer is lost when the
/// container is replaced.
extension Cluster {
  /// Where a path of a container is kept.
  enum FileHome {
    case layer
    case emptyDir(volume: String)
    /// A PersistentVolume's files, by the volume's name.
    case claimed(volume: String)
    case host(path: String)
    /// Read-only files made from an object: path inside the volume → content.
    case projection([String: String])
  }

  struct FileLocation {
    var home: FileHome
    /// The path inside the volume (or the layer's absolute path).
    var path: String
    var readOnly: Bool
  }

  /// A running container of a pod, for exec and files; the error kubectl gives otherwise.
  func runningContainer(_ key: ObjectKey, _ name: String?) throws(TrafficError) -> (
    Pod, Kubelet, PodRuntime, ContainerRuntime
  ) {
    guard let pod = store.pods[key] else {
      throw TrafficError(message: "pods \"\(key.name)\" not found")
    }
    if pod.status.phase == .succeeded || pod.status.phase == .failed {
      throw TrafficError(
        message:
          "cannot exec into a container in a completed pod; current phase is \(pod.status.phase.rawValue)"
      )
    }
    let containerName = name ?? pod.spec.containers.first?.name ?? ""
    guard pod.spec.containers.contains(where: { $0.name == containerName }) else {
      throw TrafficError(
        message: "container \(containerName) is not valid for pod \(pod.metadata.name)")
    }
    guard let kubelet = kubelets[pod.spec.nodeName], kubelet.isUp,
      let runtime = kubelet.pods[key],
      let container = runtime.containers.first(where: { $0.name == containerName }),
      container.running
    else {
      throw TrafficError(
        message: "unable to upgrade connection: container not found (\"\(containerName)\")")
    }
    return (pod, kubelet, runtime, container)
  }

  static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
      if part == "." || part.isEmpty { continue }
      if part == ".." {
        _ = parts.popLast()
      } else {
        parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  func locate(_ path: String, _ pod: Pod, _ container: ContainerRuntime) -> FileLocation {
    let path = Cluster.normalize(path)
    let mounts = container.spec.volumeMounts.filter {
      let mountPath = Cluster.normalize($0.mountPath)
      return path == mountPath || path.hasPrefix(mountPath == "/" ? "/" : mountPath + "/")
    }
    guard let mount = mounts.max(by: { $0.mountPath.count < $1.mountPath.count }),
      let volume = pod.spec.volumes.first(where: { $0.name == mount.name })
    else { return FileLocation(home: .layer, path: path, readOnly: false) }
    let inside = String(path.dropFirst(Cluster.normalize(mount.mountPath).count))
    let relative = Cluster.normalize(
      (mount.subPath.isEmpty ? "" : "/" + mount.subPath) + (inside.isEmpty ? "" : inside))
    if volume.source["emptyDir"] != nil {
      return FileLocation(
        home: .emptyDir(volume: volume.name), path: relative, readOnly: mount.readOnly)
    }
    if let claimName = volume.source["persistentVolumeClaim"]?["claimName"]?.stringValue,
      let claim = store.persistentVolumeClaims.get(pod.metadata.namespace, claimName),
      !claim.volumeName.isEmpty
    {
      return FileLocation(
        home: .claimed(volume: claim.volumeName), path: relative,
        readOnly: mount.readOnly
          || volume.source["persistentVolumeClaim"]?["readOnly"] == .bool(true))
    }
    if let hostPath = volume.source["hostPath"]?["path"]?.stringValue {
      return FileLocation(
        home: .host(path: Cluster.normalize(hostPath + relative)), path: relative,
        readOnly: mount.readOnly)
    }
    // The kubelet's copy: refreshed a sync after a change, never for a subPath mount.
    let files =
      mount.subPath.isEmpty
      ? runtime(of: pod)?.projections[volume.name] : container.subPathFiles[mount.name]
    return FileLocation(
      home: .projection(files ?? projectedFiles(volume, pod)), path: relative, readOnly: true)
  }

  /// The files a ConfigMap, Secret or projected (ServiceAccount token) volume shows: a file per
  /// key, or per listed item.
  func projectedFiles(_ volume: Volume, _ pod: Pod) -> [String: String] {
    let namespace = pod.metadata.namespace
    var files: [String: String] = [:]
    func add(_ kind: String, _ name: String, _ items: JSONValue?) {
      guard let keys = configKeys(kind, namespace, name) else { return }
      if case .array(let list) = items ?? .null, !list.isEmpty {
        for item in list {
          guard let key = item["key"]?.stringValue, let value = keys[key] else { continue }
          files["/" + (item["path"]?.stringValue ?? key)] = value
        }
      } else {
        for (key, value) in keys { files["/" + key] = value }
      }
    }
    if let source = volume.source["configMap"] {
      add("ConfigMap", source["name"]?.stringValue ?? "", source["items"])
    }
    if let source = volume.source["secret"] {
      add("Secret", source["secretName"]?.stringValue ?? "", source["items"])
    }
    if case .array(let sources) = volume.source["projected"]?["sources"] ?? .null {
      for source in sources {
        if let configMap = source["configMap"], let name = configMap["name"]?.stringValue {
          if name == "kube-root-ca.crt" {
            files["/ca.crt"] = "-----BEGIN CERTIFICATE-----\n(the cluster's CA)\n-----END CERTIFICATE-----\n"
          } else {
            add("ConfigMap", name, configMap["items"])
          }
        }
        if let secret = source["secret"], let name = secret["name"]?.stringValue {
          add("Secret", name, secret["items"])
        }
        if let token = source["serviceAccountToken"] {
          files["/" + (token["path"]?.stringValue ?? "token")] =
            "eyJhbGciOiJSUzI1NiJ9.(a token for system:serviceaccount:\(namespace):\(pod.spec.serviceAccountName))"
        }
        if source["downwardAPI"] != nil { files["/namespace"] = namespace }
      }
    }
    return files
  }

  /// The content of a file in a running container, or nil when there is none.
  func readFile(_ path: String, _ pod: Pod, _ kubelet: Kubelet, _ runtime: PodRuntime,
    _ container: ContainerRuntime
  ) -> String? {
    let location = locate(path, pod, container)
    switch location.home {
    case .layer:
      if let written = container.files[location.path] { return written }
      if container.removedFiles.contains(location.path) { return nil }
      switch location.path {
      case "/etc/hostname": return (pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name) + "\n"
      case "/etc/hosts":
        // As the kubelet writes it for a pod that is not on the host's network.
        let hostname = pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name
        return "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
          + "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
          + "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
          + "\(pod.status.podIP)\t\(hostname)\n"
      case "/etc/resolv.conf":
        return
          "search \(pod.metadata.namespace).svc.cluster.local svc.cluster.local cluster.local\n"
          + "nameserver 10.96.0.10\noptions ndots:5\n"
      default: break
      }
      let elapsed = clock.now - container.startedAt
      return container.program.fileExists(location.path, at: elapsed) ? "" : nil
    case .emptyDir(let volume): return runtime.emptyDirs[volume]?[location.path]
    case .claimed(let volume): return volumeData[volume]?[location.path]
    case .host(let hostPath): return kubelet.hostFiles[hostPath]
    case .projection(let files): return files[location.path]
    }
  }

  /// What a container finds when it starts: its volumes' files and the kubelet's standard ones;
  /// nil for its own writable layer, which a new container starts without.
  func startingFile(
    _ path: String, _ pod: Pod, _ kubelet: Kubelet, _ runtime: PodRuntime,
    _ container: ContainerRuntime
  ) -> String? {
    if case .layer = locate(path, pod, container).home,
      !["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"].contains(path)
    {
      return nil
    }
    return readFile(path, pod, kubelet, runtime, container)
  }

  /// Writes a file; the error a shell would print otherwise.
  func writeFile(
    _ path: String, _ text: String, _ pod: Pod, _ kubelet: Kubelet, _ runtime: PodRuntime,
    _ container: ContainerRuntime
  ) throws(TrafficError) {
    let location = locate(path, pod, container)
    if location.readOnly {
      throw TrafficError(message: "can't create '\(path)': Read-only file system")
    }
    switch location.home {
    case .layer:
      container.files[location.path] = text
      container.removedFiles.remove(location.path)
    case .emptyDir(let volume): runtime.emptyDirs[volume, default: [:]][location.path] = text
    case .claimed(let volume): volumeData[volume, default: [:]][location.path] = text
    case .host(let hostPath): kubelet.hostFiles[hostPath] = text
    case .projection: throw TrafficError(message: "can't create '\(path)': Read-only file system")
    }
  }

  /// Removes a file; false when there was none.
  func removeFile(
    _ path: String, _ pod: Pod, _ kubelet: Kubelet, _ runtime: PodRuntime,
    _ container: ContainerRuntime
  ) throws(TrafficError) -> Bool {
    let location = locate(path, pod, container)
    if location.readOnly {
      throw TrafficError(message: "can't remove '\(path)': Read-only file system")
    }
    switch location.home {
    case .layer:
      let existed = readFile(path, pod, kubelet, runtime, container) != nil
      container.files[location.path] = nil
      if existed { container.removedFiles.insert(location.path) }
      return existed
    case .emptyDir(let volume): return runtime.emptyDirs[volume]?.removeValue(forKey: location.path) != nil
    case .claimed(let volume): return volumeData[volume]?.removeValue(forKey: location.path) != nil
    case .host(let hostPath): return kubelet.hostFiles.removeValue(forKey: hostPath) != nil
    case .projection: throw TrafficError(message: "can't remove '\(path)': Read-only file system")
    }
  }

  /// Whether a path is a directory even when nothing is in it: a volume's mount point, a
  /// directory above one, or one every image has.
  func isDirectory(_ path: String, _ container: ContainerRuntime) -> Bool {
    let directory = Cluster.normalize(path)
    let standard: Set<String> = [
      "/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/run", "/sys", "/tmp", "/usr",
      "/var", "/var/log", "/var/tmp",
    ]
    if standard.contains(directory) { return true }
    return container.spec.volumeMounts.contains { mount in
      let mountPath = Cluster.normalize(mount.mountPath)
      return mountPath == directory || mountPath.hasPrefix(directory + "/")
    }
  }

  /// The names directly inside a directory, sorted, as `ls` prints them.
  func listDirectory(
    _ path: String, _ pod: Pod, _ kubelet: Kubelet, _ runtime: PodRuntime,
    _ container: ContainerRuntime
  ) -> [String]? {
    let directory = Cluster.normalize(path)
    var names: Set<String> = []
    func collect(_ paths: [String], under base: String) {
      let prefix = base == "/" ? "/" : base + "/"
      for full in paths where full.hasPrefix(prefix) {
        if let first = full.dropFirst(prefix.count).split(separator: "/").first {
          names.insert(String(first))
        }
      }
    }
    let location = locate(directory, pod, container)
    switch location.home {
    case .layer: collect(Array(container.files.keys), under: location.path)
    case .emptyDir(let volume):
      collect(Array(runtime.emptyDirs[volume]?.keys ?? [:].keys), under: location.path)
    case .host(let hostPath): collect(Array(kubelet.hostFiles.keys), under: hostPath)
    case .claimed(let volume): collect(Array(volumeData[volume]?.keys ?? [:].keys), under: location.path)
    case .projection(let files): collect(Array(files.keys), under: location.path)
    }
    // Mount points show up in their parent directory.
    for mount in container.spec.volumeMounts {
      collect([Cluster.normalize(mount.mountPath)], under: directory)
    }
    return names.sorted()
  }
}

extension Cluster {
  /// How long a change of a mounted ConfigMap or Secret takes to reach the files: the
  /// kubelet's sync period (1 min); upstream adds up to its cache's TTL on top.
  static let projectionSyncDelay: Millis = 60_000

  func runtime(of pod: Pod) -> PodRuntime? { kubelets[pod.spec.nodeName]?.pods[pod.key] }

  /// At container start: the pod's projected volumes are set up once, and the container's
  /// subPath mounts copied.
  func mountProjections(_ pod: Pod, _ runtime: PodRuntime, _ container: ContainerRuntime) {
    container.subPathFiles = [:]
    for volume in pod.spec.volumes where Cluster.isProjection(volume) {
      if runtime.projections[volume.name] == nil {
        runtime.projections[volume.name] = projectedFiles(volume, pod)
      }
      for mount in container.spec.volumeMounts
      where mount.name == volume.name && !mount.subPath.isEmpty {
        container.subPathFiles[mount.name] = projectedFiles(volume, pod)
      }
    }
  }

  static func isProjection(_ volume: Volume) -> Bool {
    volume.source["configMap"] != nil || volume.source["secret"] != nil
      || volume.source["projected"] != nil
  }

  /// A ConfigMap or Secret changed: pods that mount it see the change at their kubelet's next
  /// sync; environment variables never do.
  func configurationChanged(_ kind: String, _ key: ObjectKey) {
    let field = kind == "ConfigMap" ? "configMap" : "secret"
    let nameKey = kind == "ConfigMap" ? "name" : "secretName"
    for pod in store.pods.list(namespace: key.namespace) {
      let volumes = pod.spec.volumes.filter { volume in
        if volume.source[field]?[nameKey]?.stringValue == key.name { return true }
        guard case .array(let sources) = volume.source["projected"]?["sources"] ?? .null else {
          return false
        }
        return sources.contains { $0[field]?["name"]?.stringValue == key.name }
      }
      guard !volumes.isEmpty, let runtime = runtime(of: pod) else { continue }
      let uid = pod.metadata.uid
      let podKey = pod.key
      clock.schedule(at: clock.now + Cluster.projectionSyncDelay) { [unowned(unsafe) self] in
        guard let current = self.store.pods[podKey], current.metadata.uid == uid,
          self.runtime(of: current) === runtime
        else { return }
        for volume in volumes {
          runtime.projections[volume.name] = self.projectedFiles(volume, current)
        }
      }
    }
  }
}
