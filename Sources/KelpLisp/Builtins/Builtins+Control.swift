extension Builtins {
  static func control(_ interpreter: Interpreter) -> [Builtin] {
    func errorBox(_ v: Value, _ name: String) throws(LispError) -> LispError {
      guard case .error(let box) = v else {
        throw Arguments.typeError(name, "an error (as bound by catch)", v)
      }
      return box.error
    }
    return [
      Builtin(
        "error", "(error message [data])",
        "Raises an error with message (any value is displayed) and optional data for the handler.",
        arity: 1...2,
        { (args: [Value]) throws(LispError) -> Value in
          throw LispError(.user, args[0].displayed, data: args.count == 2 ? args[1] : .null)
        }),
      Builtin(
        "error-message", "(error-message e)", "The message of a caught error.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value(try errorBox(v, "error-message").message)
        }),
      Builtin(
        "error-data", "(error-data e)", "The data given to (error message data), or nil.",
        unary: { (v: Value) throws(LispError) -> Value in
          try errorBox(v, "error-data").data
        }),
      Builtin(
        "error-kind", "(error-kind e)",
        "The kind of a caught error as a keyword: :user, :type, :arity, :unbound, :assertion ...",
        unary: { (v: Value) throws(LispError) -> Value in
          let kind = try errorBox(v, "error-kind").kind
          let names: [LispError.Kind: String] = [
            .syntax: "syntax", .incomplete: "syntax", .form: "form", .unbound: "unbound",
            .type: "type",
            .arity: "arity", .value: "value", .user: "user", .assertion: "assertion",
            .overflow: "overflow",
            .stackDepth: "stack-depth", .interrupted: "interrupted", .limit: "limit", .io: "io",
          ]
          return .keyword(Symbol.intern(names[kind] ?? "value"))
        }),
      Builtin(
        "gensym", "(gensym [prefix])",
        "A fresh symbol, for names in macro expansions that must not clash.", arity: 0...1,
        { (args: [Value]) throws(LispError) -> Value in
          let prefix = args.isEmpty ? "g__" : args[0].displayed
          return .symbol(Symbol.gensym(prefix))
        }),
      Builtin(
        "doc", "(doc 'name)",
        "Prints the usage and documentation of a builtin, special form, macro or procedure.",
        unary: { [unowned interpreter] (v: Value) throws(LispError) -> Value in
          let name: String
          switch v {
          case .symbol(let s), .keyword(let s): name = s.name
          case .string(let s): name = s.value
          case .builtin(let b): name = b.name
          case .closure(let c): name = c.lambda.name
          default: throw Arguments.typeError("doc", "a quoted name", v)
          }
          guard let text = interpreter.documentation(for: name) else {
            let near = Suggestions.closest(to: name, among: interpreter.definedNames)
            throw LispError(
              .unbound, "doc: nothing is named \(name)", hint: near.map { "did you mean `\($0)`?" })
          }
          interpreter.output(text + "\n")
          return .void
        }),
      Builtin(
        "macroexpand", "(macroexpand 'form)",
        "The form with its head macro expanded until it is not a macro call.",
        unary: { [unowned interpreter] (v: Value) throws(LispError) -> Value in
          try interpreter.compiler.expandHead(v, Scope(parent: nil, isToplevel: true), at: 0)
        }),
      Builtin(
        "eval", "(eval form)", "Evaluates a form (data) at top level.",
        unary: { [unowned interpreter] (v: Value) throws(LispError) -> Value in
          try interpreter.evaluate([
            Reader.Form(value: v, location: SourceLocation(file: "<eval>", line: 1, column: 1))
          ])
        }),
      Builtin(
        "read-string", "(read-string text)", "The first form in text, as data.",
        unary: { (v: Value) throws(LispError) -> Value in
          var reader = Reader(try Arguments.string(v, "read-string"), file: "<read-string>")
          return try reader.next()?.value ?? .null
        }),
      Builtin(
        "load", "(load path)",
        "Reads and evaluates a file; relative paths start at the loading file's folder.",
        unary: { [unowned interpreter] (v: Value) throws(LispError) -> Value in
          try interpreter.load(path: try Arguments.string(v, "load", "path"))
        }),
      Builtin("identity", "(identity x)", "x itself.", unary: { v in v }),
      Builtin(
        "apropos", "(apropos text)",
        "The sorted list of defined names (builtins, macros, special forms, globals) containing text.",
        unary: { [unowned interpreter] (v: Value) throws(LispError) -> Value in
          let text = try Arguments.string(v, "apropos")
          return Value.list(
            interpreter.definedNames.filter { text.isEmpty || $0.contains(text) }.map { Value($0) })
        }),
    ]
  }
}
