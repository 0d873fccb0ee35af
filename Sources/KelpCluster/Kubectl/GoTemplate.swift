import OrderedCollections

/// kubectl's Go templates (`-o go-template=…`, `-o template=…`, `--template`) as Go's
/// text/template runs them for kubectl 1.32's GoTemplatePrinter: the object goes through
/// apimachinery's JSON decoding into `map[string]interface{}`, where whole numbers are int64 and
/// others float64 (so `eq .spec.replicas 3` holds and `gt .spec.replicas 2.0` is a type error,
/// as in kubectl); missing keys print `<no value>` (`--allow-missing-template-keys` defaults to true); the
/// functions are text/template's builtins plus kubectl's `exists` and `base64decode`.
///
/// Not supported: `define`, `template` and `block` (a printer template is one template), method
/// calls, and char constants; each is a parse error that says so.
struct GoTemplate {
  let source: String
  let body: [Node]

  indirect enum Node {
    case text(String)
    case action(Pipeline)
    case conditional(Pipeline, then: [Node], otherwise: [Node])  // if
    case with(Pipeline, then: [Node], otherwise: [Node])
    case range(Pipeline, body: [Node], otherwise: [Node])
    case breakLoop, continueLoop
  }

  /// `$x := a | b arg`: declared variables, and commands whose results feed the next's last
  /// argument.
  struct Pipeline {
    var variables: [String] = []
    var isAssignment = false  // `=` rather than `:=`
    var commands: [Command] = []
    let position: Position
  }

  struct Command {
    var operands: [Operand]
    var arguments: [Argument]
    let text: String  // as written, for `executing "output" at <…>`
    let position: Position
  }

  /// An operand with how it was written and where, for errors about it.
  struct Argument {
    let operand: Operand
    let text: String
    let position: Position
  }

  indirect enum Operand {
    case dot(fields: [String])  // `.` or `.a.b`
    case variable(String, fields: [String])  // `$`, `$x.a`
    case function(String)
    case literal(JSONValue)  // strings, numbers (ints stay .int), true, false, nil
    case pipeline(Pipeline, fields: [String])  // `(…)` and `(…).a`
  }

  /// Where a node starts: its line and its byte offset in that line, as Go's ErrorContext says.
  struct Position {
    let line: Int
    let column: Int
  }

  struct Failure: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }

  static let functions: Set<String> = [
    "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le",
    "gt", "ge", "exists", "base64decode", "html", "js", "urlquery", "slice",
  ]

  init(_ source: String) throws(KubectlError) {
    self.source = source
    do throws(Failure) {
      var parser = Parser(source)
      body = try parser.document()
    } catch {
      throw KubectlError("error: error parsing template \(source), template: output:\(error.message)")
    }
  }

  /// The text the template makes of `object`, or kubectl's report of where execution failed.
  func render(_ object: JSONValue) throws(KubectlError) -> String {
    let data = object
    var run = Run(root: data)
    do throws(Failure) {
      try run.execute(body, dot: data)
      return run.output
    } catch {
      let message = "template: output:\(error.message)"
      // kubectl writes what was printed before the failure and a debugging dump to the output,
      // then fails with the error.
      throw KubectlError(
        run.output
          + "Error executing template: \(message). Printing more information for debugging the template:\n"
          + "\ttemplate was:\n\t\t\(source)\n"
          + "\traw data was:\n\t\t\(JSONPath.GoFormat.json(object))\n"
          + "\tobject given to template engine was:\n\t\t\(JSONPath.GoFormat.dump(data, syntax: false))\n\n"
          + "error: error executing template \(JSONPath.GoFormat.quoted(source, json: false)): \(message)")
    }
  }
}
