import Foundation
import Testing

/// `kelp notebook check|update` from the command line, and every lesson under examples/.
@Suite struct NotebookCommandTests {
  static let lesson = """
    # A lesson

    ```kelp
    (define x 41)
    (+ x 1)
    ```

    ```output
    41
    ```
    """

  @Test func checkPrintsTheDiffAndExitsOneThenUpdateFixesIt() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("lesson.md", NotebookCommandTests.lesson)
    let check = try runKelp(["notebook", "check", file])
    #expect(check.status == 1, "\(check)")
    #expect(
      check.stdout == """
        --- \(file):8 (recorded)
        +++ \(file):8 (now)
        @@ -1,1 +1,1 @@
        -41
        +42
        1 blocks, 1 failed

        """, "\(check)")
    let update = try runKelp(["notebook", "update", file])
    #expect(update.status == 0, "\(update)")
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(text == NotebookCommandTests.lesson.replacingOccurrences(of: "41\n```", with: "42\n```"))
    let again = try runKelp(["notebook", "check", folder.path])
    #expect(again.status == 0, "\(again)")
    #expect(again.stdout == "1 blocks, 0 failed\n")
  }

  @Test func aDiffMasksSecretValues() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("secret.md", """
      # A secret

      ```kelp
      (cluster :nodes 1)
      (kubectl "create secret generic db --from-literal=password=pl4nted-S3CRET-value")
      (secret-value "db" "password")
      ```

      ```output
      "something else"
      ```

      """)
    let check = try runKelp(["notebook", "check", file])
    #expect(check.status == 1, "\(check)")
    #expect(!check.stdout.contains("pl4nted-S3CRET-value"), "\(check)")
    #expect(check.stdout.contains("+\"***\""), "\(check)")
  }

  @Test func aBrokenNotebookSaysWhere() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("broken.md", "# x\n\n```kelp {quick}\n(+ 1 2)\n```\n")
    let run = try runKelp(["notebook", "check", file])
    #expect(run.status == 1)
    #expect(
      run.stderr
        == "\(file):3: unknown block option 'quick' (known: skip, fresh, allow-error, seed=N)\n")
  }

  @Test func everyLessonUnderExamplesChecksClean() throws {
    let notebooks = KelpBinary.repositoryRoot.appendingPathComponent("examples/notebooks")
    let run = try runKelp(["notebook", "check", notebooks.path], timeout: 300)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.hasSuffix(" failed\n") && run.stdout.contains(", 0 failed"), "\(run)")
    let lessons = try FileManager.default.subpathsOfDirectory(atPath: notebooks.path)
      .filter { $0.hasSuffix(".md") && !$0.hasSuffix("README.md") }
    #expect(lessons.count >= 20, "\(lessons)")
  }

  /// Lessons 02, 08 and 09 rendered to HTML: one page each, self-contained, its pictures as
  /// SVG with a box per node and a chip per pod, a bar per ReplicaSet step, a mark per event.
  @Test func theLessonsWithPicturesRenderToHTML() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let lessons = KelpBinary.repositoryRoot.appendingPathComponent("examples/notebooks/en")
    func render(_ name: String) throws -> String {
      let target = folder.path + "/\(name).html"
      let run = try runKelp(
        ["notebook", "render", lessons.appendingPathComponent("\(name).md").path, "-o", target],
        timeout: 120)
      #expect(run.status == 0, "\(run)")
      #expect(run.stdout.hasSuffix(" 13 blocks, 1 pictures\n"), "\(run)")
      return try String(contentsOfFile: target, encoding: .utf8)
    }
    func count(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }
    let pod = try render("02-pod")
    #expect(pod.hasPrefix("<!DOCTYPE html><html><head><meta charset=\"UTF-8\"/><title>02 · Pods"))
    #expect(!pod.contains("<script") && !pod.contains("<link") && !pod.contains("src=\"http"))  // nothing fetched
    #expect(count(pod, "<svg ") == 1)
    #expect(count(pod, "class=\"node-box\"") == 3)
    #expect(count(pod, "class=\"pod-chip\"") >= 4)
    #expect(pod.contains("<pre class=\"kelp\"><code>(cluster <span class=\"keyword\">:nodes</span>"))
    let rollout = try render("08-deployment")
    #expect(count(rollout, "class=\"bar\"") == 18)  // 9 steps, 2 ReplicaSets
    let timeline = try render("09-self-healing-and-scaling")
    #expect(count(timeline, "class=\"mark\"") == 6)
  }
}
