/// The cluster's Events. A repeat of the same reason and message from the same source about the
/// same object bumps the count and last timestamp of the existing Event, as client-go's event
/// correlator does, so a crash loop is one `BackOff` event with a growing count.
public final class EventRecorder {
  public private(set) var events: [Event] = []
  /// Every occurrence in order, repeats included: when, and which Event (an index into
  /// `events`). The timeline tells the run's story from it.
  public private(set) var occurrences: [(time: Millis, event: Int)] = []
  /// Where the Event of each object, reason, source, type and message is. (Comparing messages
  /// along a list was cheaper for a few repeats, but a CronJob's hundreds of distinct
  /// `Created job …` made it quadratic.)
  private var index: [Signature: Int] = [:]
  private var sequence: UInt64 = 0
  private let clock: VirtualClock
  private let identities: IdentitySource

  struct Signature: Hashable {
    let uid: String
    let reason: String
    let source: String
    let type: String
    let message: String
  }

  init(clock: VirtualClock, identities: IdentitySource) {
    self.clock = clock
    self.identities = identities
  }

  public func record<T: APIObject>(
    _ object: T, _ type: String, _ reason: String, _ message: String, source: String,
    host: String = "", fieldPath: String = ""
  ) {
    record(
      kind: T.resource.kind, name: object.metadata.name, namespace: object.metadata.namespace,
      uid: object.metadata.uid, type, reason, message, source: source, host: host,
      fieldPath: fieldPath)
  }

  public func record(
    kind: String, name: String, namespace: String, uid: String, _ type: String, _ reason: String,
    _ message: String, source: String, host: String = "", fieldPath: String = ""
  ) {
    let signature = Signature(
      uid: uid, reason: reason, source: source, type: type, message: message)
    let now = clock.now
    if let position = index[signature] {
      events[position].count += 1
      events[position].lastTimestamp = now
      occurrences.append((now, position))
      return
    }
    let eventNamespace = namespace.isEmpty ? "default" : namespace
    // Named as client-go names events: the object's name and the time in hex nanoseconds, so
    // the API's name order groups an object's events oldest first.
    sequence += 1
    let nanos =
      UInt64(Timestamp.epochUnixSeconds) * 1_000_000_000 + UInt64(now) * 1_000_000 + sequence
      % 1_000_000
    var metadata = ObjectMeta(
      name: "\(name).\(hexDigits(nanos, width: 16))", namespace: eventNamespace)
    metadata.creationTimestamp = now
    // Events are many and their uids are rarely read: derived from the name, not drawn.
    metadata.uid = EventRecorder.uid(from: metadata.name)
    events.append(
      Event(
        metadata: metadata, involvedKind: kind, involvedName: name, involvedNamespace: namespace,
        involvedUID: uid, reason: reason, message: message, type: type, source: source,
        sourceHost: host, firstTimestamp: now, lastTimestamp: now, fieldPath: fieldPath))
    index[signature] = events.count - 1
    occurrences.append((now, events.count - 1))
  }

  static func uid(from name: String) -> String {
    uuidText(high: name.hashValueStable, low: (name + "/").hashValueStable)
  }

  /// Every Event ordered by its last occurrence (then by its first), as `kubectl get events`
  /// and `(events)` show them.
  public var byLastSeen: [Event] {
    events.enumerated().sorted {
      ($0.element.lastTimestamp, $0.offset) < ($1.element.lastTimestamp, $1.offset)
    }.map(\.element)
  }

  /// Events about one object, oldest first.
  public func events(about uid: String) -> [Event] { events.filter { $0.involvedUID == uid } }

}

/// A version-4 UUID's text form from 128 bits.
func uuidText(high: UInt64, low: UInt64) -> String {
  let a = hexDigits(high >> 32, width: 8)
  let b = hexDigits((high >> 16) & 0xFFFF, width: 4)
  let c = hexDigits((high & 0x0FFF) | 0x4000, width: 4)
  let d = hexDigits(((low >> 48) & 0x3FFF) | 0x8000, width: 4)
  let e = hexDigits(low & 0xFFFF_FFFF_FFFF, width: 12)
  return "\(a)-\(b)-\(c)-\(d)-\(e)"
}

/// Lowercase hex, zero-padded to `width` digits.
func hexDigits(_ value: UInt64, width: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
