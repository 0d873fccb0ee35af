/// A Kelp value. Nine bytes of payload and tag, so a `Value` fits two machine words: every
/// heap-allocated kind lives behind a class reference, and the hot kinds (integers, floats,
/// booleans, the empty list) need no allocation at all.
public enum Value: @unchecked Sendable {
  /// `nil`: the empty list, and one of the two false values.
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(StringBox)
  case symbol(Symbol)
  case keyword(Symbol)
  case pair(Pair)
  case vector(VectorBox)
  case map(MapBox)
  case closure(Closure)
  case builtin(Builtin)
  case error(ErrorBox)
  /// The value of expressions that return nothing useful (`(define x 1)`, `(println)`).
  case void
  /// An internal marker: a global that has no value yet. Never seen by programs.
  case unbound
  /// An internal marker returned by a call in tail position: the machine holds the pending call.
  case tailCall

  public static let `true` = Value.bool(true)
  public static let `false` = Value.bool(false)

  /// Only `#f` and `nil` are false.
  @inline(__always)
  public var isTruthy: Bool {
    switch self {
    case .bool(let b): return b
    case .null: return false
    default: return true
    }
  }

  public init(_ string: String) { self = .string(StringBox(string)) }
  public static func symbol(_ name: String) -> Value { .symbol(Symbol.intern(name)) }
  public static func keyword(_ name: String) -> Value { .keyword(Symbol.intern(name)) }

  /// A proper list of the given elements.
  public static func list<S: BidirectionalCollection>(_ items: S, tail: Value = .null) -> Value
  where S.Element == Value {
    var result = tail
    for item in items.reversed() { result = .pair(Pair(item, result)) }
    return result
  }
}

/// An immutable string. Boxed so that `Value` stays two words wide.
public final class StringBox: @unchecked Sendable {
  public let value: String
  public init(_ value: String) { self.value = value }
}

/// An interned name: two symbols (or keywords) with the same name are the same object.
public final class Symbol: @unchecked Sendable {
  public let name: String
  /// Stable within a process; used to order and hash symbols cheaply.
  public let id: Int
  private init(name: String, id: Int) {
    self.name = name
    self.id = id
  }

  private static let table = SymbolTable()

  public static func intern(_ name: String) -> Symbol { table.intern(name) }

  private final class SymbolTable: @unchecked Sendable {
    private var symbols: [String: Symbol] = [:]
    private let lock = NSLockLike()
    func intern(_ name: String) -> Symbol {
      lock.withLock {
        if let found = symbols[name] { return found }
        let symbol = Symbol(name: name, id: symbols.count)
        symbols[name] = symbol
        return symbol
      }
    }
    /// A fresh symbol that no reader can produce twice: uninterned in spirit, interned under a
    /// name that carries a process-wide counter.
    func fresh(prefix: String) -> Symbol {
      lock.withLock {
        var n = symbols.count
        var name = "\(prefix)\(n)"
        while symbols[name] != nil {
          n += 1
          name = "\(prefix)\(n)"
        }
        let symbol = Symbol(name: name, id: symbols.count)
        symbols[name] = symbol
        return symbol
      }
    }
  }

  public static func gensym(_ prefix: String = "g__") -> Symbol { table.fresh(prefix: prefix) }
}

/// A cons cell. `car`/`cdr` are variables only so that releasing a long list can unlink it
/// iteratively (see `deinit`); the language offers no mutation of pairs.
public final class Pair: @unchecked Sendable {
  public var car: Value
  public var cdr: Value
  /// Index into `SourceMap` of where the reader found this list, 0 when unknown. Fits in the
  /// padding after `cdr`, so it costs no memory.
  public var location: Int32 = 0

  @inline(__always)
  public init(_ car: Value, _ cdr: Value) {
    self.car = car
    self.cdr = cdr
  }

  /// Releasing a million-element list must not recurse a million times: unlink the chain here,
  /// one uniquely-owned cell at a time.
  deinit {
    guard Pair.holdsPair(car) || Pair.holdsPair(cdr) else { return }
    var pending: [Pair] = []
    Pair.detach(&car, into: &pending)
    Pair.detach(&cdr, into: &pending)
    while let next = pending.popLast() {
      Pair.detach(&next.car, into: &pending)
      Pair.detach(&next.cdr, into: &pending)
    }
  }

  @inline(__always)
  private static func holdsPair(_ value: Value) -> Bool {
    if case .pair = value { return true }
    return false
  }

  private static func detach(_ value: inout Value, into pending: inout [Pair]) {
    guard case .pair(var cell) = value else { return }
    value = .null
    if isKnownUniquelyReferenced(&cell) { pending.append(cell) }
  }
}

/// An immutable vector.
public final class VectorBox: @unchecked Sendable {
  public let items: [Value]
  public init(_ items: [Value]) { self.items = items }
}

/// An error value, as `catch` binds it: the message, optional data, and where it was raised.
public final class ErrorBox: @unchecked Sendable {
  public let error: LispError
  public init(_ error: LispError) { self.error = error }
}
