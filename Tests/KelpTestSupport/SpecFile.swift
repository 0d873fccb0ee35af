import Foundation
import KelpLisp

/// A language test written in Kelp: each form may be followed by comment lines saying what it
/// must do, and the harness checks them one by one.
///
///     (+ 1 2)
///     ; expect: 3                      the value, as the REPL writes it
///     (car 5)
///     ; expect error: car: expected    a substring of the rendered error
///     (println "hi")
///     ; expect output: hi              what the form printed (one line per comment line)
public struct SpecFile {
  public struct Failure: CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
  }

  public let path: String
  /// Sets up each fresh interpreter before the file runs (the DSL installs its builtins here).
  public var prepare: (Interpreter) -> Void = { _ in }

  public init(path: String, prepare: @escaping (Interpreter) -> Void = { _ in }) {
    self.path = path
    self.prepare = prepare
  }

  /// Every `*.kelp` file under `Tests/spec` (or another folder), as paths relative to it, sorted.
  public static func all(under root: String = SpecFile.root) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root)
    var found: [String] = []
    while let next = enumerator?.nextObject() as? String {
      if next.hasSuffix(".kelp") { found.append(next) }
    }
    return found.sorted()
  }

  public static var root: String { folder("spec") }

  /// A folder under `Tests/`.
  public static func folder(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(name).path
  }

  /// Runs the file in a fresh interpreter and returns every expectation that did not hold.
  public func run() -> [Failure] {
    guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
      return [Failure(line: 0, message: "cannot read \(path)")]
    }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let forms: [Reader.Form]
    do {
      // On a large stack, as the interpreter reads: deep nesting is part of what is tested.
      forms = try LargeStack.run { () throws(LispError) -> [Reader.Form] in
        try Reader.readAll(source, file: path)
      }
    } catch {
      // A reader error is itself checkable: the expectation follows the line of the error.
      return checkReaderError(error, lines: lines)
    }
    let interpreter = Interpreter()
    prepare(interpreter)
    var printed = ""
    interpreter.output = { printed += $0 }
    var failures: [Failure] = []
    var checked = 0
    for (index, form) in forms.enumerated() {
      let nextStart = index + 1 < forms.count ? forms[index + 1].location.line : lines.count + 1
      let expectations = Self.expectations(in: lines, from: form.endLine, before: nextStart)
      printed = ""
      let outcome: Result<Value, LispError>
      do {
        outcome = .success(try interpreter.evaluate([form]))
      } catch {
        outcome = .failure(error)
      }
      checked += expectations.count
      if expectations.isEmpty, case .failure(let error) = outcome {
        // A step with nothing to check must still succeed: a failed set-up would otherwise
        // pass unseen until some later expectation happened to depend on it.
        failures.append(
          Failure(line: form.location.line, message: "unexpected error: \(error.message)"))
      }
      failures += check(expectations, outcome, printed: printed, line: form.location.line)
    }
    if checked == 0 { failures.append(Failure(line: 0, message: "no expectations in the file")) }
    return failures
  }

  enum Expectation {
    case value(String)
    case error(String)
    case output(String)
  }

  static func expectations(in lines: [String], from first: Int, before end: Int) -> [Expectation] {
    var result: [Expectation] = []
    var line = first
    while line < end, line <= lines.count {
      let text = lines[line - 1]
      if let range = text.range(of: "; expect") {
        let rest = text[range.upperBound...]
        if let value = rest.stripping(prefix: ":") {
          result.append(.value(value))
        } else if let error = rest.stripping(prefix: " error:") {
          result.append(.error(error))
        } else if let output = rest.stripping(prefix: " output:") {
          result.append(.output(output))
        }
      }
      line += 1
    }
    return result
  }

  func check(
    _ expectations: [Expectation], _ outcome: Result<Value, LispError>, printed: String, line: Int
  ) -> [Failure] {
    var failures: [Failure] = []
    var expectedOutput: [String] = []
    for expectation in expectations {
      switch (expectation, outcome) {
      case (.value(let expected), .success(let value)):
        let shown: String
        if case .void = value { shown = "" } else { shown = value.written }
        if shown != expected {
          failures.append(Failure(line: line, message: "expected \(expected), got \(shown)"))
        }
      case (.value(let expected), .failure(let error)):
        failures.append(
          Failure(
            line: line,
            message: "expected \(expected), got the error \(ErrorRenderer.render(error))"))
      case (.error(let expected), .failure(let error)):
        let rendered = ErrorRenderer.render(error)
        if !rendered.contains(expected) {
          failures.append(
            Failure(
              line: line, message: "expected an error containing \"\(expected)\", got \(rendered)"))
        }
      case (.error(let expected), .success(let value)):
        failures.append(
          Failure(
            line: line,
            message: "expected an error containing \"\(expected)\", got the value \(value.written)")
        )
      case (.output(let text), _):
        expectedOutput.append(text)
      }
    }
    if !expectedOutput.isEmpty {
      let wanted = expectedOutput.joined(separator: "\n")
      let got = printed.hasSuffix("\n") ? String(printed.dropLast()) : printed
      if got != wanted {
        failures.append(
          Failure(
            line: line,
            message: "expected output \(wanted.debugDescription), got \(got.debugDescription)"))
      }
    }
    return failures
  }

  func checkReaderError(_ error: LispError, lines: [String]) -> [Failure] {
    let line = error.location?.line ?? 0
    let expectations = Self.expectations(in: lines, from: line, before: lines.count + 1)
    guard case .error(let expected)? = expectations.first else {
      return [
        Failure(line: line, message: "unexpected reader error: \(ErrorRenderer.render(error))")
      ]
    }
    let rendered = ErrorRenderer.render(error)
    return rendered.contains(expected)
      ? []
      : [
        Failure(
          line: line, message: "expected a reader error containing \"\(expected)\", got \(rendered)"
        )
      ]
  }
}

extension Substring {
  /// The rest after `prefix`, with one leading space dropped; nil when it does not start so.
  fileprivate func stripping(prefix: String) -> String? {
    guard hasPrefix(prefix) else { return nil }
    var rest = dropFirst(prefix.count)
    if rest.first == " " { rest = rest.dropFirst() }
    return String(rest)
  }
}
