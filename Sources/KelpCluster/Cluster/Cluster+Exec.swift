/// `kubectl exec`: the commands a lesson runs in a container, on its simulated files and
/// network. The shell (ShellInterpreter) runs the language, the builtins and the text tools;
/// this host adds ls, touch, rm, hostname, date, nslookup, wget and curl.
extension Cluster {
  public struct ExecResult: Sendable, Equatable {
    public var output = ""
    public var errors = ""
    public var exitCode = 0
  }

  /// Runs a shell command line (`cat /tmp/x; ls /data`) in a pod's container.
  public func exec(commandLine: String, in key: ObjectKey, container name: String? = nil)
    throws(TrafficError) -> ExecResult
  {
    try exec(["sh", "-c", commandLine], in: key, container: name)
  }

  /// Runs a command line (kubectl's words after `--`) in a pod's container.
  public func exec(_ words: [String], in key: ObjectKey, container name: String? = nil)
    throws(TrafficError) -> ExecResult
  {
    let (pod, kubelet, runtime, container) = try runningContainer(key, name)
    guard let program = words.first else {
      throw TrafficError(message: "you must specify at least one command for the container")
    }
    var shell = ShellInterpreter(
      host: ExecShell(
        cluster: self, pod: pod, kubelet: kubelet, runtime: runtime, container: container),
      environment: container.environment)
    let end: ShellEnd
    if ["sh", "bash", "ash", "/bin/sh", "/bin/bash"].contains(program) {
      guard let flag = words.firstIndex(of: "-c"), flag + 1 < words.count else {
        return ExecResult()  // an interactive shell without a terminal reads nothing and ends
      }
      shell.bash = program.hasSuffix("bash")
      end = shell.run(script: words[flag + 1])
    } else {
      shell.host.direct = true
      end = shell.run(words: words)
    }
    var result = shell.host.result
    if case .exited(let code) = end { result.exitCode = code }
    return result
  }
}

/// One exec session: the host of its shell, on the container's files and the cluster's network.
/// A `sleep` in a loop would keep the session open for good; Kelp ends the loop there instead.
struct ExecShell: ShellHost {
  let cluster: Cluster
  let pod: Pod
  let kubelet: Kubelet
  let runtime: PodRuntime
  let container: ContainerRuntime
  var result = Cluster.ExecResult()
  /// kubectl exec -- PROGRAM without a shell: an unknown program is the runtime's error.
  var direct = false

  mutating func runProgram(_ words: [String], _ io: inout ShellIO, environment: [String: String])
    -> ShellStep
  {
    let saved = result
    result = Cluster.ExecResult()
    execute(words)
    io.output += result.output
    io.errors += result.errors
    let status = result.exitCode
    result = saved
    return .status(status)
  }

  func file(_ path: String) -> ShellFile {
    if let text = cluster.readFile(path, pod, kubelet, runtime, container) { return .text(text) }
    if cluster.isDirectory(path, container)
      || cluster.listDirectory(path, pod, kubelet, runtime, container)?.isEmpty == false
    {
      return .directory
    }
    return .missing
  }

  mutating func writeFile(_ path: String, _ text: String) -> String? {
    do throws(Cluster.TrafficError) {
      try cluster.writeFile(path, text, pod, kubelet, runtime, container)
      return nil
    } catch {
      return error.message
    }
  }

  mutating func emit(output: String, errors: String) {
    result.output += output
    result.errors += errors
  }

  mutating func sleep(_ milliseconds: Millis?, inLoop: Bool) -> Bool { !inLoop }

  private mutating func fail(_ message: String, code: Int = 1) {
    result.errors += message + "\n"
    result.exitCode = code
  }

