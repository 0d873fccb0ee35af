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
        self.interpreter.output(ClusterMap(color: self.colorPictures).render(self.cluster))
        return .void
      }
    ]
  }
}
