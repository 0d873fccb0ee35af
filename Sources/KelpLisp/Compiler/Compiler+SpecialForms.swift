/// The special forms: the only forms whose arguments are not evaluated like a call's. The table
/// is sorted; each entry's usage line is also the syntax comment of its compile function.
/// `cond`, `case`, `when`, `unless`, `let*` and friends are macros in `stdlib/prelude.kelp`.
public struct SpecialForm: Sendable {
  public let name: String
  public let usage: String
  public let doc: String
}

extension Compiler {
  public static let specialFormTable: [SpecialForm] = [
    SpecialForm(
      name: "and", usage: "(and expr...)",
      doc: "The first false value, or the last value; #t when empty."),
    SpecialForm(
      name: "assert", usage: "(assert expr [message])",
      doc: "Raises an assertion error with message (or the expression) when expr is false."),
    SpecialForm(
      name: "begin", usage: "(begin expr...)",
      doc: "Evaluates each expr in order; the value of the last."),
    SpecialForm(
      name: "define", usage: "(define name expr) | (define (name param... [. rest]) body...)",
      doc: "Binds a name: a global at top level, a local at the start of a body."),
    SpecialForm(
      name: "define-macro", usage: "(define-macro (name param... [. rest]) body...)",
      doc: "Defines a macro: a procedure from forms to a form, run when code is compiled."),
    SpecialForm(
      name: "if", usage: "(if test then [else])",
      doc: "then when test is true (anything but #f and nil), else otherwise (nil if absent)."),
    SpecialForm(
      name: "lambda", usage: "(lambda (param... [. rest]) body...)",
      doc: "A procedure; a symbol instead of the list takes all arguments as a list."),
    SpecialForm(
      name: "let", usage: "(let ((name expr)...) body...) | (let loop ((name expr)...) body...)",
      doc: "Local variables; the named form defines a procedure loop for iteration."),
    SpecialForm(
      name: "letrec", usage: "(letrec ((name expr)...) body...)",
      doc: "Local variables that can refer to each other (mutually recursive procedures)."),
    SpecialForm(name: "or", usage: "(or expr...)", doc: "The first true value, or #f."),
    SpecialForm(
      name: "quasiquote", usage: "`template",
      doc: "A template: ,expr inserts a value, ,@expr splices a list."),
    SpecialForm(name: "quote", usage: "'datum", doc: "The datum itself, unevaluated."),
    SpecialForm(
      name: "set!", usage: "(set! name expr)", doc: "Assigns a new value to an existing variable."),
    SpecialForm(
      name: "try", usage: "(try body... (catch e handler...) (finally cleanup...))",
      doc: "Runs body; on an error binds it to e and runs handler; always runs cleanup."),
  ]

  private static let specialFormNames = Set(
    specialFormTable.map(\.name) + ["letrec*", "unquote", "unquote-splicing"])

  static func isSpecialForm(_ name: String) -> Bool { specialFormNames.contains(name) }

  func compileSpecialForm(
    _ name: String, _ form: Pair, _ scope: Scope, tail: Bool, at location: Int32
  ) throws(LispError) -> Code? {
    let args = try listElements(form.cdr, in: name, at: location)
    switch name {
    case "and": return try compileAnd(args, scope, tail: tail, at: location)
    case "assert": return try compileAssert(args, scope, at: location)
    case "begin": return try compileBegin(args, scope, tail: tail, at: location)
    case "define": return try compileDefine(args, scope, at: location)
    case "define-macro": return try compileDefineMacro(args, scope, at: location)
    case "if": return try compileIf(args, scope, tail: tail, at: location)
    case "lambda": return try compileLambda(args, scope, name: "lambda", at: location)
    case "let": return try compileLet(args, scope, tail: tail, at: location)
    case "letrec", "letrec*": return try compileLetrec(args, scope, tail: tail, at: location)
    case "or": return try compileOr(args, scope, tail: tail, at: location)
    case "quasiquote":
      guard args.count == 1 else { throw formError("quasiquote takes one template", at: location) }
      return try compileQuasiquote(args[0], scope, depth: 1, at: location)
    case "quote":
      guard args.count == 1 else {
        throw formError("quote takes one datum", at: location, usage: "'datum")
      }
      return Compiler.constant(args[0])
    case "set!": return try compileSet(args, scope, at: location)
    case "unquote", "unquote-splicing":
      let spelling = name == "unquote" ? "," : ",@"
      throw formError(
        "\(spelling) (\(name)) is only meaningful inside a quasiquote (`)", at: location)
    case "try": return try compileTry(args, scope, at: location)
    default: return nil
    }
  }

