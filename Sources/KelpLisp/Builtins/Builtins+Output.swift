extension Builtins {
  static func output(_ interpreter: Interpreter) -> [Builtin] {
    func printer(_ name: String, _ doc: String, readable: Bool, newline: Bool) -> Builtin {
      Builtin(
        name, "(\(name) x...)", doc, atLeast: 0,
        { [unowned interpreter] args in
          var text = args.map { readable ? $0.written : $0.displayed }.joined(separator: " ")
          if newline { text += "\n" }
          interpreter.output(text)
          return .void
        })
    }
    return [
      printer(
        "display", "Prints the values for people (strings without quotes), separated by spaces.",
        readable: false, newline: false),
      printer("print", "Like display.", readable: false, newline: false),
      printer("println", "Like display, then a newline.", readable: false, newline: true),
      printer(
        "write", "Prints the values readably (strings quoted), separated by spaces.",
        readable: true, newline: false),
      printer("writeln", "Like write, then a newline.", readable: true, newline: true),
      Builtin(
        "newline", "(newline)", "Prints a newline.", arity: 0...0,
        { [unowned interpreter] _ in
          interpreter.output("\n")
          return .void
        }),
      Builtin(
        "repr", "(repr x)", "The readable text of x, as the REPL shows it.",
        unary: { v in Value(v.written) }),
    ]
  }
}
