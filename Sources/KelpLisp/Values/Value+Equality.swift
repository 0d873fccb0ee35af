/// `equal?`: structural equality. Numbers compare by kind and value (`(equal? 1 1.0)` is #f, as
/// in Scheme; `=` compares numerically), strings by content, symbols and keywords by name,
/// lists, vectors and maps element-wise (maps ignore insertion order), procedures by identity.
extension Value: Hashable {
  public static func == (lhs: Value, rhs: Value) -> Bool { lhs.isEqual(to: rhs) }

  public func isEqual(to other: Value) -> Bool {
    switch (self, other) {
    case (.pair, .pair), (.vector, .vector), (.map, .map): return Value.deepEqual(self, other)
    default: return Value.shallowEqual(self, other)
    }
  }

  /// Equality of atoms (and identity of procedures and errors); false for containers.
  private static func shallowEqual(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.null, .null), (.void, .void), (.unbound, .unbound), (.tailCall, .tailCall):
      return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.string(let x), .string(let y)): return x === y || x.value == y.value
    case (.symbol(let x), .symbol(let y)), (.keyword(let x), .keyword(let y)): return x === y
    case (.closure(let x), .closure(let y)): return x === y
    case (.builtin(let x), .builtin(let y)): return x === y
    case (.error(let x), .error(let y)): return x === y
    default: return false
    }
  }

  /// Structural equality with an explicit work list, so nesting depth costs heap, not stack.
  private static func deepEqual(_ a: Value, _ b: Value) -> Bool {
    var pending: [(Value, Value)] = [(a, b)]
    while let (x, y) = pending.popLast() {
      switch (x, y) {
      case (.pair(let p), .pair(let q)):
        if p === q { continue }
        pending.append((p.cdr, q.cdr))
        pending.append((p.car, q.car))
      case (.vector(let v), .vector(let w)):
        if v === w { continue }
        guard v.items.count == w.items.count else { return false }
        for index in v.items.indices.reversed() { pending.append((v.items[index], w.items[index])) }
      case (.map(let m), .map(let n)):
        if m === n { continue }
        guard m.count == n.count else { return false }
        for (key, entry) in m.entries {
          guard let counterpart = n.entries[key] else { return false }
          pending.append((entry.value, counterpart.value))
        }
      default:
        if !shallowEqual(x, y) { return false }
      }
    }
    return true
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

  public func hash(into hasher: inout Hasher) { hash(into: &hasher, depth: 0) }

  /// Hashes at most a few levels deep and a few elements wide: equal values still hash equally
  /// (they agree on every prefix), and a huge or deeply nested key stays cheap and stack-safe.
  private func hash(into hasher: inout Hasher, depth: Int) {
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
      hasher.combine(4)
      guard depth < 4 else { return }
      var count = 0
      var rest = self
      while case .pair(let cell) = rest, count < 16 {
        cell.car.hash(into: &hasher, depth: depth + 1)
        rest = cell.cdr
        count += 1
      }
    case .vector(let v):
      hasher.combine(v.items.count)
      guard depth < 4 else { return }
      for item in v.items.prefix(16) { item.hash(into: &hasher, depth: depth + 1) }
    case .map(let m):
      hasher.combine(m.count)
      guard depth < 4 else { return }
      // Order-independent: equal maps may have been built in different orders.
      var sum = 0
      for (key, entry) in m.entries {
        var inner = Hasher()
        key.hash(into: &inner, depth: depth + 1)
        entry.value.hash(into: &inner, depth: depth + 1)
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
