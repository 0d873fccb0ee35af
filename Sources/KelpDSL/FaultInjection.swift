import KelpCluster
import KelpLisp

/// One kind of fault: what it targets, how it is done and, for a lasting one, undone. Every
/// fault builtin takes the same options, as chaos-mesh users expect: a target by name or by
/// `:selector` with a `:mode` (`one`, `all`, `fixed`, `fixed-percent`, `random-max-percent`,
/// the last three with `:value`), `:at` (a virtual time to inject it at) and `:for` (how long
/// it lasts before it is undone).
struct FaultKind {
  enum Target {
    case node
    case pod
    case image
  }

  let name: String
  let usage: String
  let doc: String
  let target: Target
  /// Keyword options of its own, beside the common ones.
  var keywords: [String] = []
  /// Does it to one target; returns what a call with one target returns.
  let inject: (ClusterSession, FaultCall) throws(LispError) -> Value
  /// Undoes it when `:for` ends; nil for a fault that is over at once.
  var undo: ((ClusterSession, FaultCall) throws(LispError) -> Void)?
  /// `:for` is the fault's own length (a probe failing for a while), not an undo to schedule.
  var takesItsOwnDuration = false

  static let commonKeywords = ["at", "for", "selector", "mode", "value", "namespace"]
}

/// One fault on one target, as the injector hands it to the fault's body.
struct FaultCall {
  var target: String
  var namespace: String
  var options: [String: Value]
  var duration: Millis?
}

extension ClusterSession {
  /// A builtin for a fault kind: parses the common options and injects it.
  func faultBuiltin(_ kind: FaultKind) -> Builtin {
    Builtin(kind.name, kind.usage, kind.doc, arity: 0...25) { args throws(LispError) in
      try self.inject(kind, args[...], chooser: nil)
    }
  }

  /// Injects `kind` as `args` say: now, or at `:at`; on the named target or those the selector
  /// and mode pick (with `chooser`'s randomness, or the cluster's); undone after `:for`.
  @discardableResult
  func inject(
    _ kind: FaultKind, _ args: ArraySlice<Value>, chooser: ChaosRandom?
  ) throws(LispError) -> Value {
    var rest = args
    var name: String?
    if let first = rest.first, case .string = first {
      name = try Arguments.string(first, kind.name, "target")
      rest = rest.dropFirst()
    }
    let options = try Arguments.keywords(
      rest, kind.name, allowed: FaultKind.commonKeywords + kind.keywords)
    let namespace = try ClusterSession.namespace(options, kind.name)
    let duration = try options["for"]?.milliseconds(kind.name, ":for")
    if duration != nil && kind.undo == nil && !kind.takesItsOwnDuration {
      throw LispError(
        .value, "\(kind.name): a \(kind.name) is over at once, so it takes no :for",
        hint: "use :at to choose when it happens")
    }
    let selection = try TargetSelection(options, kind, name: name)
    let call = FaultCall(target: "", namespace: namespace, options: options, duration: duration)
    let at = try options["at"]?.milliseconds(kind.name, ":at")
    if let at, at < cluster.now {
      throw LispError(
        .value,
        "\(kind.name): :at \(DurationText.goString(at)) is in the past (the virtual clock is at \(DurationText.goString(cluster.now)))",
        hint: ":at is a virtual time since the cluster started, as (now) counts it")
    }
    guard let at, at > cluster.now else {
      return try injectNow(kind, selection, call, chooser: chooser)
    }
    let cluster = self.cluster
    let chooserAtStart = chooser
    cluster.clock.schedule(at: at) { [weak self] in
      guard let self, self.cluster === cluster else { return }
      do throws(LispError) {
        _ = try self.injectNow(kind, selection, call, chooser: chooserAtStart)
      } catch {
        cluster.noteFault("\(kind.name) \(selection.text): not done: \(error.message)")
      }
    }
    cluster.noteFault("\(kind.name) \(selection.text) scheduled for \(DurationText.goString(at))")
    return .void
  }

  private func injectNow(
    _ kind: FaultKind, _ selection: TargetSelection, _ call: FaultCall, chooser: ChaosRandom?
  ) throws(LispError) -> Value {
    let cluster = self.cluster
    let targets = try selection.targets(in: cluster, kind, namespace: call.namespace) {
      bound in chooser?.next(below: bound) ?? cluster.randomIndex(below: bound)
    }
    var result: Value = .void
    var outputs: [String] = []
    for target in targets {
      var one = call
      one.target = target
      let lasting = call.duration.map { " for \(DurationText.goString($0))" } ?? ""
      // Noted where it happened: before the events it caused, once it is known to have worked.
      let before = cluster.recorder.occurrences.count
      result = try kind.inject(self, one)
      cluster.noteFault(
        "\(kind.name) \(describe(kind, target, call.namespace))\(lasting)", afterOccurrences: before)
      if case .string(let text) = result { outputs.append(text.value) }
      if let duration = call.duration, let undo = kind.undo {
        cluster.clock.schedule(at: cluster.now + duration) { [weak self] in
          guard let self, self.cluster === cluster else { return }
          cluster.noteFault(
            "end of \(kind.name) \(self.describe(kind, target, call.namespace))")
          do throws(LispError) {
            try undo(self, one)
          } catch {
            cluster.noteFault("end of \(kind.name) \(target): not done: \(error.message)")
          }
        }
      }
    }
    // Picked by a selector: the targets hit (or, for a kubectl verb, what kubectl said).
    if selection.name == nil {
      return outputs.isEmpty ? Value.list(targets.map { Value($0) }) : Value(outputs.joined())
    }
    return result
  }

