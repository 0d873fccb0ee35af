/// The lexical variables visible while compiling one procedure body (or one top-level form).
/// Every variable gets its own slot in the frame: `let` blocks add slots to the enclosing
/// procedure's frame rather than making frames of their own, and slots are never reused, because
/// a closure made inside a block may still read its slot after the block ends.
final class Scope {
  struct Binding {
    let symbol: Symbol
    let slot: Int
    /// Bound by `letrec` or an internal `define`: may be read before it has a value.
    let checked: Bool
    /// Made by scanning a body for `define`s: `define` of this name sets the slot.
    let internalDefine: Bool
  }

  let parent: Scope?
  /// The scope of a top-level form: `define` outside any body here defines a global.
  let isToplevel: Bool
  /// Names this procedure body for the life of the process (0 for top-level forms), so a call in
  /// tail position can recognize a call of its own procedure and reuse the frame.
  let id: Int
  private(set) var bindings: [Binding] = []
  private(set) var size = 0

  init(parent: Scope?, isToplevel: Bool = false) {
    self.parent = parent
    self.isToplevel = isToplevel
    self.id = isToplevel ? 0 : Scope.nextID.increment()
  }

  private static let nextID = Counter()

  private final class Counter: @unchecked Sendable {
    private let lock = NSLockLike()
    private var value = 0
    func increment() -> Int {
      lock.withLock {
        value += 1
        return value
      }
    }
  }

  @discardableResult
  func add(_ symbol: Symbol, checked: Bool = false, internalDefine: Bool = false) -> Int {
    let slot = size
    size += 1
    bindings.append(
      Binding(symbol: symbol, slot: slot, checked: checked, internalDefine: internalDefine))
    return slot
  }

  /// Marks the end of a block: its names go out of sight, their slots stay.
  var mark: Int { bindings.count }
  func pop(to mark: Int) { bindings.removeSubrange(mark...) }

  func lookupHere(_ symbol: Symbol) -> Binding? {
    bindings.last { $0.symbol === symbol }
  }

  /// (frames out, binding), or nil for a global.
  func resolve(_ symbol: Symbol) -> (depth: Int, binding: Binding)? {
    var scope: Scope? = self
    var depth = 0
    while let current = scope {
      if let binding = current.lookupHere(symbol) {
        markParentsNeeded(depth)
        return (depth, binding)
      }
      depth += 1
      scope = current.parent
    }
    return nil
  }

  /// True once code in this body (or a procedure inside it) reads a variable of an enclosing
  /// body: only then do its frames need a link to the frame they were created in. A procedure
  /// that uses only its own locals and globals (most top-level procedures) skips keeping that
  /// link alive on every call.
  private(set) var needsParent = false

  private func markParentsNeeded(_ depth: Int) {
    var scope: Scope? = self
    for _ in 0..<depth {
      scope?.needsParent = true
      scope = scope?.parent
    }
  }

}

/// A global variable. Compiled code holds the cell itself, so reading a global is one load.
final class GlobalCell {
  let symbol: Symbol
  var value: Value = .unbound {
    didSet { generation &+= 1 }
  }
  /// Changes whenever `value` does: call sites compiled against a builtin check it (an integer
  /// compare, no reference counting) before using their inlined version of that builtin.
  private(set) var generation = 0
  init(_ symbol: Symbol) { self.symbol = symbol }
}

extension Symbol: Hashable {
  public static func == (lhs: Symbol, rhs: Symbol) -> Bool { lhs === rhs }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
