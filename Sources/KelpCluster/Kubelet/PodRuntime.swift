/// The kubelet's private record of one pod on its node: what each container is running and the
/// timers that belong to it. Every timer carries the container's incarnation and does nothing if
/// the container has been restarted or stopped since it was set.
final class PodRuntime {
  let key: ObjectKey
  let uid: String
  var containers: [ContainerRuntime]
  var initContainers: [ContainerRuntime]
  /// Bumped whenever the node goes down or the pod is torn down: outstanding timers lapse.
  var epoch = 0
  var terminating = false
  /// Succeeded or Failed: no longer counted against the node by admission.
  var finished = false
  /// What the pod requests of the node, for admitting the next one.
  let requests: (cpuMillis: Int64, memoryBytes: Int64)
  /// Its ephemeral storage and extended resources (Pod.scalarRequests).
  let scalars: [String: Int64]
  /// The pod's emptyDir volumes: files by path inside the volume. They outlive container
  /// restarts and go with the pod.
  var emptyDirs: [String: [String: String]] = [:]
  /// What each ConfigMap, Secret or projected volume shows, as the kubelet last synced it.
  var projections: [String: [String: String]] = [:]
  /// Probes made to fail by a fault, by `container/Kind`, until the given time.
  var failingProbes: [String: Millis] = [:]

  init(pod: Pod) {
    key = pod.key
    uid = pod.metadata.uid
    requests = pod.resourceRequests
    scalars = pod.scalarRequests
    containers = pod.spec.containers.map {
      ContainerRuntime(
        spec: $0, program: ContainerProgram(container: $0, annotations: pod.metadata.annotations))
    }
    initContainers = pod.spec.initContainers.map {
      ContainerRuntime(spec: $0, program: ContainerProgram(container: $0, annotations: [:]))
    }
  }
}

final class ContainerRuntime {
  let spec: Container
  var program: ContainerProgram
  var incarnation = 0
  var running = false
  var startedAt: Millis = 0
  var ready = false
  /// Crash-loop back-off: the current delay and when it was last moved (upstream's `lastUpdate`).
  var backoff: Millis?
  var backoffUpdated: Millis = 0
  /// Image-pull back-off, kept apart from the crash-loop one, as the kubelet does.
  var pullBackoff: Millis?
  var readinessSuccesses = 0
  var readinessFailures = 0
  var livenessFailures = 0
  var startupPassed = false
  /// What the running (or last) process wrote, and what the one before it wrote, as
  /// `kubectl logs` and `kubectl logs --previous` show them.
  var logs: [String] = []
  var previousLogs: [String]?
  /// The container's writable layer: files written outside any volume, lost when the container
  /// is replaced (a restart is a new container).
  var files: [String: String] = [:]
  /// Files the command created that were removed since (by `rm` in an exec).
  var removedFiles: Set<String> = []
  /// subPath mounts of projected volumes: copied when the container starts, never updated.
  var subPathFiles: [String: [String: String]] = [:]
  /// The environment the process was started with; a later change of a ConfigMap or Secret it
  /// came from does not reach it.
  var environment: [String: String] = [:]

  init(spec: Container, program: ContainerProgram) {
    self.spec = spec
    self.program = program
  }

  var name: String { spec.name }
}
