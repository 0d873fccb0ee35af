/// `kubectl rollout status` and `kubectl set image` for Deployments.
extension Kubectl {
  func rollout(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let subcommand = command.arguments.first else {
      throw KubectlError("error: Usage: kubectl rollout SUBCOMMAND, with SUBCOMMAND status")
    }
    guard ["status", "history", "undo", "pause", "resume", "restart"].contains(subcommand) else {
      throw KubectlError(
        "error: unknown command \"\(subcommand)\" for \"kubectl rollout\" (Kelp offers status, history and undo)"
      )
    }
    var rest = command
    rest.arguments = Array(command.arguments.dropFirst())
    let namespace = self.namespace(command)
    var output = ""
    for (kind, names) in try resolve(rest) {
      if kind == .daemonSet && subcommand == "status" {
        for name in names {
          output += try watchRollout { () throws(KubectlError) in
            guard let daemonSet = cluster.store.daemonSets.get(namespace, name) else {
              throw .api(.notFound(.daemonSet, name))
            }
            return try Kubectl.statusLine(daemonSet)
          }
        }
        continue
      }
      guard kind == .deployment else {
        throw KubectlError(
          "error: no status viewer has been implemented for \(kind.plural) in Kelp")
      }
      for name in names {
        switch subcommand {
        case "history":
          let revision = try command.value("revision").map { text throws(KubectlError) in
            guard let number = Int(text) else {
              throw KubectlError(
                "error: invalid argument \"\(text)\" for \"--revision\" flag: strconv.ParseInt: parsing \"\(text)\": invalid syntax")
            }
            return number
          }
          output += try history(name, namespace: namespace, revision: revision == 0 ? nil : revision)
        case "pause", "resume", "restart":
          output += try change(name, namespace: namespace, subcommand)
        case "undo":
          output += try undo(
            name, namespace: namespace, to: command.value("to-revision").flatMap { Int($0) } ?? 0)
        default: output += try rolloutStatus(name, namespace: namespace)
        }
      }
    }
    return output
  }

  /// Upstream `DeploymentStatusViewer`, watched: a line each time the message changes, on the
  /// virtual clock, until the rollout is done (or 10 virtual minutes pass, kubectl's --timeout).
  private func rolloutStatus(_ name: String, namespace: String) throws(KubectlError) -> String {
    try watchRollout { () throws(KubectlError) in
      guard let deployment = cluster.store.deployments.get(namespace, name) else {
        throw .api(.notFound(.deployment, name))
      }
      return try Kubectl.statusLine(deployment)
    }
  }

  /// Upstream `DaemonSetStatusViewer`.
  static func statusLine(_ daemonSet: DaemonSet) throws(KubectlError) -> (String, Bool) {
    guard daemonSet.spec.updateStrategy == "RollingUpdate" else {
      throw KubectlError("error: rollout status is only available for RollingUpdate strategy type")
    }
    let name = daemonSet.metadata.name
    let status = daemonSet.status
    guard daemonSet.metadata.generation <= status.observedGeneration else {
      return ("Waiting for daemon set spec update to be observed...\n", false)
    }
    if status.updatedNumberScheduled < status.desiredNumberScheduled {
      return (
        "Waiting for daemon set \"\(name)\" rollout to finish: \(status.updatedNumberScheduled) out of \(status.desiredNumberScheduled) new pods have been updated...\n",
        false
      )
    }
    if status.numberAvailable < status.desiredNumberScheduled {
      return (
        "Waiting for daemon set \"\(name)\" rollout to finish: \(status.numberAvailable) of \(status.desiredNumberScheduled) updated pods are available...\n",
        false
      )
    }
    return ("daemon set \"\(name)\" successfully rolled out\n", true)
  }

  /// Prints the status line each time it changes, running the virtual clock event by event,
  /// until the rollout is done or 10 virtual minutes pass (kubectl's --timeout).
  private func watchRollout(_ statusLine: () throws(KubectlError) -> (String, Bool))
    throws(KubectlError) -> String
  {
    var output = ""
    var last = ""
    let deadline = cluster.now + 10 * 60 * 1000
    while true {
      let (message, done) = try statusLine()
      if done { return output + message }
      if message != last { output += message }
      last = message
      guard let next = cluster.clock.nextDueTime, next <= deadline else {
        throw KubectlError(output + "error: timed out waiting for the condition")
      }
      cluster.clock.run(until: next)
    }
  }

