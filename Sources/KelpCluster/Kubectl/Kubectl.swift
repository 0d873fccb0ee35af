/// kubectl against a simulated cluster: takes the command line people type and returns what
/// kubectl 1.32 prints, or throws what it prints on error.
public struct Kubectl {
  public let cluster: Cluster
  /// Reads a manifest file for `-f` (the DSL gives one that obeys its sandbox).
  public var readFile: (String) throws -> String = { path in
    throw KubectlError("error: the path \"\(path)\" does not exist")
  }

  /// The manifest files a `-f` path names: the file, or a folder's `.yaml`, `.yml` and `.json`
  /// files in name order; nil when the path is not a folder (then `readFile` reads it).
  public var listFolder: (String) -> [String]? = { _ in nil }

  public init(cluster: Cluster) { self.cluster = cluster }

  public func run(_ commandLine: String) throws(KubectlError) -> String {
    try run(arguments: KubectlCommandLine.words(commandLine))
  }

  /// Runs a command line. What it prints, and its errors, go out with Secret values masked
  /// (see `Cluster.redactingSecrets`), except the output of `get`, whose formats show a
  /// Secret's data base64-encoded as kubectl does (or in clear when a template decodes it on
  /// purpose), and of `exec`, a command the user runs in a container on purpose.
  public func run(arguments: [String]) throws(KubectlError) -> String {
    do {
      let output = try runCommand(arguments)
      let verb = arguments.first(where: { !$0.hasPrefix("-") && $0 != "kubectl" })
      return verb == "get" || verb == "exec" ? output : cluster.redactingSecrets(output)
    } catch {
      throw KubectlError(cluster.redactingSecrets(error.message))
    }
  }

  private func runCommand(_ arguments: [String]) throws(KubectlError) -> String {
    let command = try KubectlCommandLine(arguments)
    if command.flag("watch") {
      throw KubectlError(
        "error: --watch waits for changes, and Kelp's clock only moves when told: "
          + "call get again after (advance \"10s\"), or use (watch-kubectl \"get pods\" :every \"5s\" :for \"1m\")"
      )
    }
    let output: String
    switch command.verb {
    case "get": output = try get(command)
    case "describe": output = try describe(command)
    case "run": output = try runPod(command)
    case "create": output = try create(command)
    case "apply": output = try applyFiles(command, createOnly: false)
    case "delete": output = try delete(command)
    case "label": output = try label(command)
    case "annotate": output = try annotate(command)
    case "patch": output = try patch(command)
    case "replace": output = try replace(command)
    case "taint": output = try taint(command)
    case "events": output = try events(command)
    case "cordon": output = try cordon(command, true)
    case "uncordon": output = try cordon(command, false)
    case "drain": output = try drain(command)
    case "logs": output = try logs(command)
    case "scale": output = try scale(command)
    case "rollout": output = try rollout(command)
    case "set":
      output = try command.arguments.first == "image" ? setImage(command) : setTemplate(command)
    case "api-resources": output = apiResources()
    case "autoscale": output = try autoscale(command)
    case "top": output = try top(command)
    case "expose": output = try expose(command)
    case "exec": output = try exec(command)
    case "version":
      output = "Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n"
    case "explain": output = try explain(command)
    case "edit":
      // A real command Kelp does not offer: say so rather than "unknown command".
      throw KubectlError(
        "error: kubectl edit opens an editor; in Kelp change objects with kubectl patch, set, "
          + "label, annotate, scale, or apply -f")
    default:
      let verbs = [
        "get", "describe", "run", "create", "apply", "replace", "delete", "label", "annotate",
        "patch", "taint", "events", "cordon", "uncordon", "drain", "logs", "scale", "rollout",
        "set", "api-resources", "version", "autoscale", "top", "expose", "exec", "explain",
      ]
      var text = "error: unknown command \"\(command.verb)\" for \"kubectl\""
      if let near = verbs.first(where: { Kubectl.editDistance($0, command.verb) <= 2 }) {
        text += "\n\nDid you mean this?\n\t\(near)"
      }
      throw KubectlError(text)
    }
    return output
  }

  var now: Millis { cluster.now }

  func namespace(_ command: KubectlCommandLine) -> String {
    command.value("namespace") ?? "default"
  }

  /// `pods`, `pod/web`, `pods,nodes` → kinds and names.
  func resolve(_ command: KubectlCommandLine) throws(KubectlError) -> [(ResourceKind, [String])] {
    guard let first = command.arguments.first else {
      throw KubectlError(
        "error: you must specify the type of resource to \(command.verb). Use \"kubectl api-resources\" for a complete list of supported resources."
      )
    }
    if first.contains("/") {
      var result: [(ResourceKind, [String])] = []
      for argument in command.arguments {
        let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
          throw KubectlError(
            "error: arguments in resource/name form must have a single resource and name")
        }
        let kind = try resourceKind(parts[0])
        if let index = result.firstIndex(where: { $0.0 == kind }) {
          result[index].1.append(parts[1])
        } else {
          result.append((kind, [parts[1]]))
        }
      }
      return result
    }
    var kinds: [ResourceKind] = []
    for name in first.split(separator: ",") { kinds.append(try resourceKind(String(name))) }
    return kinds.map { ($0, Array(command.arguments.dropFirst())) }
  }

  func resourceKind(_ name: String) throws(KubectlError) -> ResourceKind {
    guard let kind = ResourceKind.named(name) else {
      throw KubectlError("error: the server doesn't have a resource type \"\(name)\"")
    }
    return kind
  }

  func selector(_ command: KubectlCommandLine) throws(KubectlError) -> LabelSelector {
    guard let text = command.value("selector") else { return .everything }
    do {
      return try LabelSelector(parsing: text)
    } catch {
      throw KubectlError("error: \(error)")
    }
  }

  private func apiResources() -> String {
    var text = "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n"
    for kind in ResourceKind.all.sorted(by: { $0.plural < $1.plural }) {
      text +=
        "\(kind.plural)\t\(kind.shortNames.joined(separator: ","))\t\(kind.apiVersion)\t\(kind.namespaced)\t\(kind.kind)\n"
    }
    return TabWriter.get.format(text)
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where i <= a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where j <= b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
