/// Turns forms into `Code`: Swift closures that run against a frame. Each form is compiled once;
/// variables are resolved here to a frame slot (locals) or a global cell, so running code never
/// looks a name up. Special forms live in one table (`Compiler+SpecialForms.swift`); everything
/// else the language has is a macro (`stdlib/prelude.kelp`) or a builtin.
final class Compiler {
  let machine: Machine
  unowned let interpreter: Interpreter
  private var nesting = 0
  /// Compiling recurses once per nested form and per macro expansion: bound it, so that a macro
  /// that expands into itself is an error, not a crash.
  static let maxNesting = 20_000

  init(machine: Machine, interpreter: Interpreter) {
    self.machine = machine
    self.interpreter = interpreter
  }

  /// Compiles `form`. `location` is the innermost known source position, used for forms that
  /// carry none of their own (atoms, and lists made by macros).
  func compile(_ form: Value, _ scope: Scope, tail: Bool, at location: Int32) throws(LispError)
    -> Code
  {
    nesting += 1
    defer { nesting -= 1 }
    if !StackGuard.hasRoom {
      throw LispError(
        .stackDepth, "stack depth exceeded while compiling (the stack is full)",
        location: SourceMap.location(location),
        hint: "a recursion through eval or macros this deep usually never ends")
    }
    if nesting > Compiler.maxNesting {
      throw LispError(
        .limit, "forms or macro expansions nest deeper than \(Compiler.maxNesting) levels",
        location: SourceMap.location(location),
        hint: "a macro that expands into a call of itself never stops")
    }
    switch form {
    case .symbol(let symbol):
      return try compileVariable(symbol, scope, at: location)
    case .pair(let cell):
      let here = cell.location != 0 ? cell.location : location
      if case .symbol(let head) = cell.car, scope.resolve(head) == nil {
        if let code = try compileSpecialForm(head.name, cell, scope, tail: tail, at: here) {
          return code
        }
        if let macro = interpreter.macros[head] {
          let expansion = try expand(macro, cell, at: here)
          return try compile(expansion, scope, tail: tail, at: here)
        }
      }
      return try compileCall(cell, scope, tail: tail, at: here)
    case .vector(let vector):
      return try compileVectorLiteral(vector, scope, at: location)
    case .map(let map):
      return try compileMapLiteral(map, scope, at: location)
    default:
      return Compiler.constant(form)
    }
  }

  static func constant(_ value: Value) -> Code {
    { _ in value }
  }

  // MARK: Variables

  func compileVariable(_ symbol: Symbol, _ scope: Scope, at location: Int32) throws(LispError)
    -> Code
  {
    if let (depth, binding) = scope.resolve(symbol) {
      let slot = binding.slot
      if binding.checked {
        return { (frame: Frame) throws(LispError) -> Value in
          let value = frame.ancestor(depth)[slot]
          if case .unbound = value {
            throw LispError(
              .unbound, "\(symbol.name) is used before its definition",
              location: SourceMap.location(location),
              hint: "move the use after the (define \(symbol.name) ...) that gives it a value")
          }
          return value
        }
      }
      switch depth {
      case 0: return { frame in frame[slot] }
      case 1: return { frame in frame.parent.unsafelyUnwrapped[slot] }
      default: return { frame in frame.ancestor(depth)[slot] }
      }
    }
    if Compiler.isSpecialForm(symbol.name) || interpreter.macros[symbol] != nil {
      throw LispError(
        .form, "\(symbol.name) is a special form or macro, not a value",
        location: SourceMap.location(location),
        hint: "use it at the head of a form: (\(symbol.name) ...)")
    }
    let cell = interpreter.cell(for: symbol)
    let interpreter = self.interpreter
    return { (_: Frame) throws(LispError) -> Value in
      let value = cell.value
      if case .unbound = value {
        throw interpreter.unboundError(symbol, at: location)
      }
      return value
    }
  }

  // MARK: Macros

  func expand(_ macro: Closure, _ form: Pair, at location: Int32) throws(LispError) -> Value {
    var args: [Value] = []
    var rest = form.cdr
    while case .pair(let cell) = rest {
      args.append(cell.car)
      rest = cell.cdr
    }
    do throws(LispError) {
      let expansion = try machine.run(macro, try machine.bind(macro, args))
      // The expansion stands where the macro call stood: errors in it point there, however the
      // expansion is compiled later (a body's forms are expanded before they are compiled).
      if case .pair(let cell) = expansion, cell.location == 0 {
        cell.location = form.location != 0 ? form.location : location
      }
      return expansion
    } catch {
      // Report the error where the macro was used: that is the code the user wrote. Where inside
      // the macro it arose goes into the trace.
      var located = error
      let inside = error.location.map { " (at \($0))" } ?? ""
      located.location = SourceMap.location(location) ?? error.location
      located.addTrace("expanding \(macro.lambda.name)\(inside)")
      throw located
    }
  }

  /// Expands `form` while its head names a macro: how bodies find the `define`s that macros
  /// produce.
  func expandHead(_ form: Value, _ scope: Scope, at location: Int32) throws(LispError) -> Value {
    var form = form
    var rounds = 0
    while case .pair(let cell) = form, case .symbol(let head) = cell.car,
      scope.resolve(head) == nil, !Compiler.isSpecialForm(head.name),
      let macro = interpreter.macros[head]
    {
      rounds += 1
      if rounds > Compiler.maxNesting {
        throw LispError(
          .limit, "macro \(head.name) keeps expanding into macro calls",
          location: SourceMap.location(location))
      }
      form = try expand(macro, cell, at: cell.location != 0 ? cell.location : location)
    }
    return form
  }