  /// `rollout pause|resume|restart`: the first two flip `spec.paused`; restart stamps the pod
  /// template with `kubectl.kubernetes.io/restartedAt`, which makes a new rollout.
  private func change(_ name: String, namespace: String, _ subcommand: String) throws(KubectlError)
    -> String
  {
    guard let deployment = cluster.store.deployments.get(namespace, name) else {
      throw .api(.notFound(.deployment, name))
    }
    var spec = deployment.spec
    switch subcommand {
    case "pause":
      if spec.paused { throw KubectlError("error: deployments.apps \"\(name)\" is already paused") }
      spec.paused = true
    case "resume":
      if !spec.paused { throw KubectlError("error: deployments.apps \"\(name)\" is not paused") }
      spec.paused = false
    default:
      if spec.paused {
        throw KubectlError(
          "error: deployments.apps \"\(name)\" can't restart paused deployment (run rollout resume first)"
        )
      }
      spec.template.annotations["kubectl.kubernetes.io/restartedAt"] = Timestamp.rfc3339(
        cluster.now)
    }
    cluster.store.modify(Deployment.self, deployment.key) { deployment in
      deployment.spec = spec
      deployment.metadata.generation += 1
    }
    cluster.settle()
    let past =
      ["pause": "paused", "resume": "resumed", "restart": "restarted"][subcommand] ?? subcommand
    return "deployment.apps/\(name) \(past)\n"
  }

  /// What `--record` writes as the change cause: the command, its flags as `--name=value`.
  static func changeCause(_ command: KubectlCommandLine) -> String {
    "kubectl \(command.verb) " + command.arguments.joined(separator: " ") + " --record=true"
  }

  /// kubectl's notice for the deprecated flag, printed before the command's own output.
  static let recordDeprecation = "Flag --record has been deprecated, --record will be removed in the future\n"

  /// The ReplicaSets of a Deployment by revision.
  private func revisions(of deployment: Deployment) -> [(revision: Int, replicaSet: ReplicaSet)] {
    cluster.store.replicaSets.list(namespace: deployment.metadata.namespace)
      .filter { $0.metadata.controller?.uid == deployment.metadata.uid }
      .compactMap { replicaSet in
        Int(replicaSet.metadata.annotations[DeploymentController.revisionKey] ?? "").map {
          ($0, replicaSet)
        }
      }
      .sorted { $0.revision < $1.revision }
  }

  private func history(_ name: String, namespace: String, revision: Int? = nil)
    throws(KubectlError) -> String
  {
    guard let deployment = cluster.store.deployments.get(namespace, name) else {
      throw .api(.notFound(.deployment, name))
    }
    if let revision {
      // `--revision=N`: that revision's pod template, as kubectl's history viewer prints it.
      guard let replicaSet = revisions(of: deployment).first(where: { $0.revision == revision })
      else { throw KubectlError("error: unable to find the specified revision") }
      var template = replicaSet.replicaSet.spec.template
      if let cause = replicaSet.replicaSet.metadata.annotations["kubernetes.io/change-cause"] {
        template.annotations["kubernetes.io/change-cause"] = cause
      }
      return "deployment.apps/\(name) with revision #\(revision)\n"
        + TabWriter.describe.format(Kubectl.podTemplateSection(template))
    }
    var table = "REVISION\tCHANGE-CAUSE\n"
    for (revision, replicaSet) in revisions(of: deployment) {
      let cause = replicaSet.metadata.annotations["kubernetes.io/change-cause"] ?? "<none>"
      table += "\(revision)\t\(cause)\n"
    }
    return "deployment.apps/\(name) \n" + TabWriter(minWidth: 0, padding: 2).format(table) + "\n"
  }

