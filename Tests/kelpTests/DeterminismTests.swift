import Foundation
import Testing

/// The same seed gives the same run: 100 random scenarios (workloads of random shapes, then an
/// hour of seeded chaos drawing from every kind of fault) run in two separate `kelp` processes
/// (so Swift's per-process hash seeds differ, and any order taken from a hash table shows), and
/// the event logs the two print, told by `(timeline)`, must be byte-identical.
@Suite struct DeterminismTests {
  /// SplitMix64, as the cluster's own generator: the scenarios are drawn, not hand-picked.
  struct Draw {
    var state: UInt64
    mutating func below(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  /// A scenario drawn from `seed`: nodes, Deployments, maybe a DaemonSet, a Job and a CronJob,
  /// a Service, then an hour of chaos; it prints the run's timeline.
  static func scenario(_ seed: UInt64) -> String {
    var draw = Draw(state: seed)
    var lines = [";; scenario \(seed)", "(cluster :nodes \(2 + draw.below(4)) :seed \(seed))"]
    for index in 0..<(1 + draw.below(3)) {
      let image = ["nginx:1.25", "redis:7", "httpd:2.4"][draw.below(3)]
      let requests =
        draw.below(2) == 0 ? "" : " :requests {:cpu \"\(100 * (1 + draw.below(5)))m\" :memory \"64Mi\"}"
      lines.append(
        "(deployment \"app\(index)\" :image \"\(image)\" :replicas \(1 + draw.below(6))\(requests))")
    }
    if draw.below(2) == 0 {
      lines.append("(daemonset \"agent\" :image \"busybox\" :command [\"sleep\" \"86400\"])")
    }
    if draw.below(2) == 0 {
      lines.append("(job \"batch\" :image \"busybox\" :command [\"sleep\" \"30\"] :completions 3)")
    }
    if draw.below(2) == 0 {
      lines.append(
        "(cronjob \"tick\" :schedule \"*/10 * * * *\" :image \"busybox\" :command [\"sleep\" \"90\"])")
    }
    lines.append("(service \"app0\" :selector {:app \"app0\"} :ports [80])")
    lines.append("(advance \"\(1 + draw.below(5))m\")")
    let faults = [
      "\"kill-pod\"", "[\"fail-node\" :for \"4m\"]", "[\"partition-node\" :for \"8m\"]",
      "[\"crash-container\" :selector \"app=app0\"]", "[\"oom-kill\" :selector \"app=app0\"]",
      "[\"node-pressure\" :resource \"memory\" :for \"2m\"]",
      "[\"node-pressure\" :resource \"disk\" :for \"2m\"]", "[\"cordon\" :for \"3m\"]",
      "[\"drain\" :for \"5m\"]", "[\"break-image\" \"redis:7\" :for \"3m\"]",
      "[\"slow-image\" \"httpd:2.4\" :delay \"1m\" :for \"10m\"]", "[\"delete-node\" :mode \"one\"]",
    ]
    lines.append(
      "(chaos :faults [\(faults.joined(separator: " "))] :every \"\(2 + draw.below(4))m\" :for \"1h\" :seed \(seed))"
    )
    lines.append("(timeline)")
    return lines.joined(separator: "\n")
  }

  @Test func aHundredRandomScenariosRunTwiceGiveTheSameEventLog() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let script = try folder.write(
      "scenarios.kelp", (UInt64(1)...100).map(DeterminismTests.scenario).joined(separator: "\n\n"))
    let first = try runKelp(["run", script], timeout: 300)
    let second = try runKelp(["run", script], timeout: 300)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(first.stdout == second.stdout)
    // Every scenario told a story, with faults in it: no two empty logs that trivially agree.
    #expect(first.stdout.components(separatedBy: "  FAULT  ").count > 100 * 10)
    #expect(first.stdout.utf8.count > 100 * 10_000)
  }
}
