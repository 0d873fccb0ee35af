import KelpCluster
import KelpLisp

/// Assertions over time and shape: `eventually`, `always` and `never` run the virtual clock
/// event by event and check their expression after each; `expect-match` compares an object with
/// a partial pattern; `expect-error` wants an error. The first four are macros over procedures
/// (`eventually*` …) so that the expression is evaluated again at every check.
extension ClusterSession {
  static let assertionMacros = """
    (define-macro (eventually expr . options)
      "Runs the virtual clock event by event until EXPR is true and returns it; fails after :within (default 5m) with the expression, its last value, the time and the latest events."
      `(eventually* (lambda () ,expr) ',expr ,@options))
    (define-macro (always expr . options)
      "Runs the virtual clock event by event for :for (default 1m); fails at the first event after which EXPR is false."
      `(always* (lambda () ,expr) ',expr ,@options))
    (define-macro (never expr . options)
      "Runs the virtual clock event by event for :for (default 1m); fails at the first event after which EXPR is true."
      `(never* (lambda () ,expr) ',expr ,@options))
    (define-macro (expect-error expr text)
      "Wants EXPR to fail with a message containing TEXT, and returns the message; fails otherwise."
      `(expect-error* (lambda () ,expr) ',expr ,text))
    """

  func assertionBuiltins() -> [Builtin] {
    [
      Builtin(
        "eventually*", "(eventually EXPR :within \"5m\")",
        "Runs the virtual clock event by event until EXPR is true (returning its value), or fails after :within (default 5m) with what it last saw, the time, and the latest events. Use the eventually macro.",
        arity: 2...4
      ) { args throws(LispError) in
        let options = try Arguments.keywords(args[2...], "eventually", allowed: ["within"])
        let within = try options["within"]?.milliseconds("eventually", ":within") ?? 300_000
        return try self.watch(args[0], args[1], for: within, until: true, "eventually")
      },
      Builtin(
        "always*", "(always EXPR :for \"10m\")",
        "Runs the virtual clock event by event for :for (default 1m) and fails at the first event after which EXPR is false. (never EXPR ...) is (always (not EXPR) ...). Use the always and never macros.",
        arity: 2...4
      ) { args throws(LispError) in
        let options = try Arguments.keywords(args[2...], "always", allowed: ["for"])
        let duration = try options["for"]?.milliseconds("always", ":for") ?? 60_000
        return try self.watch(args[0], args[1], for: duration, until: false, "always")
      },
      Builtin(
        "never*", "(never EXPR :for \"10m\")",
        "Runs the virtual clock event by event for :for (default 1m) and fails at the first event after which EXPR is true. Use the never macro.",
        arity: 2...4
      ) { args throws(LispError) in
        let options = try Arguments.keywords(args[2...], "never", allowed: ["for"])
        let duration = try options["for"]?.milliseconds("never", ":for") ?? 60_000
        return try self.watch(args[0], args[1], for: duration, until: false, "never")
      },
      Builtin(
        "expect-match", "(expect-match (get-object \"Pod\" \"web\") {:status {:phase \"Running\"}})",
        "True when OBJECT has every key of PATTERN with a matching value (maps partly, lists in any order, other values equal); otherwise fails naming the first difference and its path.",
        arity: 2...2
      ) { args throws(LispError) in
        if let difference = ClusterSession.mismatch(args[0], args[1], path: []) {
          throw LispError(.assertion, "expect-match: \(difference)")
        }
        return .bool(true)
      },
      Builtin(
        "matches?", "(matches? (get-object \"Node\" \"node-1\") {:status {:conditions [{:type \"Ready\" :status \"True\"}]}})",
        "Whether OBJECT matches PATTERN as expect-match compares them (maps partly, lists in any order): a predicate for eventually, always and never.",
        arity: 2...2
      ) { args throws(LispError) in
        .bool(ClusterSession.mismatch(args[0], args[1], path: []) == nil)
      },
      Builtin(
        "expect-error*", "(expect-error EXPR \"substring\")",
        "Evaluates EXPR and wants it to fail with a message containing the text; returns the message. Use the expect-error macro.",
        arity: 3...3
      ) { args throws(LispError) in
        let text = try Arguments.string(args[2], "expect-error", "text")
        let value: Value
        do throws(LispError) {
          value = try self.interpreter.call(args[0], [])
        } catch {
          if error.kind == .interrupted || error.kind == .limit { throw error }
          guard error.message.contains(text) else {
            throw LispError(
              .assertion,
              "expect-error: \(args[1].written) failed with \"\(error.message)\", which does not contain \"\(text)\"")
          }
          return Value(error.message)
        }
        throw LispError(
          .assertion,
          "expect-error: \(args[1].written) returned \(value.written) instead of failing with \"\(text)\"")
      },
    ]
  }

