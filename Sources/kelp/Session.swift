import KelpDSL
import KelpLisp

#if canImport(Glibc)
  import Glibc
#endif

/// One run of the `kelp` command: an interpreter set up for the terminal (colour, interrupts,
/// limits) and the ways to feed it — a file, standard input, an expression or the REPL.
final class Session {
  let interpreter: Interpreter
  let colorErrors: Bool
  let cluster: ClusterSession

  init(limits: Limits, home: [String]) {
    SignalHandling.install()
    interpreter = Interpreter(options: limits.options(home: home), interruptFlag: SignalHandling.interruptFlag)
    cluster = ClusterSession.install(into: interpreter)
    colorErrors = Session.wantsColor(fileDescriptor: STDERR_FILENO)
    interpreter.define(
      Builtin(
        "exit", "(exit [code])", "Ends the program with an exit code (0 by default).", arity: 0...1
      ) {
        args in
        fflush(nil)
        if case .int(let code)? = args.first { exit(Int32(truncatingIfNeeded: code)) }
        exit(args.first.map { $0.isTruthy ? 0 : 1 } ?? 0)
      })
  }

  /// How the REPL and `-e` show a value: nothing for definitions; text that ends in a newline
  /// (kubectl's tables, `explain-scheduling`) as the text itself, since it is output to read;
  /// anything else written as the reader would read it back.
  static func shown(_ value: Value) -> String? {
    switch value {
    case .void: return nil
    case .string(let box) where box.value.hasSuffix("\n"): return box.value
    default: return value.written + "\n"
    }
  }

  /// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
  static func wantsColor(fileDescriptor: Int32) -> Bool {
    isatty(fileDescriptor) != 0 && StandardStreams.environment("NO_COLOR") == nil
  }

  func report(_ error: LispError) {
    fflush(nil)
    StandardStreams.writeError(ErrorRenderer.render(error, color: colorErrors) + "\n")
  }

  /// The `--timeout` as given, for the message when it runs out.
  nonisolated(unsafe) static var timeoutText = ""

  /// What a run stopped by `--timeout` says, and its exit status (124, as timeout(1)).
  static func timeoutReport() -> Int32 {
    fflush(nil)
    StandardStreams.writeError(
      "kelp: stopped after the --timeout of \(timeoutText) (wall-clock time); raise it or find the loop\n")
    return 124
  }

  /// Runs a script; 0 when it finishes, 1 on an uncaught error, 124 when `--timeout` ran out.
  func runFile(_ path: String, arguments: [String]) -> Int32 {
    interpreter.define("*command-line-args*", Value.list(arguments.map { Value($0) }))
    do {
      try interpreter.load(path: path)
      fflush(nil)
      return 0
    } catch {
      if SignalHandling.timedOut { return Session.timeoutReport() }
      report(error)
      return 1
    }
  }

  func runStandardInput() -> Int32 {
    var source = StandardStreams.readInput()
    if source.hasPrefix("#!") { source = String(source.drop { $0 != "\n" }) }
    do {
      _ = try interpreter.evaluate(source, file: "<stdin>")
      fflush(nil)
      return 0
    } catch {
      report(error)
      return 1
    }
  }

  /// `kelp -e EXPR`: evaluates and prints the value (nothing for definitions).
  func runExpression(_ expression: String) -> Int32 {
    do {
      let value = try interpreter.evaluate(expression, file: "<-e>")
      if let shown = Session.shown(value) { print(shown, terminator: "") }
      fflush(nil)
      return 0
    } catch {
      report(error)
      return 1
    }
  }
}