  private func describe(_ kind: FaultKind, _ target: String, _ namespace: String) -> String {
    kind.target == .pod && namespace != "default" ? "\(namespace)/\(target)" : target
  }
}

/// Which targets a fault call names: one by name, or those a selector and a mode pick.
struct TargetSelection {
  enum Mode: String, CaseIterable {
    case one
    case all
    case fixed
    case fixedPercent = "fixed-percent"
    case randomMaxPercent = "random-max-percent"
  }

  var name: String?
  var selector: LabelSelector?
  var mode: Mode
  var value: Int

  init(_ options: [String: Value], _ kind: FaultKind, name: String?) throws(LispError) {
    self.name = name
    if name != nil && options["selector"] != nil {
      throw LispError(
        .value, "\(kind.name): give a name or a :selector, not both",
        hint: "(\(kind.name) :selector \"app=web\" :mode \"one\") picks among the matches")
    }
    if options["selector"] != nil && kind.target == .image {
      throw LispError(.value, "\(kind.name): images are named, not selected")
    }
    selector = try options["selector"].map { value throws(LispError) in
      try ClusterSession.selector(value, kind.name)
    }
    if name == nil && selector == nil {
      throw LispError(
        .value, "\(kind.name): which \(kind.target == .node ? "node" : kind.target == .pod ? "pod" : "image")?",
        hint: "name it, as in \(kind.usage)"
          + (kind.target == .image ? "" : ", or pick with :selector \"app=web\" :mode \"one\""))
    }
    let modeText = try ClusterSession.string(options["mode"], kind.name, "mode") ?? "one"
    guard let mode = Mode(rawValue: modeText) else {
      throw LispError(
        .value, "\(kind.name): unknown :mode \"\(modeText)\"",
        hint: "modes are " + Mode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
    }
    if name != nil && options["mode"] != nil {
      throw LispError(.value, "\(kind.name): :mode picks among a :selector's matches, not a name")
    }
    self.mode = mode
    let needsValue = mode == .fixed || mode == .fixedPercent || mode == .randomMaxPercent
    let given: Int?
    switch options["value"] {
    case .string(let text)?:
      given = Int(text.value)
      if given == nil {
        throw LispError(.value, "\(kind.name): :value \"\(text.value)\" is not a whole number")
      }
    case let other?: given = try Arguments.int(other, kind.name, "value")
    case nil: given = nil
    }
    if needsValue && given == nil {
      throw LispError(
        .value, "\(kind.name): :mode \"\(mode.rawValue)\" needs a :value",
        hint: mode == .fixed ? ":value 2 picks two targets" : ":value 50 is fifty percent")
    }
    if let given, given < 0 || (mode != .fixed && given > 100) {
      throw LispError(
        .value, "\(kind.name): :value \(given) is out of range"
          + (mode == .fixed ? " (a count, 0 or more)" : " (a percentage, 0 to 100)"))
    }
    value = given ?? 0
  }

  /// How the fault history shows the target.
  var text: String {
    if let name { return name }
    let picked = mode == .one || mode == .all ? mode.rawValue : "\(mode.rawValue) \(value)"
    return "[\(selector?.description ?? "") \(picked)]"
  }

  /// The targets now: the named one (which must exist), or the selector's matches in name
  /// order, narrowed by the mode with `random` (an index below its argument).
  func targets(
    in cluster: Cluster, _ kind: FaultKind, namespace: String, random: (Int) -> Int
  ) throws(LispError) -> [String] {
    if let name { return [name] }
    guard let selector else { return [] }
    var candidates: [String]
    switch kind.target {
    case .node:
      candidates = cluster.store.nodes.list().filter { selector.matches($0.metadata.labels) }
        .map(\.metadata.name)
    case .pod:
      candidates = cluster.store.pods.list(namespace: namespace).filter {
        selector.matches($0.metadata.labels) && $0.status.phase == .running
          && $0.metadata.deletionTimestamp == nil
      }.map(\.metadata.name)
    case .image:
      candidates = []
    }
    candidates.sort()
    // As chaos-mesh refuses an experiment whose selector finds nothing.
    if candidates.isEmpty {
      let what = kind.target == .node ? "node" : "running pod"
      let scope = kind.target == .pod ? " in namespace \(namespace)" : ""
      let shown = selector.description.isEmpty ? "" : " matches \(selector.description)"
      throw LispError(
        .value, "\(kind.name): no \(what)\(shown)\(scope)",
        hint: "check the selector and the namespace; (pods :selector \"…\") lists what it finds")
    }
    let count: Int
    switch mode {
    case .one: count = min(1, candidates.count)
    case .all: count = candidates.count
    case .fixed: count = min(value, candidates.count)
    case .fixedPercent: count = candidates.count * value / 100
    case .randomMaxPercent:
      count = random(candidates.count * value / 100 + 1)
    }
    if count == candidates.count { return candidates }
    // A random subset of `count`, kept in name order.
    var chosen: [String] = []
    var pool = candidates
    for _ in 0..<count { chosen.append(pool.remove(at: random(pool.count))) }
    return chosen.sorted()
  }
}
