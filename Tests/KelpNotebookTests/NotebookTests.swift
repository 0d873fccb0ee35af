import Foundation
import Testing

@testable import KelpNotebook

/// The notebook runner: outputs recorded and checked, a change shown as a diff at the right
/// line, updates that leave every other byte alone, and clear errors for broken notebooks.
@Suite struct NotebookTests {
  static let lesson = """
    # Pods

    A pod is one or more containers.

    ```kelp
    (cluster :nodes 2 :seed 1)
    (kubectl "run web --image=nginx:1.25")
    (advance "10s")
    (kubectl "get pods")
    ```

    ~~~kelp {allow-error}
    (+ 1 "two")
    ~~~

    ```kelp
    (define x 41)
    (println "hello")
    (+ x 1)
    ```

    ```output
    stale
    ```

    ```kelp {skip}
    (this is not run)
    ```

    The end.
    """

  func run(_ text: String) throws -> (Notebook, [NotebookRunner.BlockResult]) {
    let notebook = try Notebook(text: text, file: "lesson.md")
    return (notebook, NotebookRunner(path: "/tmp/lesson.md").run(notebook))
  }

  @Test func aChangedOutputIsADiffAtItsLine() throws {
    let (_, results) = try run(NotebookTests.lesson)
    let check = NotebookCheck(file: "lesson.md", results: results)
    #expect(check.blocks == 3)
    #expect(check.failures.map(\.location) == ["lesson.md:5", "lesson.md:12", "lesson.md:22"])
    #expect(
      check.failures[2].report == """
        --- lesson.md:22 (recorded)
        +++ lesson.md:22 (now)
        @@ -1,1 +1,2 @@
        -stale
        +hello
        +42

        """)
    #expect(
      check.failures[1].report.contains(
        "+error (type error): +: expected a number, got \"two\" (a string) (line 1)"))
  }

  @Test func updateThenCheckPassesAndProseStaysByteForByte() throws {
    let (notebook, results) = try run(NotebookTests.lesson)
    let updated = notebook.updated(results)
    let (again, rerun) = try run(updated)
    #expect(NotebookCheck(file: "lesson.md", results: rerun).failures.isEmpty)
    // Only output blocks changed: drop them from both texts and the rest is identical.
    func prose(_ notebook: Notebook) -> [String] {
      var lines = notebook.lines
      for block in notebook.blocks.reversed() {
        if let output = block.output {
          lines.removeSubrange((output.openingLine - 1)..<output.closingLine)
        }
      }
      return lines.filter { !$0.isEmpty }
    }
    #expect(prose(again) == prose(notebook))
    #expect(updated.hasPrefix("# Pods\n\nA pod is one or more containers.\n\n```kelp\n"))
    #expect(updated.contains("```output\nNAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          10s\n```"))
    #expect(updated.contains("```kelp {skip}\n(this is not run)\n```\n\nThe end."))
    #expect(!updated.contains("stale"))
    // A second update changes nothing.
    #expect(again.updated(rerun) == updated)
  }

  @Test func anErrorNotDeclaredFailsTheBlock() throws {
    let (_, results) = try run("```kelp\n(car 5)\n```\n")
    #expect(results[0].unexpectedError)
    #expect(results[0].output == "error (type error): car: expected a non-empty list, got 5 (an integer) (line 1)\n")
  }

  @Test func freshAndSeededBlocksStartANewSession() throws {
    let text = """
      ```kelp
      (define x 1)
      ```

      ```kelp {fresh, allow-error}
      x
      ```

      ```kelp {seed=7}
      (get (first (nodes)) :name)
      ```
      """
    let (_, results) = try run(text)
    #expect(results[1].output?.contains("x is not defined") == true)
    #expect(results[2].output == "\"node-1\"\n")
  }

  @Test func brokenNotebooksSayWhereAndWhat() {
    #expect(throws: Notebook.ParseError.self) { try Notebook(text: "x\n```kelp\n(+ 1 2)\n", file: "a.md") }
    do {
      _ = try Notebook(text: "x\n```kelp\n(+ 1 2)\n", file: "a.md")
    } catch {
      #expect(error.description == "a.md:2: the kelp block opened here is never closed: end it with a line of ```")
    }
    do {
      _ = try Notebook(text: "```kelp {fast}\n1\n```\n", file: "b.md")
    } catch {
      #expect(error.description == "b.md:1: unknown block option 'fast' (known: skip, fresh, allow-error, seed=N)")
    }
    do {
      _ = try Notebook(text: "```kelp {seed=x}\n1\n```\n", file: "c.md")
    } catch {
      #expect(error.description == "c.md:1: seed wants a whole number: seed=x")
    }
    do {
      _ = try Notebook(text: "```kelp\n1\n```\n\n```output\n1\n", file: "d.md")
    } catch {
      #expect(error.description == "d.md:5: the output block opened here is never closed: end it with a line of ```")
    }
  }

  @Test func anOutputWithFencesGetsALongerFence() throws {
    let (notebook, results) = try run("```kelp\n(display \"```\\n\")\n```\n")
    #expect(notebook.updated(results).contains("````output\n```\n````\n"))
  }

  @Test func aCRLFNotebookIsCheckedAndKeepsItsLineBreaks() throws {
    let text = "# x\r\n\r\n```kelp\r\n(+ 1 2)\r\n```\r\n\r\n```output\r\n4\r\n```\r\n"
    let (notebook, results) = try run(text)
    #expect(NotebookCheck(file: "crlf.md", results: results).failures.count == 1)
    #expect(notebook.updated(results) == text.replacingOccurrences(of: "4\r\n", with: "3\r\n"))
  }

  @Test func anIndentedKelpFenceIsRefusedClearly() {
    do {
      _ = try Notebook(text: "1. Step one:\n\n   ```kelp\n   (+ 1 2)\n   ```\n", file: "list.md")
      Issue.record("an indented kelp fence was accepted")
    } catch {
      #expect(error.description == "list.md:3: kelp blocks must start at the beginning of a line (indented fences, as in list items, are not supported)")
    }
  }

  @Test func anErrorInAnEarlierBlocksFunctionSaysWhere() throws {
    let text = """
      ```kelp
      (define (f x)
        (car x))
      ```

      ```kelp
      (f 5)
      ```
      """
    let (_, results) = try run(text)
    #expect(results[1].output?.hasPrefix("error (type error): car: expected a non-empty list, got 5 (an integer) (at lesson.md:3)\n") == true, "\(results[1].output ?? "")")
    #expect(results[1].output?.contains("in f") == true)
  }

  @Test func picturesAreCollectedAsSVGAndBigClustersByPool() throws {
    let text = """
      ```kelp
      (cluster :nodes 2 :seed 1)
      (pod "web" :image "nginx:1.25")
      (advance "5s")
      (show-cluster)
      ```

      ```kelp {fresh}
      (cluster :nodes 30 :seed 1)
      (show-cluster)
      ```
      """
    let notebook = try Notebook(text: text, file: "pictures.md")
    var runner = NotebookRunner(path: "/tmp/pictures.md")
    runner.collectPictures = true
    let results = runner.run(notebook)
    #expect(results[0].pictures.count == 1)
    let small = results[0].pictures.first ?? ""
    #expect(small.components(separatedBy: "class=\"node-box\"").count - 1 == 2)
    #expect(small.components(separatedBy: "class=\"pod-chip\"").count - 1 == 1)
    let big = results[1].pictures.first ?? ""
    #expect(big.contains("class=\"pool-box\"") && !big.contains("node-box"))
    #expect(big.contains(">pool node<") && big.contains(">30 nodes<"))
    // The Markdown output keeps the text picture.
    #expect(results[1].output?.hasPrefix("+- pool node ") == true)
    // Without collecting, no SVG is made.
    #expect(NotebookRunner(path: "/tmp/pictures.md").run(notebook)[0].pictures.isEmpty)
  }

  /// Prose that broke Ink when fuzzed renders: a list then blank lines of spaces at the end
  /// (a trap), and a line of stray `[` (exponential backtracking; they become `&#91;`, which a
  /// browser shows as `[`). Links and code keep their brackets.
  @Test func proseThatBrokeInkRenders() throws {
    let trailing = try Notebook(text: "Steps:\n\n- \n  \n", file: "list.md")
    #expect(NotebookHTML().render(trailing, []).contains("<li>"))
    let brackets = String(repeating: "[", count: 60)
    let prose = """
      \(brackets) stray, a [link](https://kubernetes.io), a [ref][k8s] and `[code]`.

      [k8s]: https://kubernetes.io/docs
      """
    let page = NotebookHTML().render(try Notebook(text: prose, file: "brackets.md"), [])
    #expect(page.contains(String(repeating: "&#91;", count: 60) + " stray"))
    #expect(page.contains("<a href=\"https://kubernetes.io\">link</a>"))
    #expect(page.contains("<a href=\"https://kubernetes.io/docs\">ref</a>"))
    #expect(page.contains("<code>[code]</code>"))
    #expect(InkInput.safe("x\n```\n[\n```\n") == "x\n```\n[\n```\n")
  }

  /// Prose on which Ink's link parser never finishes (found by fuzzing, kept in
  /// Fuzz/regressions/notebook): the page is still made, that prose as plain paragraphs.
  @Test func proseInkCannotFinishIsShownPlain() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Fuzz/regressions/notebook/link-parser-hang.md").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let notebook = try Notebook(text: text, file: "hang.md")
    let started = Date()
    let page = NotebookHTML().render(notebook, [])
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(page.contains("<p># 04"))
  }
}
