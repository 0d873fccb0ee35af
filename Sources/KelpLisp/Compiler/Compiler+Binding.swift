/// `let`, named `let`, `letrec` and `try`: the forms that bind local variables.
extension Compiler {
  /// Reads `((name expr)...)`, or Clojure's `[name expr ...]`.
  func bindingPairs(_ spec: Value, in form: String, at location: Int32) throws(LispError)
    -> [(Symbol, Value)]
  {
    let usage = "(\(form) ((name expr)...) body...)"
    if case .vector(let vector) = spec {
      guard vector.items.count % 2 == 0 else {
        throw formError(
          "\(form): a binding vector needs name/value pairs", at: location, usage: usage)
      }
      var pairs: [(Symbol, Value)] = []
      for index in stride(from: 0, to: vector.items.count, by: 2) {
        guard case .symbol(let name) = vector.items[index] else {
          throw formError(
            "\(form): expected a name, got \(vector.items[index].written)", at: location,
            usage: usage)
        }
        pairs.append((name, vector.items[index + 1]))
      }
      return pairs
    }
    var pairs: [(Symbol, Value)] = []
    for binding in try listElements(spec, in: form, at: location) {
      let parts = (try? listElements(binding, in: form, at: location)) ?? []
      guard parts.count == 2 || parts.count == 1, case .symbol(let name) = parts[0] else {
        throw formError(
          "\(form): each binding is (name expr), got \(binding.written)", at: location, usage: usage
        )
      }
      pairs.append((name, parts.count == 2 ? parts[1] : .null))
    }
    let names = pairs.map(\.0)
    if let duplicate = names.first(where: { n in names.filter { $0 === n }.count > 1 }) {
      throw formError("\(form): \(duplicate.name) is bound twice", at: location)
    }
    return pairs
  }

  /// `(let ((name expr)...) body...)` or `(let loop ((name expr)...) body...)`
  func compileLet(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    if case .symbol(let name) = args.first {
      return try compileNamedLet(name, Array(args.dropFirst()), scope, tail: tail, at: location)
    }
    guard args.count >= 2 else {
      throw formError(
        "let: expected bindings and a body", at: location, usage: "(let ((name expr)...) body...)")
    }
    let pairs = try bindingPairs(args[0], in: "let", at: location)
    var inits: [CodeBox] = []
    for (name, expression) in pairs {
      inits.append(CodeBox(try compileNamed(expression, name: name.name, scope, at: location)))
    }
    let mark = scope.mark
    let slots = pairs.map { scope.add($0.0) }
    let body = try compileBody(Array(args.dropFirst()), scope, tail: tail, at: location)
    scope.pop(to: mark)
    if slots.count == 1 {
      let slot = slots[0]
      let initial = inits[0].run
      return { (frame: Frame) throws(LispError) -> Value in
        frame[slot] = try initial(frame)
        return try body(frame)
      }
    }
    return { (frame: Frame) throws(LispError) -> Value in
      for index in 0..<slots.count { frame[slots[index]] = try inits[index].run(frame) }
      return try body(frame)
    }
  }

  /// A lambda bound to a name gets that name, for error traces and printing.
  func compileNamed(_ expression: Value, name: String, _ scope: Scope, at location: Int32)
    throws(LispError) -> Code
  {
    if case .pair(let cell) = expression, case .symbol(let head) = cell.car, head.name == "lambda",
      scope.resolve(head) == nil
    {
      return try compileLambda(
        try listElements(cell.cdr, in: "lambda", at: location), scope, name: name,
        at: cell.location != 0 ? cell.location : location)
    }
    return try compile(expression, scope, tail: false, at: location)
  }

