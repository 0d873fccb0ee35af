import KelpCluster
import KelpLisp

/// Seeded chaos: `(chaos :faults [...] :every "5m" :for "6h" :seed 7)` injects a random fault
/// from the list at every interval and checks every `(invariant "name" EXPR)` after each
/// instant at which something happened. A violation reports the seed, the virtual time, the
/// faults so far and a command that replays exactly that run.
extension ClusterSession {
  /// An invariant: its name, a procedure that evaluates it, and the expression for reports.
  struct Invariant {
    var name: String
    var check: Value
    var expression: Value
  }

  static let chaosMacros = """
    (define-macro (invariant name expr)
      "Declares what must hold while chaos runs: EXPR is checked after every event; a false value stops the run with a report and a replay command."
      `(invariant* ,name (lambda () ,expr) ',expr))
    """

  func chaosBuiltins() -> [Builtin] {
    [
      Builtin(
        "invariant*", "(invariant \"name\" EXPR)",
        "Declares an invariant checked while chaos runs (use the invariant macro). A new one of the same name replaces the old.",
        arity: 3...3
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "invariant", "name")
        let invariant = Invariant(name: name, check: args[1], expression: args[2])
        if let index = self.invariants.firstIndex(where: { $0.name == name }) {
          self.invariants[index] = invariant
        } else {
          self.invariants.append(invariant)
        }
        return .void
      },
      Builtin(
        "fault-history", "(fault-history)",
        "The faults injected so far, oldest first: maps of :time (virtual seconds) and :fault (what was done, as the timeline shows it).",
        arity: 0...0
      ) { _ throws(LispError) in
        Value.list(
          self.cluster.faultHistory.map { record in
            .map(
              MapBox([
                (.keyword("time"), record.time.secondsValue), (.keyword("fault"), Value(record.text)),
              ]))
          })
      },
      Builtin(
        "chaos", "(chaos :faults [\"kill-pod\" [\"fail-node\" :for \"3m\"]] :every \"5m\" :for \"6h\" :seed 7)",
        "Runs the virtual clock for :for, injecting a fault picked at random from :faults every :every (a fault is a name, or a list of a name and its options; without a target one is picked at random), and checks the invariants after every event. Returns {:seed :faults :checks}; on a violation fails with the seed, the time, the faults so far and a replay command.",
        arity: 2...8
      ) { args throws(LispError) in
        try self.chaos(args)
      },
    ]
  }

  private func chaos(_ args: [Value]) throws(LispError) -> Value {
    let options = try Arguments.keywords(
      args[...], "chaos", allowed: ["faults", "every", "for", "seed"])
    guard let listed = options["faults"] else {
      throw LispError(
        .value, "chaos: which faults?", hint: "(chaos :faults [\"kill-pod\" \"fail-node\"] :for \"1h\")")
    }
    let faults = try Arguments.sequence(listed, "chaos").map { fault throws(LispError) in
      try chaosFault(fault)
    }
    guard !faults.isEmpty else { throw LispError(.value, "chaos: :faults is empty") }
    let every = try options["every"]?.milliseconds("chaos", ":every") ?? 300_000
    guard every > 0 else { throw LispError(.value, "chaos: :every must be longer than 0s") }
    let duration = try options["for"]?.milliseconds("chaos", ":for") ?? 3_600_000
    let cluster = self.cluster
    // Drawn whatever the seed ends up being, so that the cluster's own randomness (pod names,
    // tie-breaks) is the same in a replay with --chaos-seed as in the run it replays.
    let drawn = cluster.randomIndex(below: 1_000_000)
    let given = try ClusterSession.int(options["seed"], "chaos", "seed")
    let seed = chaosSeedOverride ?? given ?? drawn
    let random = ChaosRandom(seed: UInt64(truncatingIfNeeded: seed))
    let start = cluster.now
    let end = start + duration
    let firstFault = cluster.faultHistory.count
    var nextFault = start
    var checks = 0
    while true {
      try interpreter.checkInterrupt()
      try checkInvariants(seed: seed, since: firstFault)
      checks += 1
      guard cluster.now < end else { break }
      if cluster.now >= nextFault {
        let (kind, faultArgs) = faults[random.next(below: faults.count)]
        do throws(LispError) {
          try inject(kind, faultArgs[...], chooser: random)
        } catch {
          if error.kind == .interrupted || error.kind == .limit { throw error }
          cluster.noteFault("\(kind.name): not done: \(error.message)")
        }
        nextFault += every
        continue
      }
      let next = min(cluster.clock.nextDueTime ?? end, nextFault, end)
      try advance(to: max(next, cluster.now))
    }
    let injected = cluster.faultHistory[firstFault...].map {
      Value("\(DurationText.goString($0.time)) \($0.text)")
    }
    return .map(
      MapBox([
        (.keyword("seed"), .int(seed)), (.keyword("faults"), Value.list(injected)),
        (.keyword("checks"), .int(checks)),
      ]))
  }

  /// A `:faults` entry: a fault's name alone (a random target), or a list of its name and
  /// its options.
  private func chaosFault(_ entry: Value) throws(LispError) -> (FaultKind, [Value]) {
    var items: [Value]
    switch entry {
    case .pair, .vector: items = try Arguments.sequence(entry, "chaos")
    default: items = [entry]
    }
    guard let head = items.first else { throw LispError(.value, "chaos: an empty fault in :faults") }
    let name: String
    switch head {
    case .keyword(let symbol), .symbol(let symbol): name = symbol.name
    default: name = try Arguments.string(head, "chaos", "fault")
    }
    let kinds = faultKinds
    guard let kind = kinds.first(where: { $0.name == name }) else {
      throw LispError(
        .value, "chaos: unknown fault \"\(name)\"",
        hint: Suggestions.closest(to: name, among: kinds.map(\.name)).map { "did you mean \"\($0)\"?" }
          ?? "faults are " + kinds.map(\.name).joined(separator: ", "))
    }
    var args = Array(items.dropFirst())
    let named = args.first.map { if case .string = $0 { true } else { false } } ?? false
    if !named && !args.contains(.keyword(Symbol.intern("selector"))) {
      if kind.target == .image {
        throw LispError(
          .value, "chaos: \(name) needs an image", hint: "[\"\(name)\" \"nginx:1.25\"]")
      }
      args += [.keyword(Symbol.intern("selector")), Value("")]
    }
    return (kind, args)
  }

  /// Checks every invariant (and the cluster's own bookkeeping); a violation is the report.
  private func checkInvariants(seed: Int, since firstFault: Int) throws(LispError) {
    do throws(Cluster.InvariantViolation) {
      try cluster.checkInvariants()
    } catch {
      throw chaosReport("Kelp's own bookkeeping", "\(error)", seed: seed, since: firstFault)
    }
    for invariant in invariants {
      let value = try interpreter.call(invariant.check, [])
      if !value.isTruthy {
        throw chaosReport(
          invariant.name, "\(invariant.expression.written) was \(value.written)", seed: seed,
          since: firstFault)
      }
    }
  }

  private func chaosReport(_ name: String, _ what: String, seed: Int, since firstFault: Int)
    -> LispError
  {
    let cluster = self.cluster
    let faults = cluster.faultHistory[firstFault...].map {
      "  \(DurationText.goString($0.time))  \($0.text)"
    }
    var text = "invariant \"\(name)\" broke at \(DurationText.goString(cluster.now)) "
    text += "(chaos seed \(seed))\n  \(what)\n"
    text += "faults so far:\n" + (faults.isEmpty ? "  none\n" : faults.joined(separator: "\n") + "\n")
    text += "replay: \(replayCommand(seed: seed))"
    return report("chaos", text, cluster)
  }

  /// The one line that runs exactly this chaos again.
  func replayCommand(seed: Int) -> String {
    func quoted(_ text: String) -> String {
      "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    if let test = currentTest {
      return "kelp test \(quoted(test.file)) --filter \(quoted(test.name)) --chaos-seed \(seed)"
    }
    if let file = interpreter.currentFile, !file.hasPrefix("<") {
      return "kelp run \(quoted(file)) --chaos-seed \(seed)"
    }
    return "the same (chaos ...) with :seed \(seed)"
  }
}

/// The chaos run's own randomness, apart from the cluster's: which fault comes next and which
/// targets it hits depend on the chaos seed alone.
final class ChaosRandom {
  private var generator: SeededRandom

  init(seed: UInt64) { generator = SeededRandom(seed: seed) }

  func next(below bound: Int) -> Int {
    bound > 0 ? Int(generator.next() % UInt64(bound)) : 0
  }
}
