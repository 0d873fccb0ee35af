/// Calls of the hottest builtins (`+`, `<`, `car`, ...) compiled inline. The call site checks that
/// the global still holds the original builtin (an integer compare on the cell's generation) and
/// then runs the operation directly: no load of the procedure value, no reference counting, no
/// dispatch. If the name was redefined, the call goes through the ordinary path.
extension Compiler {
  func compilePrimitiveCall(
    _ name: Symbol, _ argForms: [Value], _ args: [CodeBox], _ scope: Scope, tail: Bool,
    at location: Int32
  ) -> Code? {
    let cell = interpreter.cell(for: name)
    guard case .builtin(let builtin) = cell.value, interpreter.primitives[name] === builtin else {
      return nil
    }
    let generation = cell.generation
    let machine = self.machine
    let operands = zip(argForms, args).map { Operand($0, $1, scope) }

    func unary(_ op: @escaping (Value) throws(LispError) -> Value) -> Code {
      let arg0 = args[0].run
      return { (frame: Frame) throws(LispError) -> Value in
        let a = try arg0(frame)
        guard cell.generation == generation else {
          return try machine.call(cell.value, [a], tail: tail, at: location)
        }
        do throws(LispError) { return try op(a) } catch { throw error.located(location) }
      }
    }
    func binary(_ op: @escaping (Value, Value) throws(LispError) -> Value) -> Code {
      func slow(_ a: Value, _ b: Value) throws(LispError) -> Value {
        try machine.call(cell.value, [a, b], tail: tail, at: location)
      }
      // Specialized on the operands' shapes: a local variable or a constant is read in place,
      // saving a closure call per operand (`(< n 2)`, `(+ i 1)`, `(+ s i)`).
      switch (operands[0], operands[1]) {
      case (.local(let i), .constant(let c)):
        return { (frame: Frame) throws(LispError) -> Value in
          let a = frame[i]
          guard cell.generation == generation else { return try slow(a, c) }
          do throws(LispError) { return try op(a, c) } catch { throw error.located(location) }
        }
      case (.local(let i), .local(let j)):
        return { (frame: Frame) throws(LispError) -> Value in
          let a = frame[i]
          let b = frame[j]
          guard cell.generation == generation else { return try slow(a, b) }
          do throws(LispError) { return try op(a, b) } catch { throw error.located(location) }
        }
      case (.code(let left), .constant(let c)):
        return { (frame: Frame) throws(LispError) -> Value in
          let a = try left(frame)
          guard cell.generation == generation else { return try slow(a, c) }
          do throws(LispError) { return try op(a, c) } catch { throw error.located(location) }
        }
      default:
        let arg0 = args[0].run
        let arg1 = args[1].run
        return { (frame: Frame) throws(LispError) -> Value in
          let a = try arg0(frame)
          let b = try arg1(frame)
          guard cell.generation == generation else { return try slow(a, b) }
          do throws(LispError) { return try op(a, b) } catch { throw error.located(location) }
        }
      }
    }

    switch (name.name, args.count) {
    case ("+", 2): return binary(Arithmetic.add)
    case ("-", 2): return binary(Arithmetic.subtract)
    case ("*", 2): return binary(Arithmetic.multiply)
    case ("<", 2): return binary(Arithmetic.less)
    case (">", 2): return binary(Arithmetic.greater)
    case ("<=", 2): return binary(Arithmetic.lessOrEqual)
    case (">=", 2): return binary(Arithmetic.greaterOrEqual)
    case ("=", 2): return binary(Arithmetic.numericallyEqual)
    case ("eq?", 2): return binary { a, b in .bool(a.isIdentical(to: b)) }
    case ("cons", 2): return binary { a, b in .pair(Pair(a, b)) }
    case ("not", 1): return unary { a in .bool(!a.isTruthy) }
    case ("null?", 1):
      return unary { a in
        if case .null = a { return .true }
        return .false
      }
    case ("pair?", 1):
      return unary { a in
        if case .pair = a { return .true }
        return .false
      }
    case ("car", 1), ("cdr", 1):
      guard case .unary(let op) = builtin.fast else { return nil }
      return unary(op)
    default:
      return nil
    }
  }

  /// The builtins that call sites may inline.
  static let primitiveNames: Set<String> = [
    "+", "-", "*", "<", ">", "<=", ">=", "=", "eq?", "cons", "not", "null?", "pair?", "car", "cdr",
  ]
}

/// How a primitive's argument is found: in a slot of the current frame, as a constant, or by
/// running its code.
enum Operand {
  case local(Int)
  case constant(Value)
  case code(Code)

  init(_ form: Value, _ code: CodeBox, _ scope: Scope) {
    switch form {
    case .symbol(let symbol):
      if let (depth, binding) = scope.resolve(symbol), depth == 0, !binding.checked {
        self = .local(binding.slot)
      } else {
        self = .code(code.run)
      }
    case .int, .double, .string, .bool, .keyword, .null:
      self = .constant(form)
    default:
      self = .code(code.run)
    }
  }
}

extension Arithmetic {
  @inline(__always)
  static func less(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b { return .bool(x < y) }
    return .bool(try compare(a, b, "<") < 0)
  }
  @inline(__always)
  static func greater(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b { return .bool(x > y) }
    return .bool(try compare(a, b, ">") > 0)
  }
  @inline(__always)
  static func lessOrEqual(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b { return .bool(x <= y) }
    return .bool(try compare(a, b, "<=") <= 0)
  }
  @inline(__always)
  static func greaterOrEqual(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b { return .bool(x >= y) }
    return .bool(try compare(a, b, ">=") >= 0)
  }
  @inline(__always)
  static func numericallyEqual(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b { return .bool(x == y) }
    return .bool(try compare(a, b, "=") == 0)
  }
}

extension Machine {
  /// Calls a procedure value with evaluated arguments from a call site (tail or not).
  func call(_ procedure: Value, _ args: [Value], tail: Bool, at location: Int32) throws(LispError)
    -> Value
  {
    switch procedure {
    case .closure(let closure):
      return try enter(closure, try frame(closure, args, at: location), tail: tail, at: location)
    case .builtin(let builtin):
      return try callBuiltin(builtin, args, at: location)
    default:
      throw Machine.notProcedure(procedure).located(location)
    }
  }
}
