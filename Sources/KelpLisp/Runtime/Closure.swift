/// What the compiler knows about a `lambda`: its shape and its compiled body.
final class Lambda {
  let name: String
  let required: Int
  let hasRest: Bool
  /// Parameters plus every `let`, internal `define` and `catch` variable of the body.
  let frameSize: Int
  let body: Code
  /// The `Scope.id` of the body: see `Machine.reuse`.
  let scopeID: Int
  /// Whether the body reads variables of enclosing frames (`Scope.needsParent`).
  let needsParent: Bool
  let location: Int32
  let doc: String?
  let parameterNames: [String]

  init(
    name: String, required: Int, hasRest: Bool, frameSize: Int, body: @escaping Code,
    scopeID: Int, needsParent: Bool, location: Int32, doc: String?, parameterNames: [String]
  ) {
    self.scopeID = scopeID
    self.needsParent = needsParent
    self.name = name
    self.required = required
    self.hasRest = hasRest
    self.frameSize = frameSize
    self.body = body
    self.location = location
    self.doc = doc
    self.parameterNames = parameterNames
  }

  var usage: String {
    var parts = [name] + parameterNames.prefix(required)
    if hasRest, let rest = parameterNames.last { parts += [".", rest] }
    return "(" + parts.joined(separator: " ") + ")"
  }

  var arityText: String {
    let count = hasRest ? "at least \(required)" : "\(required)"
    return "\(count) argument\(required == 1 ? "" : "s")"
  }
}

/// A procedure made by `lambda`: its code and the frame it was created in.
public final class Closure {
  let lambda: Lambda
  let environment: Frame?

  init(_ lambda: Lambda, environment: Frame?) {
    self.lambda = lambda
    self.environment = environment
  }

  public var name: String { lambda.name }

  /// The parent for a new frame of this procedure: its environment, when the body reads it.
  @inline(__always)
  var frameParent: Frame? { lambda.needsParent ? environment : nil }
}

/// Compiled code: a Swift closure over the current frame.
typealias Code = (Frame) throws(LispError) -> Value

/// Compiled code kept in an array. Arrays (and optionals) store closures in their most general
/// form, so every call through one would pass through two conversion thunks; a struct field keeps
/// the closure's own calling convention.
struct CodeBox {
  let run: Code
  init(_ run: @escaping Code) { self.run = run }
}
