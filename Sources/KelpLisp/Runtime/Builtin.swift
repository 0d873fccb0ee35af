/// A procedure written in Swift: its name, usage line, one-line doc, arity and body. Bodies for
/// one and two arguments skip building an argument array, which matters for `car` and `+`.
public final class Builtin {
  public typealias Variadic = ([Value]) throws(LispError) -> Value
  public typealias Unary = (Value) throws(LispError) -> Value
  public typealias Binary = (Value, Value) throws(LispError) -> Value

  public let name: String
  public let usage: String
  public let doc: String
  public let minArgs: Int
  /// nil: any number of arguments from `minArgs` up.
  public let maxArgs: Int?
  let call: Variadic
  /// A way to call without an argument array. An enum rather than optionals: see `CodeBox`.
  enum FastPath {
    case none
    case unary(Unary)
    case binary(Binary)
  }
  let fast: FastPath

  /// Any arity: the body gets the arguments, already checked against `minArgs...maxArgs`.
  public init(
    _ name: String, _ usage: String, _ doc: String, arity: ClosedRange<Int>,
    _ body: @escaping Variadic
  ) {
    self.name = name
    self.usage = usage
    self.doc = doc
    self.minArgs = arity.lowerBound
    self.maxArgs = arity.upperBound == Int.max ? nil : arity.upperBound
    self.call = body
    self.fast = .none
  }

  /// At least `minimum` arguments.
  public init(
    _ name: String, _ usage: String, _ doc: String, atLeast minimum: Int,
    _ body: @escaping Variadic, binary: Binary? = nil
  ) {
    self.name = name
    self.usage = usage
    self.doc = doc
    self.minArgs = minimum
    self.maxArgs = nil
    self.call = body
    self.fast = binary.map { .binary($0) } ?? .none
  }

  /// Exactly one argument.
  public init(_ name: String, _ usage: String, _ doc: String, unary body: @escaping Unary) {
    self.name = name
    self.usage = usage
    self.doc = doc
    self.minArgs = 1
    self.maxArgs = 1
    self.call = { (args: [Value]) throws(LispError) -> Value in try body(args[0]) }
    self.fast = .unary(body)
  }

  /// Exactly two arguments.
  public init(_ name: String, _ usage: String, _ doc: String, binary body: @escaping Binary) {
    self.name = name
    self.usage = usage
    self.doc = doc
    self.minArgs = 2
    self.maxArgs = 2
    self.call = { (args: [Value]) throws(LispError) -> Value in try body(args[0], args[1]) }
    self.fast = .binary(body)
  }

  func accepts(_ count: Int) -> Bool {
    count >= minArgs && (maxArgs.map { count <= $0 } ?? true)
  }

  var arityText: String {
    let plural = { (n: Int) in n == 1 ? "" : "s" }
    switch maxArgs {
    case nil: return "at least \(minArgs) argument\(plural(minArgs))"
    case let max? where max == minArgs: return "\(minArgs) argument\(plural(minArgs))"
    case let max?: return "\(minArgs) to \(max) arguments"
    }
  }

  func arityError(_ count: Int) -> LispError {
    LispError(
      .arity, "\(name): expected \(arityText), got \(count)", hint: "usage: \(usage)")
  }

  /// Calls with an argument array; checks the arity first.
  @inline(__always)
  func invoke(_ args: [Value]) throws(LispError) -> Value {
    guard accepts(args.count) else { throw arityError(args.count) }
    return try call(args)
  }
}
