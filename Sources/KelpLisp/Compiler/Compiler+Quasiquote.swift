/// Quasiquote templates: `` `(a ,b ,@c) `` builds `(a <b> <elements of c>...)`. Nested
/// quasiquotes raise the level; only level-1 unquotes are evaluated. Vectors and maps in a
/// template are templates too.
extension Compiler {
  func compileQuasiquote(_ template: Value, _ scope: Scope, depth: Int, at location: Int32)
    throws(LispError) -> Code
  {
    guard Compiler.containsUnquote(template) else { return Compiler.constant(template) }
    switch template {
    case .pair(let cell):
      let here = cell.location != 0 ? cell.location : location
      if case .symbol(let head) = cell.car, let operand = Compiler.singleOperand(cell) {
        switch head.name {
        case "unquote":
          if depth == 1 { return try compile(operand, scope, tail: false, at: here) }
          return try wrap(
            "unquote", try compileQuasiquote(operand, scope, depth: depth - 1, at: here))
        case "quasiquote":
          return try wrap(
            "quasiquote", try compileQuasiquote(operand, scope, depth: depth + 1, at: here))
        case "unquote-splicing" where depth == 1:
          throw formError(",@ must be inside a list", at: here)
        default: break
        }
      }
      return try compileQuasiList(cell, scope, depth: depth, at: here)
    case .vector(let vector):
      let list = try compileQuasiList(
        Pair(.null, Value.list(vector.items)), scope, depth: depth, at: location, skipFirst: true)
      return { (frame: Frame) throws(LispError) -> Value in
        .vector(VectorBox(Compiler.elements(of: try list(frame))))
      }
    case .map(let map):
      var parts: [(CodeBox, CodeBox)] = []
      for entry in map.ordered {
        parts.append(
          (
            CodeBox(try compileQuasiquote(entry.key, scope, depth: depth, at: location)),
            CodeBox(try compileQuasiquote(entry.value, scope, depth: depth, at: location))
          ))
      }
      return { (frame: Frame) throws(LispError) -> Value in
        var pairs: [(Value, Value)] = []
        for (key, value) in parts { pairs.append((try key.run(frame), try value.run(frame))) }
        return .map(MapBox(pairs))
      }
    default:
      return Compiler.constant(template)
    }
  }

  private func wrap(_ name: String, _ inner: @escaping Code) throws(LispError) -> Code {
    let symbol = Value.symbol(name)
    return { (frame: Frame) throws(LispError) -> Value in Value.list([symbol, try inner(frame)]) }
  }

  private func compileQuasiList(
    _ first: Pair, _ scope: Scope, depth: Int, at location: Int32, skipFirst: Bool = false
  ) throws(LispError) -> Code {
    var parts: [(code: CodeBox, splice: Bool)] = []
    var tail: Code = Compiler.constant(.null)
    var rest: Value = skipFirst ? first.cdr : .pair(first)
    while case .pair(let cell) = rest {
      // `(a . ,b)` reads as (a unquote b): an unquote in tail position.
      if case .symbol(let head) = cell.car, head.name == "unquote",
        Compiler.singleOperand(cell) != nil
      {
        tail = try compileQuasiquote(rest, scope, depth: depth, at: location)
        rest = .null
        break
      }
      if depth == 1, case .pair(let inner) = cell.car, case .symbol(let head) = inner.car,
        head.name == "unquote-splicing", let operand = Compiler.singleOperand(inner)
      {
        parts.append((CodeBox(try compile(operand, scope, tail: false, at: location)), true))
      } else {
        parts.append(
          (CodeBox(try compileQuasiquote(cell.car, scope, depth: depth, at: location)), false))
      }
      rest = cell.cdr
    }
    if case .null = rest {} else { tail = Compiler.constant(rest) }
    return { (frame: Frame) throws(LispError) -> Value in
      var items: [Value] = []
      for part in parts {
        let value = try part.code.run(frame)
        if part.splice {
          switch value {
          case .null, .pair, .vector: items += Compiler.elements(of: value)
          default:
            throw LispError(
              .type, ",@ needs a list to splice, got \(value.typeName)",
              location: SourceMap.location(location))
          }
        } else {
          items.append(value)
        }
      }
      return Value.list(items, tail: try tail(frame))
    }
  }

  static func elements(of value: Value) -> [Value] {
    switch value {
    case .vector(let vector): return vector.items
    default:
      var items: [Value] = []
      var rest = value
      while case .pair(let cell) = rest {
        items.append(cell.car)
        rest = cell.cdr
      }
      return items
    }
  }

  static func singleOperand(_ cell: Pair) -> Value? {
    guard case .pair(let rest) = cell.cdr, case .null = rest.cdr else { return nil }
    return rest.car
  }

  static func containsUnquote(_ value: Value) -> Bool {
    switch value {
    case .pair:
      var rest = value
      while case .pair(let cell) = rest {
        if case .symbol(let head) = cell.car,
          head.name == "unquote" || head.name == "unquote-splicing"
        {
          return true
        }
        if containsUnquote(cell.car) { return true }
        rest = cell.cdr
      }
      return false
    case .vector(let vector): return vector.items.contains(where: containsUnquote)
    case .map(let map):
      return map.ordered.contains { containsUnquote($0.key) || containsUnquote($0.value) }
    default: return false
    }
  }
}
