import HeapModule

/// The cluster's only clock: a heap of actions ordered by (time, insertion order), like
/// swift-nio's EmbeddedEventLoop. Time moves only when `advance` or `run(until:)` is called, and
/// jumps straight to the next due action, so idle time costs nothing.
public final class VirtualClock {
  public private(set) var now: Millis = 0
  private var queue = Heap<Scheduled>()
  private var sequence: UInt64 = 0
  /// How many actions have run, for benchmarks and runaway checks.
  public private(set) var actionsRun = 0

  struct Scheduled: Comparable {
    let time: Millis
    let sequence: UInt64
    let action: () -> Void
    static func == (a: Scheduled, b: Scheduled) -> Bool {
      a.time == b.time && a.sequence == b.sequence
    }
    static func < (a: Scheduled, b: Scheduled) -> Bool {
      a.time != b.time ? a.time < b.time : a.sequence < b.sequence
    }
  }

  public init() {}

  /// Runs `action` at virtual time `time` (now, if `time` has passed).
  public func schedule(at time: Millis, _ action: @escaping () -> Void) {
    sequence += 1
    queue.insert(Scheduled(time: max(time, now), sequence: sequence, action: action))
  }

  public func schedule(after delay: Millis, _ action: @escaping () -> Void) {
    schedule(at: now + delay, action)
  }

  public var nextDueTime: Millis? { queue.min?.time }

  /// Runs every action due up to and including `time`, in order, then sets the clock to `time`.
  /// `shouldStop` is asked between actions (the REPL's Ctrl-C, a runaway guard).
  public func run(until time: Millis, shouldStop: () -> Bool = { false }) {
    while let next = queue.min, next.time <= time {
      if shouldStop() { return }
      let due = queue.removeMin()
      now = due.time
      actionsRun += 1
      due.action()
    }
    now = max(now, time)
  }

  /// Runs whatever is due now without moving time.
  public func runDue() { run(until: now) }
}
