/// `equal?`: structural equality. Numbers compare by kind and value (`(equal? 1 1.0)` is #f, as
/// in Scheme; `=` compares numerically), strings by content, symbols and keywords by name,
/// lists, vectors and maps element-wise (maps ignore insertion order), procedures by identity.
extension Value: Hashable {
  public static func == (lhs: Value, rhs: Value) -> Bool { lhs.isEqual(to: rhs) }

  public func isEqual(to other: Value) -> Bool {
    switch (self, other) {
    case (.null, .null), (.void, .void), (.unbound, .unbound), (.tailCall, .tailCall):
      return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.string(let a), .string(let b)): return a === b || a.value == b.value
    case (.symbol(let a), .symbol(let b)), (.keyword(let a), .keyword(let b)): return a === b
    case (.pair(var a), .pair(var b)):
      // Walk the spine in a loop so long lists do not recurse.
      while true {
        if a === b { return true }
        guard a.car.isEqual(to: b.car) else { return false }
        switch (a.cdr, b.cdr) {
        case (.pair(let x), .pair(let y)):
          a = x
          b = y
        default:
          return a.cdr.isEqual(to: b.cdr)
        }
      }
    case (.vector(let a), .vector(let b)): return a === b || a.items == b.items
    case (.map(let a), .map(let b)):
      guard a.count == b.count else { return false }
      if a === b { return true }
      for (key, entry) in a.entries {
        guard let other = b.entries[key], other.value.isEqual(to: entry.value) else { return false }
      }
      return true
    case (.closure(let a), .closure(let b)): return a === b
    case (.builtin(let a), .builtin(let b)): return a === b
    case (.error(let a), .error(let b)): return a === b
    default: return false
    }
  }

  /// `eq?`: identity for heap values, value for immediates and interned names.
  public func isIdentical(to other: Value) -> Bool {
    switch (self, other) {
    case (.string(let a), .string(let b)): return a === b
    case (.pair(let a), .pair(let b)): return a === b
    case (.vector(let a), .vector(let b)): return a === b
    case (.map(let a), .map(let b)): return a === b
    default: return isEqual(to: other)
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .int(let i): hasher.combine(i)
    case .double(let d): hasher.combine(d)
    case .string(let s): hasher.combine(s.value)
    case .symbol(let s):
      hasher.combine(1)
      hasher.combine(s.id)
    case .keyword(let s):
      hasher.combine(2)
      hasher.combine(s.id)
    case .pair:
      var count = 0
      var rest = self
      // Hash a bounded prefix: equal lists hash equally, and a huge key stays cheap.
      while case .pair(let cell) = rest, count < 16 {
        cell.car.hash(into: &hasher)
        rest = cell.cdr
        count += 1
      }
    case .vector(let v):
      hasher.combine(v.items.count)
      for item in v.items.prefix(16) { item.hash(into: &hasher) }
    case .map(let m):
      // Order-independent: equal maps may have been built in different orders.
      var sum = 0
      for (key, entry) in m.entries {
        var inner = Hasher()
        inner.combine(key)
        inner.combine(entry.value)
        sum &+= inner.finalize()
      }
      hasher.combine(sum)
    case .closure(let c): hasher.combine(ObjectIdentifier(c))
    case .builtin(let b): hasher.combine(ObjectIdentifier(b))
    case .error(let e): hasher.combine(ObjectIdentifier(e))
    case .void, .unbound, .tailCall: hasher.combine(3)
    }
  }
}
