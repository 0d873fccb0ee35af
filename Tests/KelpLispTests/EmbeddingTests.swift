import Foundation
import KelpLisp
import Testing

/// The public Swift API that docs/embedding.md describes.
@Suite struct EmbeddingTests {
  @Test func aSwiftFunctionBecomesABuiltinThatKelpCodeCalls() throws {
    let kelp = Interpreter()
    kelp.define(
      Builtin(
        "double", "(double n)", "Twice n.",
        unary: { (value: Value) throws(LispError) -> Value in
          guard case .int(let n) = value else {
            throw LispError(.type, "double: expected an integer")
          }
          return .int(n * 2)
        }))
    let result = try kelp.evaluate("(map double [1 2 3])", file: "test.kelp")
    #expect(result.written == "(2 4 6)")
    let documentation = kelp.documentation(for: "double")
    #expect(documentation == "(double n)\n  Twice n.")
  }

  @Test func valuesCrossBetweenSwiftAndKelpBothWays() throws {
    let kelp = Interpreter()
    kelp.define("pods", .vector(VectorBox([Value("web-1"), Value("web-2")])))
    let value = try kelp.evaluate("{:count (length pods) :first (first pods)}")
    guard case .map(let map) = value else {
      Issue.record("expected a map, got \(value.written)")
      return
    }
    #expect(map.get(.keyword("count")) == .int(2))
    #expect(map.get(.keyword("first"))?.displayed == "web-1")
    #expect(value.written == "{:count 2 :first \"web-1\"}")
  }

  @Test func swiftCallsAKelpProcedure() throws {
    let kelp = Interpreter()
    _ = try kelp.evaluate("(define (greet name) (str \"hello, \" name))")
    let greet = try #require(kelp.lookup("greet"))
    #expect(try kelp.call(greet, [Value("kelp")]).displayed == "hello, kelp")
  }

  @Test func outputIsCapturedThroughTheOutputHook() throws {
    let kelp = Interpreter()
    var printed = ""
    kelp.output = { printed += $0 }
    _ = try kelp.evaluate("(println \"a\" 1) (display :k)")
    #expect(printed == "a 1\n:k")
  }

  @Test func errorsCarryTheirLocationAndRenderInOnePlace() {
    let kelp = Interpreter()
    do {
      _ = try kelp.evaluate("(define replicas 3)\n(+ 1\n   replicaz)", file: "scale.kelp")
      Issue.record("expected an error")
    } catch {
      #expect(error.kind == .unbound)
      #expect(error.location == SourceLocation(file: "scale.kelp", line: 2, column: 1))
      #expect(
        ErrorRenderer.render(error)
          == "scale.kelp:2:1: error (unbound name): replicaz is not defined\n  hint: did you mean `replicas`?"
      )
    }
  }

  @Test func theInterruptFlagStopsARunningProgram() throws {
    let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    defer { flag.deallocate() }
    flag.initialize(to: 0)
    let kelp = Interpreter(interruptFlag: flag)
    // A builtin that raises the flag, as a SIGINT handler would, from inside the loop.
    kelp.define(
      Builtin("press-ctrl-c", "(press-ctrl-c)", "Sets the interrupt flag.", arity: 0...0) { _ in
        flag.pointee = 1
        return .void
      })
    do {
      _ = try kelp.evaluate("(let loop ((i 0)) (when (= i 1000) (press-ctrl-c)) (loop (+ i 1)))")
      Issue.record("expected the loop to be interrupted")
    } catch {
      #expect(error.kind == .interrupted)
    }
    #expect(flag.pointee == 0)
    #expect(try kelp.evaluate("(+ 1 1)") == .int(2))
  }

  @Test func aStepBudgetStopsARunawayLoop() {
    var options = Interpreter.Options()
    options.maxSteps = 10_000
    let kelp = Interpreter(options: options)
    #expect(throws: LispError.self) { try kelp.evaluate("(let loop () (loop))") }
  }

  @Test func deepRecursionIsAnErrorNotACrash() {
    let kelp = Interpreter()
    do {
      _ = try kelp.evaluate("(define (f n) (+ 1 (f (- n 1)))) (f 1000000)")
      Issue.record("expected stack depth exceeded")
    } catch {
      #expect(error.kind == .stackDepth)
      #expect(ErrorRenderer.render(error).contains("in f at <input>:1:20 ("))
    }
  }
}

/// docs/language.md lists every name a program starts with.
@Suite struct DocumentationTests {
  @Test func everyDefinedNameIsInTheLanguageReference() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/language.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let missing = Interpreter().definedNames.filter {
      $0 != "*command-line-args*" && !text.contains("| `\($0)` |")
    }
    #expect(missing == [], "regenerate the table with docs/tools/builtins-table.sh")
  }

  @Test func everyBuiltinHasAUsageLineAndADocString() {
    let kelp = Interpreter()
    for name in kelp.definedNames where name != "*command-line-args*" {
      let text = kelp.documentation(for: name) ?? ""
      let lines = text.split(separator: "\n")
      #expect(lines.count >= 2, "\(name) has no doc string")
      #expect(!text.contains("no documentation"), "\(name) has no doc string")
    }
  }
}