  // MARK: Literals

  func compileVectorLiteral(_ vector: VectorBox, _ scope: Scope, at location: Int32)
    throws(LispError) -> Code
  {
    if vector.items.allSatisfy(Compiler.isSelfEvaluating) {
      return Compiler.constant(.vector(vector))
    }
    var parts: [CodeBox] = []
    for item in vector.items {
      parts.append(CodeBox(try compile(item, scope, tail: false, at: location)))
    }
    return { (frame: Frame) throws(LispError) -> Value in
      var items: [Value] = []
      items.reserveCapacity(parts.count)
      for part in parts { items.append(try part.run(frame)) }
      return .vector(VectorBox(items))
    }
  }

  func compileMapLiteral(_ map: MapBox, _ scope: Scope, at location: Int32) throws(LispError)
    -> Code
  {
    let entries = map.ordered
    if entries.allSatisfy({
      Compiler.isSelfEvaluating($0.key) && Compiler.isSelfEvaluating($0.value)
    }) {
      return Compiler.constant(.map(map))
    }
    var parts: [(CodeBox, CodeBox)] = []
    for entry in entries {
      parts.append(
        (
          CodeBox(try compile(entry.key, scope, tail: false, at: location)),
          CodeBox(try compile(entry.value, scope, tail: false, at: location))
        ))
    }
    return { (frame: Frame) throws(LispError) -> Value in
      var pairs: [(Value, Value)] = []
      pairs.reserveCapacity(parts.count)
      for (key, value) in parts { pairs.append((try key.run(frame), try value.run(frame))) }
      return .map(MapBox(pairs))
    }
  }

  static func isSelfEvaluating(_ value: Value) -> Bool {
    switch value {
    case .symbol, .pair: return false
    case .vector(let v): return v.items.allSatisfy(isSelfEvaluating)
    case .map(let m):
      return m.ordered.allSatisfy { isSelfEvaluating($0.key) && isSelfEvaluating($0.value) }
    default: return true
    }
  }

  // MARK: Bodies

  /// A body: a sequence whose `define`s (also those that macros or `begin` produce) bind local
  /// variables, visible to the whole body, as in Scheme's `letrec*`.
  func compileBody(_ forms: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    var expanded: [Value] = []
    try flattenBody(forms, scope, into: &expanded, at: location)
    var defined: Set<Symbol> = []
    var slots: [Int] = []
    for form in expanded {
      if let name = Compiler.definedName(form), defined.insert(name).inserted {
        slots.append(scope.add(name, checked: true, internalDefine: true))
      }
    }
    let sequence = try compileSequence(expanded, scope, tail: tail, at: location)
    guard !slots.isEmpty else { return sequence }
    // Until its define runs, a name reads as "used before its definition", even in a frame that a
    // tail call reused.
    return { (frame: Frame) throws(LispError) -> Value in
      for slot in slots { frame[slot] = .unbound }
      return try sequence(frame)
    }
  }

  private func flattenBody(
    _ forms: [Value], _ scope: Scope, into out: inout [Value], at location: Int32
  ) throws(LispError) {
    for form in forms {
      let expandedForm = try expandHead(form, scope, at: location)
      if case .pair(let cell) = expandedForm, case .symbol(let head) = cell.car,
        head.name == "begin",
        scope.resolve(head) == nil
      {
        try flattenBody(
          try listElements(cell.cdr, in: "begin", at: location), scope, into: &out, at: location)
      } else {
        out.append(expandedForm)
      }
    }
  }

  /// The name a `(define name ...)` or `(define (name ...) ...)` form defines.
  static func definedName(_ form: Value) -> Symbol? {
    guard case .pair(let cell) = form, case .symbol(let head) = cell.car, head.name == "define",
      case .pair(let rest) = cell.cdr
    else { return nil }
    switch rest.car {
    case .symbol(let name): return name
    case .pair(let signature):
      if case .symbol(let name) = signature.car { return name }
      return nil
    default: return nil
    }
  }

  func compileSequence(_ forms: [Value], _ scope: Scope, tail: Bool, at location: Int32)
    throws(LispError) -> Code
  {
    var codes: [CodeBox] = []
    for (index, form) in forms.enumerated() {
      codes.append(
        CodeBox(try compile(form, scope, tail: tail && index == forms.count - 1, at: location)))
    }
    switch codes.count {
    case 0: return Compiler.constant(.void)
    case 1: return codes[0].run
    case 2:
      let first = codes[0].run
      let second = codes[1].run
      return { (frame: Frame) throws(LispError) -> Value in
        _ = try first(frame)
        return try second(frame)
      }
    default:
      let body = Array(codes.dropLast())
      let last = codes[codes.count - 1].run
      return { (frame: Frame) throws(LispError) -> Value in
        for code in body { _ = try code.run(frame) }
        return try last(frame)
      }
    }
  }

  // MARK: Helpers for special forms

  /// The elements of a proper list, or a `.form` error naming the special form.
  func listElements(_ list: Value, in form: String, at location: Int32) throws(LispError) -> [Value]
  {
    var items: [Value] = []
    var rest = list
    while case .pair(let cell) = rest {
      items.append(cell.car)
      rest = cell.cdr
    }
    guard case .null = rest else {
      throw LispError(
        .form, "\(form): expected a proper list, found a dotted one",
        location: SourceMap.location(location))
    }
    return items
  }

  func formError(_ message: String, at location: Int32, usage: String? = nil) -> LispError {
    LispError(
      .form, message, location: SourceMap.location(location), hint: usage.map { "usage: \($0)" })
  }
}
