/// Procedure calls. Call sites with up to three arguments are specialized: they build the callee's
/// frame directly (no argument array) and call one- and two-argument builtins without one either.
/// A call in tail position hands the callee to the machine instead of calling it (see
/// `Machine.run`), which is what makes loops written as tail calls run in constant stack.
extension Compiler {
  func compileCall(_ form: Pair, _ scope: Scope, tail: Bool, at location: Int32) throws(LispError)
    -> Code
  {
    let head = try compile(form.car, scope, tail: false, at: location)
    let argForms = try listElements(form.cdr, in: "call", at: location)
    var args: [CodeBox] = []
    for argument in argForms {
      args.append(CodeBox(try compile(argument, scope, tail: false, at: location)))
    }
    if case .symbol(let name) = form.car, scope.resolve(name) == nil,
      Compiler.primitiveNames.contains(name.name),
      let inlined = compilePrimitiveCall(name, argForms, args, scope, tail: tail, at: location)
    {
      return inlined
    }
    // A global procedure name (the usual head) is read straight from its cell; anything else runs
    // its compiled code. Both shapes get their own specialized copy of the call site.
    if case .symbol(let name) = form.car, scope.resolve(name) == nil {
      let head = GlobalHead(
        cell: interpreter.cell(for: name), interpreter: interpreter, location: location)
      return callSite(head, args, scope, tail: tail, at: location)
    }
    return callSite(CodeHead(code: head), args, scope, tail: tail, at: location)
  }

  private func callSite<Head: HeadReader>(
    _ head: Head, _ args: [CodeBox], _ scope: Scope, tail: Bool, at location: Int32
  ) -> Code {
    let machine = self.machine
    let scopeID = scope.id
    switch args.count {
    case 0:
      return { (frame: Frame) throws(LispError) -> Value in
        let procedure = try head.read(frame)
        switch procedure {
        case .closure(let closure):
          let callee = try machine.frame(closure, [], at: location)
          return try machine.enter(closure, callee, tail: tail, at: location)
        case .builtin(let builtin):
          return try machine.callBuiltin(builtin, [], at: location)
        default:
          throw Machine.notProcedure(procedure).located(location)
        }
      }
    case 1:
      let arg0 = args[0].run
      return { (frame: Frame) throws(LispError) -> Value in
        let procedure = try head.read(frame)
        let a = try arg0(frame)
        switch procedure {
        case .closure(let closure):
          if tail, machine.reuse(frame, for: closure, from: scopeID), closure.lambda.required == 1 {
            frame[0] = a
            return machine.jumpToSelf()
          }
          let callee = try machine.frame(closure, a, at: location)
          return try machine.enter(closure, callee, tail: tail, at: location)
        case .builtin(let builtin):
          if case .unary(let unary) = builtin.fast {
            do throws(LispError) { return try unary(a) } catch { throw error.located(location) }
          }
          return try machine.callBuiltin(builtin, [a], at: location)
        default:
          throw Machine.notProcedure(procedure).located(location)
        }
      }
    case 2:
      let arg0 = args[0].run
      let arg1 = args[1].run
      return { (frame: Frame) throws(LispError) -> Value in
        let procedure = try head.read(frame)
        let a = try arg0(frame)
        let b = try arg1(frame)
        switch procedure {
        case .closure(let closure):
          if tail, machine.reuse(frame, for: closure, from: scopeID), closure.lambda.required == 2 {
            frame[0] = a
            frame[1] = b
            return machine.jumpToSelf()
          }
          let callee = try machine.frame(closure, a, b, at: location)
          return try machine.enter(closure, callee, tail: tail, at: location)
        case .builtin(let builtin):
          if case .binary(let binary) = builtin.fast {
            do throws(LispError) { return try binary(a, b) } catch { throw error.located(location) }
          }
          return try machine.callBuiltin(builtin, [a, b], tail: tail, at: location)
        default:
          throw Machine.notProcedure(procedure).located(location)
        }
      }
    case 3:
      let arg0 = args[0].run
      let arg1 = args[1].run
      let arg2 = args[2].run
      return { (frame: Frame) throws(LispError) -> Value in
        let procedure = try head.read(frame)
        let a = try arg0(frame)
        let b = try arg1(frame)
        let c = try arg2(frame)
        switch procedure {
        case .closure(let closure):
          if tail, machine.reuse(frame, for: closure, from: scopeID), closure.lambda.required == 3 {
            frame[0] = a
            frame[1] = b
            frame[2] = c
            return machine.jumpToSelf()
          }
          let callee = try machine.frame(closure, a, b, c, at: location)
          return try machine.enter(closure, callee, tail: tail, at: location)
        case .builtin(let builtin):
          return try machine.callBuiltin(builtin, [a, b, c], tail: tail, at: location)
        default:
          throw Machine.notProcedure(procedure).located(location)
        }
      }
    default:
      return { (frame: Frame) throws(LispError) -> Value in
        let procedure = try head.read(frame)
        var values: [Value] = []
        values.reserveCapacity(args.count)
        for arg in args { values.append(try arg.run(frame)) }
        switch procedure {
        case .closure(let closure):
          let callee = try machine.frame(closure, values, at: location)
          return try machine.enter(closure, callee, tail: tail, at: location)
        case .builtin(let builtin):
          return try machine.callBuiltin(builtin, values, tail: tail, at: location)
        default:
          throw Machine.notProcedure(procedure).located(location)
        }
      }
    }
  }
}

