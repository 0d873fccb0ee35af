/// The pod status the kubelet reports: phase by upstream's `getPhase`, container readiness, and
/// the Ready/ContainersReady conditions.
extension Kubelet {
  static func updateReadiness(_ pod: inout Pod, runtime: PodRuntime, at now: Millis) {
    for container in runtime.containers {
      withStatus(&pod, container.name, false) { status in
        status.ready = container.running && container.ready
      }
    }
    let phase = phase(of: pod)
    if pod.status.phase != .succeeded && pod.status.phase != .failed {
      pod.status.phase = phase
    }
    let terminal = pod.status.phase == .succeeded || pod.status.phase == .failed
    runtime.finished = terminal
    let unready = pod.status.containerStatuses.filter { !$0.ready }.map(\.name)
    if terminal {
      pod.status.setCondition("ContainersReady", "False", at: now, reason: "PodCompleted")
      pod.status.setCondition("Ready", "False", at: now, reason: "PodCompleted")
    } else if unready.isEmpty {
      pod.status.setCondition("ContainersReady", "True", at: now)
      pod.status.setCondition("Ready", "True", at: now)
    } else {
      let message = "containers with unready status: [\(unready.joined(separator: " "))]"
      pod.status.setCondition(
        "ContainersReady", "False", at: now, reason: "ContainersNotReady", message: message)
      pod.status.setCondition(
        "Ready", "False", at: now, reason: "ContainersNotReady", message: message)
    }
    sortConditions(&pod.status)
  }

  /// kubectl and the API list conditions in the kubelet's order.
  static func sortConditions(_ status: inout PodStatus) {
    let order = [
      "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled",
      "DisruptionTarget",
    ]
    status.conditions.sort {
      (order.firstIndex(of: $0.type) ?? order.count)
        < (order.firstIndex(of: $1.type) ?? order.count)
    }
  }

  /// Upstream kubelet `getPhase`.
  static func phase(of pod: Pod) -> PodPhase {
    let initPending = pod.status.initContainerStatuses.contains {
      if case .terminated(let code, _, _, _, _) = $0.state {
        return code != 0 && pod.spec.restartPolicy != .never
      }
      return true
    }
    let initFailedForGood =
      pod.spec.restartPolicy == .never
      && pod.status.initContainerStatuses.contains {
        if case .terminated(let code, _, _, _, _) = $0.state { return code != 0 }
        return false
      }
    if initFailedForGood { return .failed }
    var running = 0
    var waiting = 0
    var stopped = 0
    var succeeded = 0
    for status in pod.status.containerStatuses {
      switch status.state {
      case .running: running += 1
      case .terminated(let code, _, _, _, _):
        stopped += 1
        if code == 0 { succeeded += 1 }
      case .waiting:
        if case .terminated? = status.lastState { stopped += 1 } else { waiting += 1 }
      }
    }
    if initPending || waiting > 0 { return .pending }
    if running > 0 { return .running }
    if stopped > 0 {
      switch pod.spec.restartPolicy {
      case .always: return .running
      case .never: return stopped == succeeded ? .succeeded : .failed
      case .onFailure: return stopped == succeeded ? .succeeded : .running
      }
    }
    return .pending
  }
}
