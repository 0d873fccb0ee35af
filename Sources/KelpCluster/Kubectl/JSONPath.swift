import OrderedCollections

/// kubectl's JSONPath templates (`-o jsonpath=…`) as k8s.io/client-go/util/jsonpath runs them in
/// kubectl 1.32. Text outside `{}` prints as written; each action prints its results separated by
/// single spaces: strings bare, maps and lists as compact JSON with sorted keys, null as Go prints
/// nil (`<nil>`). kubectl allows missing keys (`--allow-missing-template-keys` defaults to true),
/// so a path that finds nothing prints nothing.
struct JSONPath {
  let template: String
  let allowMissingKeys: Bool
  /// One node list per literal text or `{…}` action, in template order.
  let segments: [[Node]]

  indirect enum Node {
    case text(String)
    case int(Int), float(Double), bool(Bool)
    case identifier(String)  // `range` and `end`
    case field(String)
    case wildcard  // `.*`: every value of a map or list
    case recursive  // `..`: the value and every map and list under it
    /// `[i]`, `[a:b]`, `[a:b:c]`, `[*]`; `single` marks `[i]`, whose end i+1 is derived.
    case slice(start: Int?, end: Int?, step: Int?, single: Bool)
    case filter(left: [Node], op: String, right: [Node])  // op "exists" for `[?(@.a)]`
    case union([[Node]])
  }

  init(_ template: String, allowMissingKeys: Bool = true) throws(KubectlError) {
    self.template = template
    self.allowMissingKeys = allowMissingKeys
    var parser = Parser(template)
    do throws(Failure) {
      segments = try parser.segments()
    } catch {
      throw KubectlError("error: error parsing jsonpath \(template), \(error.message)")
    }
  }

  func render(_ value: JSONValue) throws(KubectlError) -> String {
    try results(value).map { $0.map(GoFormat.text).joined(separator: " ") }.joined()
  }

  /// Each value found, printed as Go's %v prints it (`map[app:web]`, `[a b]`), joined with
  /// commas: a cell of `-o custom-columns`; `<none>` when nothing is found.
  func cell(_ value: JSONValue) throws(KubectlError) -> String {
    let found = try results(value).flatMap { $0 }
    if found.isEmpty { return "<none>" }
    return found.map { GoFormat.dump($0, syntax: false) }.joined(separator: ",")
  }

  private func results(_ value: JSONValue) throws(KubectlError) -> [[JSONValue]] {
    var run = Run(segments: segments, allowMissingKeys: allowMissingKeys)
    do throws(Failure) {
      return try run.results(for: value, from: 0)
    } catch {
      // kubectl's printer wraps the engine's error with the template and a Go dump of the input.
      throw KubectlError(
        "error: error executing jsonpath \(GoFormat.quoted(template, json: false)): "
          + "Error executing template: \(error.message). "
          + "Printing more information for debugging the template:\n"
          + "\ttemplate was:\n\t\t\(template)\n"
          + "\tobject given to jsonpath engine was:\n\t\t\(GoFormat.dump(value, syntax: true))")
    }
  }
}

extension JSONPath {
  /// A parse or execution error, in the engine's words; `init` and `render` wrap it as kubectl.
  struct Failure: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }

  static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
    String(String.UnicodeScalarView(scalars))
  }
}
