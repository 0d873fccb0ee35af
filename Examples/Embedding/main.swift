// A Swift program that embeds Kelp: the example docs/embedding.md walks through.
// Build and run it with: swift run kelp-embedding-example
import KelpLisp

// 1. An interpreter, with the standard library loaded.
let kelp = Interpreter()

// 2. Capture what Kelp prints instead of writing it to standard output.
var transcript = ""
kelp.output = { transcript += $0 }

// 3. A Swift function as a Kelp builtin: name, usage line, doc string, arity, body. Bodies
//    throw `LispError`, so the closure spells out its type.
kelp.define(
  Builtin(
    "pod-count", "(pod-count node)", "How many pods run on node (from the host).",
    unary: {
      (node: Value) throws(LispError) -> Value in
      guard case .string(let name) = node else {
        throw LispError(.type, "pod-count: expected a string, got \(node.written)")
      }
      return .int(name.value == "node-1" ? 3 : 0)
    }))

// 4. Values cross both ways: Swift builds them, Kelp returns them.
kelp.define("nodes", .list([Value("node-1"), Value("node-2")]))

do {
  let total = try kelp.evaluate(
    """
    (define (total-pods) (reduce + 0 (map pod-count nodes)))
    (println "pods:" (total-pods))
    {:nodes (length nodes) :pods (total-pods)}
    """, file: "embedded.kelp")
  // Maps print in insertion order; `written` is the REPL's readable form.
  print(transcript, terminator: "")
  print("result:", total.written)
  if case .map(let map) = total, case .int(let pods)? = map.get(.keyword("pods")) {
    print("pods as a Swift Int:", pods)
  }
  // Calling a Kelp procedure from Swift.
  if let procedure = kelp.lookup("total-pods") {
    print("called from Swift:", try kelp.call(procedure, []).written)
  }
  // Errors are values with a location and a hint, rendered in one place.
  _ = try kelp.evaluate("(pod-count 42)", file: "bad.kelp")
} catch {
  print(ErrorRenderer.render(error))
}