  /// `(let loop ((name expr)...) body...)`: binds `loop` to a procedure of the names, and calls
  /// it with the initial values. A call of `loop` in tail position is a jump.
  func compileNamedLet(
    _ name: Symbol, _ args: [Value], _ scope: Scope, tail: Bool, at location: Int32
  ) throws(LispError) -> Code {
    guard args.count >= 2 else {
      throw formError(
        "let: a named let needs bindings and a body", at: location,
        usage: "(let \(name.name) ((name expr)...) body...)")
    }
    let pairs = try bindingPairs(args[0], in: "let", at: location)
    var inits: [CodeBox] = []
    for (variable, expression) in pairs {
      inits.append(CodeBox(try compileNamed(expression, name: variable.name, scope, at: location)))
    }
    let mark = scope.mark
    let loopSlot = scope.add(name)
    let parameters = Value.list(pairs.map { Value.symbol($0.0) })
    let makeLoop = try compileLambda(
      [parameters] + args.dropFirst(), scope, name: name.name, at: location)
    scope.pop(to: mark)
    let machine = self.machine
    return { (frame: Frame) throws(LispError) -> Value in
      guard case .closure(let loop) = try makeLoop(frame) else { return .void }
      frame[loopSlot] = .closure(loop)
      let callee = Frame.make(parent: frame, count: loop.lambda.frameSize)
      for index in 0..<inits.count { callee[index] = try inits[index].run(frame) }
      return try machine.enter(loop, callee, tail: tail, at: location)
    }
  }

  /// `(letrec ((name expr)...) body...)`: every name is in scope in every expr.
  func compileLetrec(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    guard args.count >= 2 else {
      throw formError(
        "letrec: expected bindings and a body", at: location,
        usage: "(letrec ((name expr)...) body...)")
    }
    let pairs = try bindingPairs(args[0], in: "letrec", at: location)
    let mark = scope.mark
    let slots = pairs.map { scope.add($0.0, checked: true) }
    var inits: [CodeBox] = []
    for (name, expression) in pairs {
      inits.append(CodeBox(try compileNamed(expression, name: name.name, scope, at: location)))
    }
    let body = try compileBody(Array(args.dropFirst()), scope, tail: tail, at: location)
    scope.pop(to: mark)
    return { (frame: Frame) throws(LispError) -> Value in
      for slot in slots { frame[slot] = .unbound }
      for index in 0..<slots.count { frame[slots[index]] = try inits[index].run(frame) }
      return try body(frame)
    }
  }

  /// `(try body... (catch e handler...) (finally cleanup...))`: interrupts and resource limits
  /// pass through `catch` (so Ctrl-C always stops a program) but still run `finally`.
  func compileTry(_ args: [Value], _ scope: Scope, at location: Int32) throws(LispError) -> Code {
    var forms = args
    var cleanupForms: [Value]?
    var catchClause: (Symbol, [Value])?
    if let last = forms.last, let clause = clause(last, named: "finally") {
      cleanupForms = clause
      forms.removeLast()
    }
    if let last = forms.last, let clause = clause(last, named: "catch") {
      guard case .symbol(let variable) = clause.first else {
        throw formError("try: catch needs a variable name: (catch e handler...)", at: location)
      }
      catchClause = (variable, Array(clause.dropFirst()))
      forms.removeLast()
    }
    let body = try compileSequence(forms, scope, tail: false, at: location)
    var handler: Code?
    var errorSlot = 0
    if let (variable, handlerForms) = catchClause {
      let mark = scope.mark
      errorSlot = scope.add(variable)
      handler = try compileBody(handlerForms, scope, tail: false, at: location)
      scope.pop(to: mark)
    }
    let cleanup = try cleanupForms.map { (forms: [Value]) throws(LispError) -> Code in
      try compileSequence(forms, scope, tail: false, at: location)
    }
    let slot = errorSlot
    return { (frame: Frame) throws(LispError) -> Value in
      var result = Value.void
      var failure: LispError?
      do throws(LispError) { result = try body(frame) } catch { failure = error }
      if let caught = failure, caught.isCatchable, let handler {
        failure = nil
        frame[slot] = .error(ErrorBox(caught))
        do throws(LispError) { result = try handler(frame) } catch { failure = error }
      }
      if let cleanup { _ = try cleanup(frame) }
      if let failure { throw failure }
      return result
    }
  }

  private func clause(_ form: Value, named name: String) -> [Value]? {
    guard case .pair(let cell) = form, case .symbol(let head) = cell.car, head.name == name else {
      return nil
    }
    var items: [Value] = []
    var rest = cell.cdr
    while case .pair(let next) = rest {
      items.append(next.car)
      rest = next.cdr
    }
    return items
  }
}
