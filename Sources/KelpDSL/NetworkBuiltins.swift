import KelpCluster
import KelpLisp

/// Names and traffic from a script: `resolve` as a pod's resolver sees names, `request` as
/// its clients' connections go.
extension ClusterSession {
  /// The client of `:from`: a pod of `:namespace`, or nil for `"outside"`.
  func client(_ options: [String: Value], _ function: String) throws(LispError) -> ObjectKey? {
    let from = try ClusterSession.string(options["from"], function, "from") ?? "outside"
    let namespace = try ClusterSession.namespace(options, function)
    if from == "outside" { return nil }
    guard cluster.store.pods.get(namespace, from) != nil else {
      throw LispError(
        .value, "\(function): pod \"\(from)\" not found in namespace \(namespace)",
        hint: ":from takes a pod's name (with :namespace) or \"outside\"")
    }
    return ObjectKey(namespace: namespace, name: from)
  }

  func networkBuiltins() -> [Builtin] {
    [
      Builtin(
        "resolve", "(resolve \"web.shop\" :from \"client\" :namespace \"default\")",
        "Looks a name up with cluster DNS from a pod (its search path: web, web.shop, web.shop.svc.cluster.local); returns the address, or the list of pod addresses of a headless Service, or an ExternalName's target.",
        arity: 1...5
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "resolve", "name")
        let options = try Arguments.keywords(args[1...], "resolve", allowed: ["from", "namespace"])
        let from = try self.client(options, "resolve")
        do throws(Cluster.TrafficError) {
          let addresses = try self.cluster.resolve(name, from: from)
          return addresses.count == 1 ? Value(addresses[0]) : .list(addresses.map(Value.init))
        } catch {
          throw ClusterSession.error("resolve", error)
        }
      },
      Builtin(
        "request", "(request \"http://web.shop:80/\" :from \"client\" :count 100)",
        "Sends COUNT requests (default 1) to a URL from a pod or from \"outside\" (the default), each a new connection through kube-proxy's rules; returns {:answered {POD n …} :failed {REASON n …}}.",
        arity: 1...7
      ) { args throws(LispError) in
        let url = try Arguments.string(args[0], "request", "url")
        let options = try Arguments.keywords(
          args[1...], "request", allowed: ["from", "namespace", "count"])
        let count = try ClusterSession.int(options["count"], "request", "count") ?? 1
        guard (0...1_000_000).contains(count) else {
          throw LispError(.value, "request: :count must be between 0 and 1000000, got \(count)")
        }
        let from = try self.client(options, "request")
        do throws(Cluster.TrafficError) {
          let outcome = try self.cluster.request(url, from: from, count: count)
          func counts(_ map: [String: Int]) -> Value {
            .map(MapBox(map.sorted { $0.key < $1.key }.map { (Value($0.key), .int($0.value)) }))
          }
          return .map(
            MapBox([
              (.keyword("answered"), counts(outcome.answered)),
              (.keyword("failed"), counts(outcome.failed)),
            ]))
        } catch {
          throw ClusterSession.error("request", error)
        }
      },
      Builtin(
        "exec", "(exec \"web-1\" \"cat /data/x; ls /data\" :container \"app\")",
        "Runs a shell command line in a running container (cat, echo with > and >>, ls, rm, touch, env, hostname, nslookup, wget, curl); returns what it printed, or raises its error and exit code as kubectl exec reports them.",
        arity: 2...6
      ) { args throws(LispError) in
        let (key, container, _) = try self.podTarget(args, "exec", extra: [])
        let line = try Arguments.string(args[1], "exec", "command")
        let result: Cluster.ExecResult
        do throws(Cluster.TrafficError) {
          result = try self.cluster.exec(commandLine: line, in: key, container: container)
        } catch {
          throw LispError(.value, "exec: error: \(error.message)")
        }
        guard result.exitCode == 0 else {
          throw LispError(
            .value,
            "exec: \(result.output)\(result.errors)command terminated with exit code \(result.exitCode)")
        }
        return Value(result.output)
      },
      Builtin(
        "read-file", "(read-file \"web-1\" \"/data/x\" :container \"app\")",
        "The text of a file as a running container sees it (its volumes and its writable layer).",
        arity: 2...6
      ) { args throws(LispError) in
        let (key, container, _) = try self.podTarget(args, "read-file", extra: [])
        let path = try Arguments.string(args[1], "read-file", "path")
        do throws(Cluster.TrafficError) {
          return Value(try self.cluster.readFile(path, in: key, container: container))
        } catch {
          throw ClusterSession.error("read-file", error)
        }
      },
      Builtin(
        "write-file", "(write-file \"web-1\" \"/data/x\" \"hello\" :container \"app\")",
        "Writes a file in a running container: into the volume mounted there (emptyDir, hostPath, a claim) or its writable layer.",
        arity: 3...7
      ) { args throws(LispError) in
        let (key, container, rest) = try self.podTarget(args, "write-file", extra: [2])
        let path = try Arguments.string(args[1], "write-file", "path")
        let text = try Arguments.string(rest[0], "write-file", "text")
        do throws(Cluster.TrafficError) {
          try self.cluster.writeFile(path, text, in: key, container: container)
          return .void
        } catch {
          throw ClusterSession.error("write-file", error)
        }
      },
    ]
  }

  /// The pod (first argument), `:container` and `:namespace` of a file or exec builtin, and the
  /// positional arguments at `extra`.
  func podTarget(_ args: [Value], _ function: String, extra: [Int]) throws(LispError) -> (
    ObjectKey, String?, [Value]
  ) {
    let name = try Arguments.string(args[0], function, "pod")
    let firstOption = 2 + extra.count
    let options = try Arguments.keywords(
      args[firstOption...], function, allowed: ["container", "namespace"])
    let namespace = try ClusterSession.namespace(options, function)
    let container = try ClusterSession.string(options["container"], function, "container")
    return (ObjectKey(namespace: namespace, name: name), container, extra.map { args[$0] })
  }
}