  /// `(if test then [else])`
  func compileIf(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32) throws(LispError)
    -> Code
  {
    guard args.count == 2 || args.count == 3 else {
      throw formError(
        "if: expected a test, a then branch and an optional else branch, got \(args.count) form\(args.count == 1 ? "" : "s")",
        at: location, usage: "(if test then [else])")
    }
    let then = try compile(args[1], scope, tail: tail, at: location)
    let otherwise =
      args.count == 3
      ? try compile(args[2], scope, tail: tail, at: location) : Compiler.constant(.null)
    if let comparison = compileComparisonTest(args[0], scope, at: location) {
      return { (frame: Frame) throws(LispError) -> Value in
        try comparison(frame) ? try then(frame) : try otherwise(frame)
      }
    }
    let test = try compile(args[0], scope, tail: false, at: location)
    return { (frame: Frame) throws(LispError) -> Value in
      try test(frame).isTruthy ? try then(frame) : try otherwise(frame)
    }
  }

  /// `(begin expr...)`: at top level its `define`s stay global.
  func compileBegin(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    try compileSequence(args, scope, tail: tail, at: location)
  }

  /// `(and expr...)`
  func compileAnd(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    guard !args.isEmpty else { return Compiler.constant(.true) }
    var codes: [CodeBox] = []
    for (index, arg) in args.enumerated() {
      codes.append(
        CodeBox(try compile(arg, scope, tail: tail && index == args.count - 1, at: location)))
    }
    let body = Array(codes.dropLast())
    let last = codes[codes.count - 1].run
    return { (frame: Frame) throws(LispError) -> Value in
      for code in body {
        let value = try code.run(frame)
        if !value.isTruthy { return value }
      }
      return try last(frame)
    }
  }

  /// `(or expr...)`
  func compileOr(_ args: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    guard !args.isEmpty else { return Compiler.constant(.false) }
    var codes: [CodeBox] = []
    for (index, arg) in args.enumerated() {
      codes.append(
        CodeBox(try compile(arg, scope, tail: tail && index == args.count - 1, at: location)))
    }
    let body = Array(codes.dropLast())
    let last = codes[codes.count - 1].run
    return { (frame: Frame) throws(LispError) -> Value in
      for code in body {
        let value = try code.run(frame)
        if value.isTruthy { return value }
      }
      return try last(frame)
    }
  }

  /// `(assert expr [message])`
  func compileAssert(_ args: [Value], _ scope: Scope, at location: Int32) throws(LispError) -> Code
  {
    guard args.count == 1 || args.count == 2 else {
      throw formError(
        "assert: expected an expression and an optional message", at: location,
        usage: "(assert expr [message])")
    }
    let test = try compile(args[0], scope, tail: false, at: location)
    let message =
      args.count == 2 ? try compile(args[1], scope, tail: false, at: location) : { _ in .void }
    let hasMessage = args.count == 2
    let shown = args[0].written
    return { (frame: Frame) throws(LispError) -> Value in
      guard try test(frame).isTruthy else {
        let text = hasMessage ? try message(frame).displayed : nil
        throw LispError(
          .assertion, text ?? "assertion failed: \(shown)", location: SourceMap.location(location),
          hint: text == nil ? nil : "the assertion was \(shown)")
      }
      return .void
    }
  }

  /// `(set! name expr)`
  func compileSet(_ args: [Value], _ scope: Scope, at location: Int32) throws(LispError) -> Code {
    guard args.count == 2, case .symbol(let name) = args[0] else {
      throw formError("set!: expected a name and a value", at: location, usage: "(set! name expr)")
    }
    if scope.resolve(name) == nil,
      Compiler.isSpecialForm(name.name) || interpreter.macros[name] != nil
    {
      throw formError("set!: \(name.name) is a special form or macro, not a variable", at: location)
    }
    let value = try compile(args[1], scope, tail: false, at: location)
    if let (depth, binding) = scope.resolve(name) {
      let slot = binding.slot
      return { (frame: Frame) throws(LispError) -> Value in
        frame.ancestor(depth)[slot] = try value(frame)
        return .void
      }
    }
    let cell = interpreter.cell(for: name)
    let interpreter = self.interpreter
    return { (frame: Frame) throws(LispError) -> Value in
      let newValue = try value(frame)
      if case .unbound = cell.value {
        var error = interpreter.unboundError(name, at: location)
        error.message = "set!: \(name.name) is not defined"
        if error.hint?.hasPrefix("did you mean") != true {
          error.hint = "define it first: (define \(name.name) ...)"
        }
        throw error
      }
      cell.value = newValue
      return .void
    }
  }

