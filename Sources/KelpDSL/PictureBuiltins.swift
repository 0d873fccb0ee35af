import KelpCluster
import KelpLisp

/// Pictures of the cluster for a terminal: `(show-cluster)`. Plain ASCII unless the session
/// draws for a colour terminal (the REPL on a TTY without NO_COLOR), so scripts, notebooks and
/// CI logs get the same text every time.
extension ClusterSession {
  func pictureBuiltins() -> [Builtin] {
    [
      Builtin(
        "show-cluster", "(show-cluster)",
        "Draws the cluster: a box per node with its state, taints, CPU and memory requested of allocatable, and its pods (status letter, name, READY); then the pods not scheduled, and a legend. Up to 24 nodes as boxes, more as a line each.",
        arity: 0...0
      ) { _ throws(LispError) in
        let map = ClusterMap(color: self.colorPictures)
        self.interpreter.output(map.render(self.cluster))
        self.pictureSink?(map.svg(self.cluster))
        return .void
      },
      Builtin(
        "show-rollout", "(show-rollout \"web\" :namespace \"default\")",
        "Draws a Deployment's rollouts: a row per moment its controller scaled a ReplicaSet, a column per ReplicaSet (the newest three, with revision and image), each a bar of its replicas.",
        arity: 1...3
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "show-rollout", "deployment")
        let options = try Arguments.keywords(args[1...], "show-rollout", allowed: ["namespace"])
        let namespace = try ClusterSession.namespace(options, "show-rollout")
        guard let chart = RolloutChart().render(self.cluster, deployment: name, namespace: namespace)
        else {
          throw LispError(
            .value, "show-rollout: deployments.apps \"\(name)\" not found in namespace \(namespace)")
        }
        self.interpreter.output(chart)
        if let sink = self.pictureSink,
          let svg = RolloutChart().svg(self.cluster, deployment: name, namespace: namespace)
        {
          sink(svg)
        }
        return .void
      },
      Builtin(
        "show-timeline", "(show-timeline :last 30)",
        "Draws the run on a time axis: faults (!), node changes (N), evictions and kills (x), scaling (^), failures (?), one line each, with the quiet stretches between them counted.",
        arity: 0...2
      ) { args throws(LispError) in
        let options = try Arguments.keywords(args[...], "show-timeline", allowed: ["last"])
        let last = try ClusterSession.int(options["last"], "show-timeline", "last")
        self.interpreter.output(TimelineChart().render(self.cluster, last: last))
        self.pictureSink?(TimelineChart().svg(self.cluster, last: last))
        return .void
      },
    ]
  }
}
