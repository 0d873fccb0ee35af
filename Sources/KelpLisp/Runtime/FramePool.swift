/// Frames of finished calls, kept for the next calls of the same size: a procedure call then costs
/// no allocation. Only a frame nothing else refers to comes back here (see `Machine.recycle`).
struct FramePool {
  /// Frames with more slots than this are left to the allocator.
  static let largestSize = 8
  /// Enough for the calls live at once in ordinary recursion; beyond it frames are freed.
  static let depth = 64

  private var free: [[Frame]] = Array(repeating: [], count: largestSize + 1)

  @inline(__always)
  mutating func take(parent: Frame?, count: Int) -> Frame {
    if count <= FramePool.largestSize, let frame = free[count].popLast() {
      frame.reset(parent: parent)
      return frame
    }
    return Frame.make(parent: parent, count: count)
  }

  @inline(__always)
  mutating func give(_ frame: Frame) {
    let count = frame.count
    guard count <= FramePool.largestSize, free[count].count < FramePool.depth else { return }
    frame.clear()
    free[count].append(frame)
  }
}