/// How a call site finds its procedure.
protocol HeadReader {
  func read(_ frame: Frame) throws(LispError) -> Value
}

/// The head is a global name: one load from its cell.
struct GlobalHead: HeadReader {
  let cell: GlobalCell
  unowned let interpreter: Interpreter
  let location: Int32

  @inline(__always)
  func read(_ frame: Frame) throws(LispError) -> Value {
    let value = cell.value
    if case .unbound = value { throw interpreter.unboundError(cell.symbol, at: location) }
    return value
  }
}

/// The head is any other expression: run its code.
struct CodeHead: HeadReader {
  let code: Code

  @inline(__always)
  func read(_ frame: Frame) throws(LispError) -> Value { try code(frame) }
}

extension Machine {
  /// Whether a call in tail position from `frame` (compiled in the body with `scopeID`) can
  /// reuse that frame for `closure`: the callee is the same procedure body over the same
  /// environment, and no closure holds the frame. A loop written as a named let then runs with
  /// no allocation per iteration. The caller checks the argument count.
  @inline(__always)
  func reuse(_ frame: Frame, for closure: Closure, from scopeID: Int) -> Bool {
    let lambda = closure.lambda
    return lambda.scopeID == scopeID && scopeID != 0 && !frame.captured && !lambda.hasRest
      && (!lambda.needsParent || closure.environment === frame.parent)
  }

  /// A tail call of the running procedure into its own, refilled frame: nothing to hand over,
  /// `run` simply runs the body again.
  @inline(__always)
  func jumpToSelf() -> Value { .tailCall }

  /// The callee's frame with its parameters bound. The common case, a procedure without a rest
  /// parameter called with the right number of arguments, stores them straight into the slots.
  @inline(__always)
  func frame(_ closure: Closure, _ a: Value, at location: Int32) throws(LispError) -> Frame {
    let lambda = closure.lambda
    guard lambda.required == 1, !lambda.hasRest else {
      return try frame(closure, [a], at: location)
    }
    let frame = makeFrame(parent: closure.frameParent, count: lambda.frameSize)
    frame[0] = a
    return frame
  }

  @inline(__always)
  func frame(_ closure: Closure, _ a: Value, _ b: Value, at location: Int32) throws(LispError)
    -> Frame
  {
    let lambda = closure.lambda
    guard lambda.required == 2, !lambda.hasRest else {
      return try frame(closure, [a, b], at: location)
    }
    let frame = makeFrame(parent: closure.frameParent, count: lambda.frameSize)
    frame[0] = a
    frame[1] = b
    return frame
  }

  @inline(__always)
  func frame(_ closure: Closure, _ a: Value, _ b: Value, _ c: Value, at location: Int32)
    throws(LispError) -> Frame
  {
    let lambda = closure.lambda
    guard lambda.required == 3, !lambda.hasRest else {
      return try frame(closure, [a, b, c], at: location)
    }
    let frame = makeFrame(parent: closure.frameParent, count: lambda.frameSize)
    frame[0] = a
    frame[1] = b
    frame[2] = c
    return frame
  }

  /// The general case: any arity, rest parameters packed into a list.
  func frame(_ closure: Closure, _ args: [Value], at location: Int32) throws(LispError) -> Frame {
    do throws(LispError) {
      return try bind(closure, args)
    } catch {
      throw error.located(location)
    }
  }

  /// Calls (or, in tail position, schedules) a closure whose frame is bound.
  @inline(__always)
  func enter(_ closure: Closure, _ frame: consuming Frame, tail: Bool, at location: Int32)
    throws(LispError) -> Value
  {
    if tail {
      pendingClosure = closure
      pendingFrame = frame
      return .tailCall
    }
    var callee = frame
    let result: Value
    do throws(LispError) {
      result = try run(closure, callee)
    } catch {
      throw traced(error, closure.lambda, at: location)
    }
    recycle(&callee)
    return result
  }

  @inline(never)
  func traced(_ error: LispError, _ lambda: Lambda, at location: Int32) -> LispError {
    var result = error.located(location)
    let place = SourceMap.location(location).map { " at \($0)" } ?? ""
    result.addTrace("\(lambda.name)\(place)")
    return result
  }

  /// A builtin call that may be in tail position: `apply` there calls its procedure as a tail
  /// call (R7RS 6.10), so a loop through `apply` runs in constant stack.
  func callBuiltin(_ builtin: Builtin, _ args: [Value], tail: Bool, at location: Int32)
    throws(LispError) -> Value
  {
    guard tail, builtin === applyBuiltin, builtin.accepts(args.count) else {
      return try callBuiltin(builtin, args, at: location)
    }
    let spread: [Value]
    do throws(LispError) {
      spread =
        Array(args[1..<(args.count - 1)]) + (try Arguments.sequence(args[args.count - 1], "apply"))
    } catch {
      throw error.located(location)
    }
    return try call(args[0], spread, tail: true, at: location)
  }

  @inline(__always)
  func callBuiltin(_ builtin: Builtin, _ args: [Value], at location: Int32) throws(LispError)
    -> Value
  {
    do throws(LispError) {
      return try builtin.invoke(args)
    } catch {
      throw error.located(location)
    }
  }
}
