/// A controller's de-duplicating work queue: keys added while a pass is pending are reconciled
/// once, in key order, at the current virtual instant (after the write that queued them).
final class WorkQueue {
  private let clock: VirtualClock
  private let reconcile: (ObjectKey) -> Void
  private var pending: Set<ObjectKey> = []
  private var scheduled = false
  /// Keys waiting for a later instant, so that passes asking for the same wake-up (a deadline,
  /// a back-off, minReadySeconds) put one action on the clock, not one each.
  private var later: Set<Later> = []

  private struct Later: Hashable {
    let key: ObjectKey
    let time: Millis
  }

  init(clock: VirtualClock, reconcile: @escaping (ObjectKey) -> Void) {
    self.clock = clock
    self.reconcile = reconcile
  }

  func add(_ key: ObjectKey) {
    pending.insert(key)
    guard !scheduled else { return }
    scheduled = true
    clock.schedule(at: clock.now) { [self] in
      self.scheduled = false
      let keys = self.pending.sorted()
      self.pending.removeAll()
      for key in keys { self.reconcile(key) }
    }
  }

  /// Queues the key at a later virtual time (upstream `AddAfter`).
  func add(_ key: ObjectKey, at time: Millis) {
    guard time > clock.now else {
      add(key)
      return
    }
    guard later.insert(Later(key: key, time: time)).inserted else { return }
    clock.schedule(at: time) { [self] in
      self.later.remove(Later(key: key, time: time))
      self.add(key)
    }
  }

  /// Upstream's `burstReplicas` and `MaxPodCreateDeletePerSync`: at most this many pods are
  /// created or deleted in one pass; the writes queue the next pass.
  static let burstReplicas = 500

  /// Upstream `slowStartBatch`: creates in batches of 1, 2, 4, … and stops after a batch in
  /// which any creation failed, so a template the API server refuses costs one request, not
  /// hundreds. Returns how many succeeded.
  @discardableResult
  static func slowStartBatch(_ count: Int, _ create: () -> Bool) -> Int {
    var remaining = count
    var batch = 1
    var succeeded = 0
    while remaining > 0 {
      let size = min(batch, remaining)
      var failed = false
      for _ in 0..<size {
        if create() { succeeded += 1 } else { failed = true }
      }
      if failed { break }
      remaining -= size
      batch *= 2
    }
    return succeeded
  }
}
