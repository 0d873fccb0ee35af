/// Calls of the hottest builtins (`+`, `<`, `car`, ...) compiled inline. The call site checks that
/// the global still holds the original builtin (an integer compare on the cell's generation) and
/// then runs the operation directly: no load of the procedure value, no reference counting, no
/// dispatch. If the name was redefined, the call goes through the ordinary path.
extension Compiler {
  func compilePrimitiveCall(_ name: Symbol, _ args: [CodeBox], tail: Bool, at location: Int32)
    -> Code?
  {
    let cell = interpreter.cell(for: name)
    guard case .builtin(let builtin) = cell.value, interpreter.primitives[name] === builtin else {
      return nil
    }
    let generation = cell.generation
    let machine = self.machine

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
      let arg0 = args[0].run
      let arg1 = args[1].run
      return { (frame: Frame) throws(LispError) -> Value in
        let a = try arg0(frame)
        let b = try arg1(frame)
        guard cell.generation == generation else {
          return try machine.call(cell.value, [a, b], tail: tail, at: location)
        }
        do throws(LispError) { return try op(a, b) } catch { throw error.located(location) }
      }
    }
    func comparison(_ holds: @escaping (Int) -> Bool) -> Code {
      let arg0 = args[0].run
      let arg1 = args[1].run
      let symbol = name.name
      return { (frame: Frame) throws(LispError) -> Value in
        let a = try arg0(frame)
        let b = try arg1(frame)
        guard cell.generation == generation else {
          return try machine.call(cell.value, [a, b], tail: tail, at: location)
        }
        if case .int(let x) = a, case .int(let y) = b { return .bool(holds(x < y ? -1 : (x == y ? 0 : 1))) }
        do throws(LispError) { return .bool(holds(try Arithmetic.compare(a, b, symbol))) } catch {
          throw error.located(location)
        }
      }
    }

    switch (name.name, args.count) {
    case ("+", 2): return binary(Arithmetic.add)
    case ("-", 2): return binary(Arithmetic.subtract)
    case ("*", 2): return binary(Arithmetic.multiply)
    case ("<", 2): return comparison { $0 < 0 }
    case (">", 2): return comparison { $0 > 0 }
    case ("<=", 2): return comparison { $0 <= 0 }
    case (">=", 2): return comparison { $0 >= 0 }
    case ("=", 2): return comparison { $0 == 0 }
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
