/// `kubectl exec`: the commands a lesson runs in a container, on its simulated files and
/// network (cat, echo with redirects, ls, rm, touch, env, test, hostname, nslookup, wget and
/// curl, the text tools of Cluster+ExecTools.swift, sh -c with `;`, `&&`, `||` and pipes).
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
    var shell = ExecShell(
      cluster: self, pod: pod, kubelet: kubelet, runtime: runtime, container: container)
    guard let program = words.first else {
      throw TrafficError(message: "you must specify at least one command for the container")
    }
    if ["sh", "bash", "ash", "/bin/sh", "/bin/bash"].contains(program) {
      if let flag = words.firstIndex(of: "-c"), flag + 1 < words.count {
        shell.runScript(words[flag + 1])
      }
      return shell.result
    }
    shell.run(words, direct: true)
    return shell.result
  }
}

/// One exec session's shell: runs statements, collects output and the last status.
struct ExecShell {
  let cluster: Cluster
  let pod: Pod
  let kubelet: Kubelet
  let runtime: PodRuntime
  let container: ContainerRuntime
  var result = Cluster.ExecResult()
  /// What the statement before wrote into a pipe (`cat f | grep x`), for this one to read.
  var input: String?

  mutating func runScript(_ script: String) {
    var piped: String?
    for statement in ShellWords.script(script, environment: container.environment)
    where statement.runs(after: result.exitCode) {
      let words = statement.words(after: result.exitCode)
      let before = result.output
      input = piped
      piped = nil
      run(words, direct: false)
      if statement.pipesInto {
        piped = String(result.output.dropFirst(before.count))
        result.output = before
      }
      if words.first == "exit" { return }
    }
  }

  mutating func fail(_ message: String, code: Int = 1) {
    result.errors += message + "\n"
    result.exitCode = code
  }

  mutating func run(_ statement: [String], direct: Bool) {
    let redirection = ShellWords.redirect(statement)
    let redirect = redirection.target.map { (path: $0, append: redirection.append) }
    let before = result.output
    result.exitCode = 0
    execute(redirection.words, direct: direct)
    let written = String(result.output.dropFirst(before.count))
    if redirection.toErrors {
      result.output = before
      result.errors += written
    }
    guard let redirect else { return }
    result.output = before
    if redirect.path == "/dev/null" { return }
    let existing =
      redirect.append
      ? cluster.readFile(redirect.path, pod, kubelet, runtime, container) ?? "" : ""
    do throws(Cluster.TrafficError) {
      try cluster.writeFile(redirect.path, existing + written, pod, kubelet, runtime, container)
    } catch {
      fail("sh: \(error.message)")
    }
  }

  private mutating func execute(_ words: [String], direct: Bool) {
    guard let first = words.first else { return }
    let program = first.split(separator: "/").last.map(String.init) ?? first
    let arguments = Array(words.dropFirst())
    switch program {
    case "cat" where arguments.allSatisfy({ $0.hasPrefix("-") }):
      result.output += input ?? ""
    case "grep", "wc", "head", "tail", "sort", "uniq", "base64", "rev", "tr":
      runTextTool(program, arguments)
    case "cat":
      for path in arguments where !path.hasPrefix("-") {
        if let text = cluster.readFile(path, pod, kubelet, runtime, container) {
          result.output += text
        } else {
          fail("cat: can't open '\(path)': No such file or directory")
        }
      }
    case "echo", "printf": result.output += ShellWords.printed(words) ?? ""
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
        write(path, existing, command: "touch")
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
    case "mkdir", "true", ":", "sleep", "cd", "sync": break
    case "false": result.exitCode = 1
    case "exit": result.exitCode = arguments.first.flatMap { Int($0) } ?? 0
    case "hostname":
      result.output += (pod.spec.passthrough["hostname"]?.stringValue ?? pod.metadata.name) + "\n"
    case "env", "printenv":
      let lines = ContainerProgram.printedEnvironment(
        container.environment, names: program == "env" ? [] : arguments)
      result.output += lines.printed.map { $0 + "\n" }.joined()
      result.exitCode = lines.status
    case "test", "[":
      var operands = arguments
      if program == "[" {
        guard operands.last == "]" else { return fail("sh: missing ]", code: 2) }
        operands.removeLast()
      }
      result.exitCode = holds(operands[...]) ? 0 : 1
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

  /// `test`'s expressions: `!`, a string, `-n`/`-z`, file tests (`-e -f -s -r -d`), string
  /// `=`/`!=` and the integer comparisons.
  private func holds(_ operands: ArraySlice<String>) -> Bool {
    guard let first = operands.first else { return false }
    if first == "!" { return !holds(operands.dropFirst()) }
    let rest = Array(operands.dropFirst())
    switch (first, rest.count) {
    case (_, 0): return !first.isEmpty
    case ("-n", 1): return !rest[0].isEmpty
    case ("-z", 1): return rest[0].isEmpty
    case ("-e", 1), ("-f", 1), ("-r", 1), ("-s", 1), ("-d", 1):
      let path = rest[0]
      let file = cluster.readFile(path, pod, kubelet, runtime, container)
      let isDirectory =
        cluster.isDirectory(path, container)
        || cluster.listDirectory(path, pod, kubelet, runtime, container)?.isEmpty == false
      switch first {
      case "-d": return isDirectory && file == nil
      case "-f": return file != nil
      case "-s": return !(file ?? "").isEmpty
      default: return file != nil || isDirectory
      }
    case (_, 2):
      let (operation, other) = (rest[0], rest[1])
      switch operation {
      case "=", "==": return first == other
      case "!=": return first != other
      default:
        guard let left = Int(first), let right = Int(other) else { return false }
        switch operation {
        case "-eq": return left == right
        case "-ne": return left != right
        case "-lt": return left < right
        case "-le": return left <= right
        case "-gt": return left > right
        case "-ge": return left >= right
        default: return false
        }
      }
    default: return false
    }
  }

  private mutating func write(_ path: String, _ text: String, command: String) {
    do throws(Cluster.TrafficError) {
      try cluster.writeFile(path, text, pod, kubelet, runtime, container)
    } catch {
      fail("\(command): \(error.message)")
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