  private mutating func execute(_ words: [String]) {
    guard let first = words.first else { return }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    let arguments = Array(words.dropFirst())
    switch program {
    case "ls":
      let paths = arguments.filter { !$0.hasPrefix("-") }
      for path in paths.isEmpty ? ["/"] : paths {
        if let names = cluster.listDirectory(path, pod, kubelet, runtime, container),
          !names.isEmpty || paths.isEmpty
        {
          result.output += names.map { $0 + "\n" }.joined()
        } else if cluster.readFile(path, pod, kubelet, runtime, container) != nil {
          result.output += path + "\n"
        } else if cluster.listDirectory(path, pod, kubelet, runtime, container)?.isEmpty == false
          || cluster.isDirectory(path, container)
        {
          continue  // an empty directory: nothing to print
        } else {
          fail("ls: \(path): No such file or directory")
        }
      }
    case "touch":
      for path in arguments where !path.hasPrefix("-") {
        let existing = cluster.readFile(path, pod, kubelet, runtime, container) ?? ""
        if let problem = writeFile(path, existing) { fail("touch: \(problem)") }
      }
    case "rm":
      let force = arguments.contains { $0.hasPrefix("-") && $0.contains("f") }
      for path in arguments where !path.hasPrefix("-") {
        do throws(Cluster.TrafficError) {
          if try !cluster.removeFile(path, pod, kubelet, runtime, container) && !force {
            fail("rm: can't remove '\(path)': No such file or directory")
          }
        } catch {
          fail("rm: \(error.message)")
        }
      }
    case "mkdir", "rmdir", "chmod", "chown", "cp", "mv", "ln": break
    case "hostname":
      result.output += (pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name) + "\n"
    case "date": result.output += Timestamp.rfc1123(cluster.now) + "\n"
    case "nslookup", "host", "dig": lookup(arguments.last(where: { !$0.hasPrefix("-") }) ?? "")
    case "wget", "curl": fetch(program, arguments.last(where: { !$0.hasPrefix("-") }) ?? "")
    default:
      if direct {
        fail(
          "OCI runtime exec failed: exec failed: unable to start container process: exec: \"\(first)\": executable file not found in $PATH: unknown",
          code: 126)
      } else {
        fail("sh: \(first): not found", code: 127)
      }
    }
  }

  /// busybox nslookup's answer from the pod's resolver.
  private mutating func lookup(_ name: String) {
    result.output += "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
    do throws(Cluster.TrafficError) {
      let addresses = try cluster.resolve(name, from: pod.key)
      let fqdn =
        Cluster.searchNames(name, namespace: pod.metadata.namespace).first {
          cluster.dnsRecord($0) != nil
        } ?? name
      if let alias = addresses.first, Cluster.ipValue(alias) == nil {
        result.output += "\(fqdn)\tcanonical name = \(alias)\n"
        return
      }
      result.output += addresses.map { "Name:\t\(fqdn)\nAddress: \($0)\n" }.joined(
        separator: "\n")
    } catch {
      fail("** server can't find \(name): NXDOMAIN")
    }
  }

  /// One HTTP request from the pod; the page names the pod that answered.
  private mutating func fetch(_ program: String, _ url: String) {
    do throws(Cluster.TrafficError) {
      let outcome = try cluster.request(
        url.contains("://") ? url : "http://" + url, from: pod.key, count: 1)
      if let answer = outcome.answered.keys.first {
        result.output += "Hello from \(answer)\n"
      } else if let reason = outcome.failed.keys.first {
        let host = (try? Cluster.parseURL(url.contains("://") ? url : "http://" + url).host) ?? url
        if program == "curl" {
          fail("curl: (7) Failed to connect to \(host): \(reason == "connection refused" ? "Connection refused" : "Connection timed out")", code: 7)
        } else {
          fail("wget: can't connect to remote host: \(reason == "connection refused" ? "Connection refused" : "Connection timed out")")
        }
      }
    } catch {
      // Both name the host alone: busybox wget "bad address", curl "Could not resolve host".
      let afterScheme = url.range(of: "://").map { String(url[$0.upperBound...]) } ?? url
      let host = String(afterScheme.prefix { $0 != "/" && $0 != ":" })
      if program == "curl" {
        fail("curl: (6) Could not resolve host: \(host)", code: 6)
      } else {
        fail("wget: bad address '\(host)'")
      }
    }
  }
}

extension Cluster {
  /// A file of a running container, for scripts: its text, or the shell's error.
  public func readFile(_ path: String, in key: ObjectKey, container name: String? = nil)
    throws(TrafficError) -> String
  {
    let (pod, kubelet, runtime, container) = try runningContainer(key, name)
    guard let text = readFile(path, pod, kubelet, runtime, container) else {
      throw TrafficError(message: "cat: can't open '\(path)': No such file or directory")
    }
    return text
  }

  public func writeFile(
    _ path: String, _ text: String, in key: ObjectKey, container name: String? = nil
  ) throws(TrafficError) {
    let (pod, kubelet, runtime, container) = try runningContainer(key, name)
    try writeFile(path, text, pod, kubelet, runtime, container)
  }
}
