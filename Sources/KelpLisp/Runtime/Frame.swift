/// The local variables of one procedure call, addressed by slot. One allocation holds the header
/// and the slots (a `ManagedBuffer`); closures keep their defining frame alive through `parent`.
final class Frame: ManagedBuffer<Frame.Header, Value> {
  struct Header {
    /// Changes only when the machine recycles the frame for another call (`FramePool`).
    var parent: Frame?
    let count: Int
    /// Set once a closure holds this frame as its environment: from then on the frame may outlive
    /// the call, so a tail call must not reuse it.
    var captured = false
  }

  @inline(__always)
  static func make(parent: Frame?, count: Int) -> Frame {
    let buffer = Frame.create(minimumCapacity: count) { _ in Header(parent: parent, count: count) }
    let frame = unsafeDowncast(buffer, to: Frame.self)
    frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: .null, count: count) }
    return frame
  }

  deinit {
    // Overwriting each slot with `.null` (which owns nothing) releases what it held through the
    // specialized code for `Value`; `deinitialize(count:)` would go through the runtime's generic
    // value witnesses, a function call per slot. A slot holding `.null` needs no deinitializing.
    withUnsafeMutablePointers { header, slots in
      for index in 0..<header.pointee.count { slots[index] = .null }
    }
  }

  @inline(__always) var parent: Frame? { header.parent }

  @inline(__always) var count: Int { header.count }

  /// Empties the frame for reuse by another call: releases what the slots and the parent held.
  @inline(__always)
  func clear() {
    withUnsafeMutablePointers { header, slots in
      for index in 0..<header.pointee.count { slots[index] = .null }
      header.pointee.parent = nil
      header.pointee.captured = false
    }
  }

  @inline(__always)
  func reset(parent: Frame?) { header.parent = parent }

  @inline(__always) var captured: Bool {
    get { header.captured }
    set { header.captured = newValue }
  }

  @inline(__always)
  subscript(slot: Int) -> Value {
    get { withUnsafeMutablePointerToElements { $0[slot] } }
    set { withUnsafeMutablePointerToElements { $0[slot] = newValue } }
  }

  /// The frame `depth` lexical levels out.
  @inline(__always)
  func ancestor(_ depth: Int) -> Frame {
    var frame = self
    for _ in 0..<depth { frame = frame.parent.unsafelyUnwrapped }
    return frame
  }
}
