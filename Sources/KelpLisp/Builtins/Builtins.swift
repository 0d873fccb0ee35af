/// The registry: every builtin of the language, gathered from one list per concern.
public enum Builtins {
  static func all(_ interpreter: Interpreter) -> [Builtin] {
    numbers() + predicates() + lists(interpreter) + sequences(interpreter) + strings(interpreter)
      + maps(interpreter)
      + output(interpreter) + control(interpreter)
  }
}