  /// Checks `thunk` now and after every event for `duration`: `until` true stops at the first
  /// true value (eventually); false fails at the first false one (always).
  private func watch(
    _ thunk: Value, _ expression: Value, for duration: Millis, until: Bool, _ name: String
  ) throws(LispError) -> Value {
    let cluster = self.cluster
    let start = cluster.now
    let deadline = start + duration
    var last: Value = .null
    while true {
      try interpreter.checkInterrupt()
      last = try interpreter.call(thunk, [])
      // `never` fails on a true value, `always` on a false one.
      let holds = name == "never" ? !last.isTruthy : last.isTruthy
      if until && holds { return last }
      if !until && !holds {
        throw report(
          name, "\(expression.written) became \(last.written) at \(time(cluster.now)) "
            + "(\(time(cluster.now - start)) into its \(time(duration)))",
          cluster, about: [expression, last])
      }
      guard cluster.now < deadline else { break }
      // The next event, or the deadline when nothing is due before it.
      let next = min(cluster.clock.nextDueTime ?? deadline, deadline)
      try advance(to: max(next, cluster.now))
    }
    if !until { return .bool(true) }
    if last.isTruthy { return last }
    throw report(
      name, "\(expression.written) was still \(last.written) after \(time(duration)) "
        + "(at \(time(cluster.now)) of virtual time)", cluster, about: [expression, last])
  }

  /// Virtual times in reports, exactly (`11m30s`), where kubectl's ages round.
  private func time(_ millis: Millis) -> String { DurationText.goString(millis) }

  /// A failed assertion: what it checked and saw, and the latest events of the objects it is
  /// about (those its expression or last value names), or of the cluster when it names none.
  func report(_ name: String, _ what: String, _ cluster: Cluster, about: [Value] = [])
    -> LispError
  {
    let names = Set(about.flatMap(ClusterSession.objectNames))
    let involved = cluster.recorder.byLastSeen.filter { event in
      names.contains(event.involvedName)
        || names.contains { event.involvedName.hasPrefix($0 + "-") }
    }
    let chosen = names.isEmpty || involved.isEmpty ? cluster.recorder.byLastSeen : involved
    let recent = chosen.suffix(5).map {
      "  \(time($0.lastTimestamp))  \($0.type)  \($0.reason)  "
        + "\($0.involvedKind.lowercased())/\($0.involvedName)  \($0.message)"
    }
    // Name only the objects the events are about.
    let matched = names.filter { name in
      involved.contains { $0.involvedName == name || $0.involvedName.hasPrefix(name + "-") }
    }
    let heading =
      chosen.count == cluster.recorder.byLastSeen.count || involved.isEmpty
      ? "latest events:" : "latest events of " + matched.sorted().joined(separator: ", ") + ":"
    let events = recent.isEmpty ? "" : "\n\(heading)\n" + recent.joined(separator: "\n")
    return LispError(.assertion, "\(name): \(what)\(events)")
  }

  /// Names an expression or a value mentions: its strings (the value side of `app=web`), and a
  /// map's :name or [:metadata :name].
  static func objectNames(_ value: Value) -> [String] {
    switch value {
    case .string(let box):
      let text = box.value
      if let equals = text.firstIndex(of: "="), !text.contains(",") {
        return [String(text[text.index(after: equals)...])].filter { !$0.isEmpty }
      }
      return text.isEmpty || text.contains(" ") || text.count > 253 ? [] : [text]
    case .pair, .vector:
      return (sequenceOrNil(value) ?? []).flatMap(objectNames)
    case .map(let map):
      if case .string(let name)? = map.get(.keyword("name")) { return [name.value] }
      if case .map(let metadata)? = map.get(.keyword("metadata")),
        case .string(let name)? = metadata.get(.keyword("name"))
      {
        return [name.value]
      }
      return []
    default:
      return []
    }
  }

  /// The first place where `value` does not match `pattern`, or nil.
  static func mismatch(_ value: Value, _ pattern: Value, path: [String]) -> String? {
    let at = path.isEmpty ? "" : "at [" + path.joined(separator: " ") + "]: "
    switch pattern {
    case .map(let expected):
      guard case .map(let actual) = value else {
        return "\(at)expected a map, got \(value.written)"
      }
      for (key, wanted) in expected.ordered {
        guard let found = actual.get(key) else { return "\(at)missing \(key.written)" }
        if let difference = mismatch(found, wanted, path: path + [key.written]) {
          return difference
        }
      }
      return nil
    case .pair, .vector:
      let wanted = sequence(pattern)
      guard let items = sequenceOrNil(value) else {
        return "\(at)expected a list, got \(value.written)"
      }
      // Unordered: each wanted element takes a distinct matching element.
      var remaining = items
      for element in wanted {
        guard let index = remaining.firstIndex(where: { mismatch($0, element, path: []) == nil })
        else {
          return "\(at)no element matches \(element.written) in \(value.written)"
        }
        remaining.remove(at: index)
      }
      return nil
    default:
      return value == pattern ? nil : "\(at)expected \(pattern.written), got \(value.written)"
    }
  }

  private static func sequence(_ value: Value) -> [Value] { sequenceOrNil(value) ?? [] }

  /// A list's or vector's items; nil for anything else (an improper list included).
  private static func sequenceOrNil(_ value: Value) -> [Value]? {
    try? Arguments.sequence(value, "expect-match")
  }
}
