import HashTreeCollections

/// An immutable map. Keys are any value (compared with `equal?`); iteration and printing follow
/// insertion order: `assoc` of a new key appends it, `assoc` of a present key keeps its place.
/// Backed by a persistent hash trie, so `assoc` on a large map shares structure instead of
/// copying it.
///
/// Building a large map key by key goes faster through a transient (Clojure's idea): `transient`
/// makes a private mutable copy, `assoc!` changes it in place, `persistent!` freezes it again.
public final class MapBox: @unchecked Sendable {
  struct Entry {
    var value: Value
    var order: Int
  }

  private(set) var entries: TreeDictionary<Value, Entry>
  private(set) var nextOrder: Int
  /// Only a transient map may change, and only through `insertInPlace`/`removeInPlace`.
  public private(set) var isTransient = false
  /// Entries in insertion order, computed on first use: maps never change once built.
  private var orderedCache: [(key: Value, value: Value)]?

  init(entries: TreeDictionary<Value, Entry>, nextOrder: Int) {
    self.entries = entries
    self.nextOrder = nextOrder
  }

  public static let empty = MapBox(entries: [:], nextOrder: 0)

  public convenience init(_ pairs: [(Value, Value)]) {
    var entries = TreeDictionary<Value, Entry>()
    var order = 0
    for (key, value) in pairs {
      if entries[key] != nil {
        entries[key]!.value = value
      } else {
        entries[key] = Entry(value: value, order: order)
        order += 1
      }
    }
    self.init(entries: entries, nextOrder: order)
  }

  public var count: Int { entries.count }

  public func get(_ key: Value) -> Value? { entries[key]?.value }

  public func assoc(_ key: Value, _ value: Value) -> MapBox {
    var copy = entries
    if let existing = copy[key] {
      copy[key] = Entry(value: value, order: existing.order)
      return MapBox(entries: copy, nextOrder: nextOrder)
    }
    copy[key] = Entry(value: value, order: nextOrder)
    return MapBox(entries: copy, nextOrder: nextOrder + 1)
  }

  public func dissoc(_ key: Value) -> MapBox {
    guard entries[key] != nil else { return self }
    var copy = entries
    copy[key] = nil
    return MapBox(entries: copy, nextOrder: nextOrder)
  }

  /// A mutable copy that shares this map's storage until its first change.
  public func transient() -> MapBox {
    let copy = MapBox(entries: entries, nextOrder: nextOrder)
    copy.isTransient = true
    return copy
  }

  public func makePersistent() { isTransient = false }

  public func insertInPlace(_ key: Value, _ value: Value) {
    precondition(isTransient, "only a transient map changes in place")
    orderedCache = nil
    // One lookup for a new key; a present key keeps its place, so put its order back.
    if let existing = entries.updateValue(Entry(value: value, order: nextOrder), forKey: key) {
      entries[key] = Entry(value: value, order: existing.order)
    } else {
      nextOrder += 1
    }
  }

  public func removeInPlace(_ key: Value) {
    precondition(isTransient, "only a transient map changes in place")
    orderedCache = nil
    entries[key] = nil
  }

  /// Key/value pairs in insertion order.
  public var ordered: [(key: Value, value: Value)] {
    if let cached = orderedCache { return cached }
    let result = entries.sorted { $0.value.order < $1.value.order }.map {
      (key: $0.key, value: $0.value.value)
    }
    orderedCache = result
    return result
  }
}
