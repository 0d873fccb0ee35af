import Foundation
import Testing

/// The limits a runaway or hostile program meets: the memory budget, the step budget of a
/// notebook block.
@Suite struct LimitTests {
  @Test func aProgramThatGrowsWithoutEndStopsAtItsMemoryBudget() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let grow = try folder.write("grow.kelp", "(define (grow acc) (grow (cons (range 1000) acc)))\n(grow nil)\n")
    let run = try runKelp(["run", grow, "--max-memory", "150Mi"], timeout: 60)
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("grow.kelp:1:32: error (limit exceeded): memory budget of 150 MiB exceeded ("), "\(run)")
    #expect(run.stderr.contains("hint: raise it with --max-memory, or look for data that grows without end"), "\(run)")

    let doubling = try folder.write(
      "double.kelp", "(define (doubled s n) (if (= n 0) s (doubled (string-append s s) (- n 1))))\n(doubled \"x\" 30)\n")
    let big = try runKelp(["run", doubling, "--max-memory", "200Mi"], timeout: 60)
    #expect(big.status == 1, "\(big)")
    #expect(big.stderr.contains("more asked for)"), "\(big)")

    let bad = try runKelp(["run", grow, "--max-memory", "lots"])
    #expect(bad.status != 0 && bad.stderr.contains("--max-memory wants a size such as 512Mi or 2Gi, got \"lots\""), "\(bad)")
  }

  @Test func aRunawayNotebookBlockFailsAloneAndTheNextBlocksRun() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let lesson = try folder.write("loop.md", """
      # A loop that never ends

      ```kelp {allow-error}
      (define (spin n) (spin (+ n 1)))
      (spin 0)
      ```

      ```kelp
      (+ 1 2)
      ```

      """)
    let update = try runKelp(["notebook", "update", lesson], timeout: 60)
    #expect(update.status == 0, "\(update)")
    let text = try String(contentsOfFile: lesson, encoding: .utf8)
    #expect(text.contains("error (limit exceeded): step budget of 10000000 calls exhausted"), "\(text)")
    #expect(text.contains("```output\n3\n```"), "\(text)")
  }
}
