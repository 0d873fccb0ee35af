/// The columns kubectl derives for a pod (upstream `printPod` in
/// pkg/printers/internalversion/printers.go).
extension Pod {
  /// READY: ready containers / containers.
  public var readyText: String {
    let ready = status.containerStatuses.filter { $0.ready && $0.state.isRunning }.count
    return "\(ready)/\(spec.containers.count)"
  }

  /// The STATUS column: the phase, or the reason of the first container (in spec order) that is
  /// waiting or terminated, `Init:…` while init containers run, `Terminating` once deleted.
  public var displayStatus: String {
    var reason = status.reason.isEmpty ? status.phase.rawValue : status.reason
    var initializing = false
    initContainers: for (index, container) in status.initContainerStatuses.enumerated() {
      switch container.state {
      case .terminated(let code, _, _, _, _) where code == 0:
        continue
      case .terminated(let code, let why, _, _, _):
        reason = why.isEmpty ? "Init:ExitCode:\(code)" : "Init:" + why
      case .waiting(let why, _) where !why.isEmpty && why != "PodInitializing":
        reason = "Init:" + why
      default:
        reason = "Init:\(index)/\(spec.initContainers.count)"
      }
      initializing = true
      break initContainers
    }
    if !initializing || status.condition("Initialized")?.status == "True" {
      var hasRunning = false
      for container in status.containerStatuses.reversed() {
        switch container.state {
        case .waiting(let why, _) where !why.isEmpty: reason = why
        case .terminated(let code, let why, _, _, _):
          reason = why.isEmpty ? "ExitCode:\(code)" : why
        case .running where container.ready: hasRunning = true
        default: break
        }
      }
      if reason == "Completed" && hasRunning {
        reason = status.condition("Ready")?.status == "True" ? "Running" : "NotReady"
      }
    }
    if metadata.deletionTimestamp != nil && status.reason == "NodeLost" {
      reason = "Unknown"
    } else if metadata.deletionTimestamp != nil && status.phase != .succeeded
      && status.phase != .failed
    {
      reason = "Terminating"
    }
    return reason
  }

  /// Restarts summed over containers, and the newest `finishedAt` of their last terminations.
  public var restarts: (count: Int, lastFinished: Millis?) {
    var count = 0
    var last: Millis?
    let initDone = status.condition("Initialized")?.status == "True"
    let statuses = initDone ? status.containerStatuses : status.initContainerStatuses
    for container in statuses {
      count += container.restartCount
      if case .terminated(_, _, _, _, let finished)? = container.lastState {
        last = max(last ?? finished, finished)
      }
    }
    return (count, last)
  }

  /// RESTARTS: `3 (45s ago)`.
  public func restartsText(now: Millis) -> String {
    let (count, last) = restarts
    guard count != 0, let last else { return String(count) }
    return "\(count) (\(DurationText.human(now - last)) ago)"
  }
}
