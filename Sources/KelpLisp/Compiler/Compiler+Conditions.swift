/// Tests of `if` that compare numbers, compiled to return a Swift `Bool` directly: `(< n 2)` in
/// `(if (< n 2) ...)` neither builds a boolean value nor asks whether it is true.
extension Compiler {
  typealias Test = (Frame) throws(LispError) -> Bool

  enum Comparison {
    case less, greater, lessOrEqual, greaterOrEqual, equal

    init?(_ name: String) {
      switch name {
      case "<": self = .less
      case ">": self = .greater
      case "<=": self = .lessOrEqual
      case ">=": self = .greaterOrEqual
      case "=": self = .equal
      default: return nil
      }
    }

    @inline(__always)
    func holds(_ order: Int) -> Bool {
      switch self {
      case .less: order < 0
      case .greater: order > 0
      case .lessOrEqual: order <= 0
      case .greaterOrEqual: order >= 0
      case .equal: order == 0
      }
    }

    @inline(__always)
    func holds(_ a: Value, _ b: Value, _ name: String) throws(LispError) -> Bool {
      if case .int(let x) = a, case .int(let y) = b { return holds(x < y ? -1 : (x == y ? 0 : 1)) }
      return holds(try Arithmetic.compare(a, b, name))
    }
  }

  /// A specialized test for `(OP local-or-constant local-or-constant)` with OP a comparison that
  /// still names the original builtin; nil when the form is anything else.
  func compileComparisonTest(_ form: Value, _ scope: Scope, at location: Int32) -> Test? {
    if let negated = compileNegatedTest(form, scope, at: location) { return negated }
    guard case .pair(let cell) = form, case .symbol(let name) = cell.car,
      let comparison = Comparison(name.name), scope.resolve(name) == nil,
      let argForms = try? listElements(cell.cdr, in: name.name, at: location), argForms.count == 2
    else { return nil }
    let global = interpreter.cell(for: name)
    guard case .builtin(let builtin) = global.value, interpreter.primitives[name] === builtin else {
      return nil
    }
    let generation = global.generation
    let machine = self.machine
    let here = cell.location != 0 ? cell.location : location
    let symbol = name.name
    func slow(_ a: Value, _ b: Value) throws(LispError) -> Bool {
      try machine.call(global.value, [a, b], tail: false, at: here).isTruthy
    }
    let operands = argForms.map { Operand($0, CodeBox(Compiler.constant(.null)), scope) }
    switch (operands[0], operands[1]) {
    case (.local(let i), .constant(let c)):
      return { (frame: Frame) throws(LispError) -> Bool in
        let a = frame[i]
        guard global.generation == generation else { return try slow(a, c) }
        do throws(LispError) { return try comparison.holds(a, c, symbol) } catch {
          throw error.located(here)
        }
      }
    case (.local(let i), .local(let j)):
      return { (frame: Frame) throws(LispError) -> Bool in
        let a = frame[i]
        let b = frame[j]
        guard global.generation == generation else { return try slow(a, b) }
        do throws(LispError) { return try comparison.holds(a, b, symbol) } catch {
          throw error.located(here)
        }
      }
    default:
      return nil
    }
  }

  /// `(not TEST)` around a specialized comparison.
  private func compileNegatedTest(_ form: Value, _ scope: Scope, at location: Int32) -> Test? {
    guard case .pair(let cell) = form, case .symbol(let name) = cell.car, name.name == "not",
      scope.resolve(name) == nil, let operand = Compiler.singleOperand(cell),
      case .builtin(let builtin) = interpreter.cell(for: name).value,
      interpreter.primitives[name] === builtin,
      let inner = compileComparisonTest(operand, scope, at: location)
    else { return nil }
    let global = interpreter.cell(for: name)
    let generation = global.generation
    let machine = self.machine
    return { (frame: Frame) throws(LispError) -> Bool in
      let value = try inner(frame)
      guard global.generation == generation else {
        return try machine.call(global.value, [.bool(value)], tail: false, at: location).isTruthy
      }
      return !value
    }
  }
}
