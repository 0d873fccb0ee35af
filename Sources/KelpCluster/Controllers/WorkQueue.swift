/// A controller's de-duplicating work queue: keys added while a pass is pending are reconciled
/// once, in key order, at the current virtual instant (after the write that queued them).
final class WorkQueue {
  private let clock: VirtualClock
  private let reconcile: (ObjectKey) -> Void
  private var pending: Set<ObjectKey> = []
  private var scheduled = false

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
}