  /// Puts the template of an earlier revision (the previous one by default) back.
  private func undo(_ name: String, namespace: String, to target: Int) throws(KubectlError)
    -> String
  {
    guard let deployment = cluster.store.deployments.get(namespace, name) else {
      throw .api(.notFound(.deployment, name))
    }
    let history = revisions(of: deployment)
    let current = history.last?.revision ?? 0
    let chosen =
      target == 0
      ? history.last(where: { $0.revision < current })
      : history.first(where: { $0.revision == target })
    guard let chosen else {
      throw KubectlError(
        target == 0
          ? "error: no rollout history found for deployment \"\(name)\""
          : "error: unable to find specified revision \(target) in history")
    }
    var template = chosen.replicaSet.spec.template
    template.labels["pod-template-hash"] = nil
    if template == deployment.spec.template {
      return
        "deployment.apps/\(name) skipped rollback (current template already matches revision \(chosen.revision))\n"
    }
    cluster.store.modify(Deployment.self, deployment.key) { deployment in
      deployment.spec.template = template
      deployment.metadata.generation += 1
    }
    cluster.settle()
    return "deployment.apps/\(name) rolled back\n"
  }

  static func statusLine(_ deployment: Deployment) throws(KubectlError) -> (String, Bool) {
    let name = deployment.metadata.name
    let status = deployment.status
    guard deployment.metadata.generation <= status.observedGeneration else {
      return ("Waiting for deployment spec update to be observed...\n", false)
    }
    if status.conditions.contains(where: {
      $0.type == "Progressing" && $0.reason == "ProgressDeadlineExceeded"
    }) {
      throw KubectlError("error: deployment \"\(name)\" exceeded its progress deadline")
    }
    let prefix = "Waiting for deployment \"\(name)\" rollout to finish: "
    if status.updatedReplicas < deployment.spec.replicas {
      return (
        prefix
          + "\(status.updatedReplicas) out of \(deployment.spec.replicas) new replicas have been updated...\n",
        false
      )
    }
    if status.replicas > status.updatedReplicas {
      return (
        prefix
          + "\(status.replicas - status.updatedReplicas) old replicas are pending termination...\n",
        false
      )
    }
    if status.availableReplicas < status.updatedReplicas {
      return (
        prefix
          + "\(status.availableReplicas) of \(status.updatedReplicas) updated replicas are available...\n",
        false
      )
    }
    return ("deployment \"\(name)\" successfully rolled out\n", true)
  }

  /// `kubectl set image deployment/web c=nginx:1.27`.
  func setImage(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    let pairs = command.arguments.dropFirst().filter { $0.contains("=") }
    var rest = command
    rest.arguments = command.arguments.dropFirst().filter { !$0.contains("=") }
    guard !pairs.isEmpty else { throw KubectlError("error: at least one image update is required") }
    let namespace = self.namespace(command)
    var output = ""
    for (kind, names) in try resolve(rest) {
      guard kind == .deployment else {
        throw KubectlError("error: Kelp sets images of deployments, not \(kind.plural)")
      }
      for name in names {
        guard let deployment = cluster.store.deployments.get(namespace, name) else {
          throw .api(.notFound(kind, name))
        }
        var spec = deployment.spec
        for pair in pairs {
          let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
          let matched = spec.template.spec.containers.indices.filter {
            parts[0] == "*" || spec.template.spec.containers[$0].name == parts[0]
          }
          guard !matched.isEmpty else {
            throw KubectlError("error: unable to find container named \"\(parts[0])\"")
          }
          for index in matched { spec.template.spec.containers[index].image = parts[1] }
        }
        if spec != deployment.spec {
          let cause = command.flag("record") ? Kubectl.changeCause(command) : nil
          cluster.store.modify(Deployment.self, deployment.key) { deployment in
            deployment.spec = spec
            deployment.metadata.generation += 1
            if let cause { deployment.metadata.annotations["kubernetes.io/change-cause"] = cause }
          }
          cluster.settle()
        }
        output += "deployment.apps/\(name) image updated\n"
      }
    }
    return (command.flag("record") ? Kubectl.recordDeprecation : "") + output
  }
}