  /// `(define name expr)` or `(define (name param... [. rest]) body...)`
  func compileDefine(_ args: [Value], _ scope: Scope, at location: Int32) throws(LispError) -> Code
  {
    let usage = "(define name expr) or (define (name param...) body...)"
    guard let first = args.first else {
      throw formError("define: expected a name", at: location, usage: usage)
    }
    let name: Symbol
    let value: Code
    switch first {
    case .symbol(let symbol):
      guard args.count == 2 else {
        throw formError(
          "define: expected one value for \(symbol.name), got \(args.count - 1)", at: location,
          usage: usage)
      }
      name = symbol
      if case .pair(let cell) = args[1], case .symbol(let head) = cell.car, head.name == "lambda",
        scope.resolve(head) == nil
      {
        value = try compileLambda(
          try listElements(cell.cdr, in: "lambda", at: location), scope, name: symbol.name,
          at: cell.location != 0 ? cell.location : location)
      } else {
        value = try compile(args[1], scope, tail: false, at: location)
      }
    case .pair(let signature):
      guard case .symbol(let symbol) = signature.car else {
        throw formError("define: the procedure name must be a symbol", at: location, usage: usage)
      }
      name = symbol
      value = try compileLambda(
        [signature.cdr] + args.dropFirst(), scope, name: symbol.name, at: location)
    default:
      throw formError("define: expected a name, got \(first.written)", at: location, usage: usage)
    }
    if let binding = scope.lookupHere(name), binding.internalDefine {
      let slot = binding.slot
      return { (frame: Frame) throws(LispError) -> Value in
        frame[slot] = try value(frame)
        return .void
      }
    }
    guard scope.isToplevel else {
      throw formError(
        "define: \(name.name) is defined inside an expression, not at the start of a body",
        at: location,
        usage: "(let ((\(name.name) ...)) ...) for a local variable")
    }
    // A global named like a special form could never be called: the form wins at every call.
    if Compiler.specialFormTable.contains(where: { $0.name == name.name }) {
      throw LispError(
        .form,
        "define: \(name.name) is a special form, so a global of that name would never be called",
        location: SourceMap.location(location), hint: "choose another name, such as my-\(name.name)")
    }
    interpreter.macros[name] = nil
    let cell = interpreter.cell(for: name)
    return { (frame: Frame) throws(LispError) -> Value in
      cell.value = try value(frame)
      return .void
    }
  }

  /// `(lambda (param... [. rest]) body...)` or `(lambda args body...)`
  func compileLambda(_ args: [Value], _ scope: Scope, name: String, at location: Int32)
    throws(LispError) -> Code
  {
    let usage = "(lambda (param...) body...)"
    guard args.count >= 2 else {
      throw formError("\(name): expected parameters and a body", at: location, usage: usage)
    }
    var parameters: [Symbol] = []
    var rest: Symbol?
    var cursor = args[0]
    loop: while true {
      switch cursor {
      case .null: break loop
      case .symbol(let symbol):
        rest = symbol
        break loop
      case .pair(let cell):
        guard case .symbol(let parameter) = cell.car else {
          throw formError(
            "\(name): parameters must be symbols, got \(cell.car.written)", at: location,
            usage: usage)
        }
        parameters.append(parameter)
        cursor = cell.cdr
      case .vector(let vector):
        // Clojure's [a b] parameter vector is accepted too.
        for item in vector.items {
          guard case .symbol(let parameter) = item else {
            throw formError(
              "\(name): parameters must be symbols, got \(item.written)", at: location, usage: usage
            )
          }
          parameters.append(parameter)
        }
        break loop
      default:
        throw formError(
          "\(name): expected a parameter list, got \(cursor.written)", at: location, usage: usage)
      }
    }
    let all = parameters + (rest.map { [$0] } ?? [])
    if let duplicate = all.first(where: { p in all.filter { $0 === p }.count > 1 }) {
      throw formError("\(name): parameter \(duplicate.name) appears twice", at: location)
    }
    var body = Array(args.dropFirst())
    var doc: String?
    if body.count > 1, case .string(let text) = body[0] {
      doc = text.value
      body.removeFirst()
    }
    let inner = Scope(parent: scope)
    for parameter in all { inner.add(parameter) }
    let code = try compileBody(body, inner, tail: true, at: location)
    let lambda = Lambda(
      name: name, required: parameters.count, hasRest: rest != nil, frameSize: inner.size,
      body: code, scopeID: inner.id, needsParent: inner.needsParent, location: location, doc: doc,
      parameterNames: all.map(\.name))
    return { frame in
      frame.captured = true
      return .closure(Closure(lambda, environment: frame))
    }
  }

  /// `(define-macro (name param... [. rest]) body...)`: the macro is defined when this form is
  /// compiled, so the forms after it can use it.
  func compileDefineMacro(_ args: [Value], _ scope: Scope, at location: Int32) throws(LispError)
    -> Code
  {
    let usage = "(define-macro (name param...) body...)"
    guard args.count >= 2, case .pair(let signature) = args[0],
      case .symbol(let name) = signature.car
    else {
      throw formError("define-macro: expected a signature and a body", at: location, usage: usage)
    }
    guard scope.isToplevel, scope.bindings.isEmpty else {
      throw formError("define-macro: macros are defined at top level only", at: location)
    }
    let macroScope = Scope(parent: nil, isToplevel: true)
    let code = try compileLambda(
      [signature.cdr] + args.dropFirst(), macroScope, name: name.name, at: location)
    guard case .closure(let closure) = try code(Frame.make(parent: nil, count: macroScope.size))
    else {
      throw formError("define-macro: could not build the macro", at: location)
    }
    interpreter.macros[name] = closure
    return Compiler.constant(.void)
  }
}
