import Foundation
import Testing

/// `kelp test`: discovery, a line per test, the summary, the exit code, JUnit XML.
@Suite struct TestCommandTests {
  static let passing = """
    (deftest "a pod becomes ready"
      (pod "web" :image "nginx:1.25")
      (eventually (get (first (pods)) :ready) :within "1m"))
    (deftest "seeded" :seed 7
      (assert (= 3 (length (nodes))) "three nodes"))
    """

  static let failing = """
    (deftest "never ready"
      (pod "bad" :image "nginx:9.9-does-not-exist" :command ["exit" "1"])
      (eventually (get (first (pods)) :ready) :within "30s"))
    """

  @Test func aFolderRunsEveryTestAndReportsEachWithTheSummary() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    try folder.write("web_test.kelp", TestCommandTests.passing)
    try folder.write("broken.kelp", TestCommandTests.failing)
    try folder.write("helper.kelp", "(define x 1)")
    let junit = folder.path + "/report.xml"
    let run = try runKelp(["test", folder.path, "--junit", junit])
    #expect(run.status == 1, "\(run)")
    #expect(run.stdout.contains("✔ a pod becomes ready  (virtual 2.441s"), "\(run)")
    #expect(run.stdout.contains("✔ seeded  (virtual 0s"), "\(run)")
    #expect(run.stdout.contains("✘ never ready  (virtual 30s"), "\(run)")
    #expect(run.stdout.hasSuffix("2 passed, 1 failed\n"), "\(run)")
    // The failure says what, where and what was last seen.
    #expect(run.stderr.contains("broken.kelp:3:3: error (assertion failed): eventually: "), "\(run)")
    #expect(run.stderr.contains("was still #f after 30s"), "\(run)")
    // The JUnit report parses as XML (Python's parser) with the right counts.
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    python.arguments = [
      "-c",
      "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
        + "print(r.get('tests'), r.get('failures'), len(r.findall('.//testcase')), "
        + "len(r.findall('.//failure')))",
      junit,
    ]
    let output = Pipe()
    python.standardOutput = output
    try python.run()
    python.waitUntilExit()
    let counts = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(python.terminationStatus == 0)
    #expect(counts == "3 1 3 1\n")
  }

  @Test func filterAndExitCodeZeroWhenAllPass() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("web_test.kelp", TestCommandTests.passing)
    let run = try runKelp(["test", file, "--filter", "seeded"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "✔ seeded  (virtual 0s, wall \(wallOf(run.stdout)) ms)\n1 passed, 0 failed\n")
  }

  @Test func aDeftestInAScriptRunsAtOnceAndAFailureExitsOne() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("script.kelp", TestCommandTests.passing + "\n" + TestCommandTests.failing)
    let run = try runKelp(["run", file])
    #expect(run.status == 1, "\(run)")
    #expect(run.stdout == "✔ a pod becomes ready\n✔ seeded\n", "\(run)")
    #expect(run.stderr.contains("eventually: "), "\(run)")
  }

  /// The wall-time figure of the first line, which varies.
  func wallOf(_ output: String) -> String {
    guard let start = output.range(of: "wall "), let end = output.range(of: " ms)") else {
      return "?"
    }
    return String(output[start.upperBound..<end.lowerBound])
  }
}

extension TestCommandTests {
  @Test func theSharedTestingContractPasses() throws {
    let contract = KelpBinary.repositoryRoot.appendingPathComponent("../shared/contract")
      .standardizedFileURL
    guard FileManager.default.fileExists(atPath: contract.path + "/testing.kelp") else {
      Issue.record("this test needs the shared folder next to the repository")
      return
    }
    let run = try runKelp(["test", "testing.kelp"], in: contract)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.hasSuffix("1 passed, 0 failed\n"), "\(run)")
  }
}

extension TestCommandTests {
  @Test func theFailureScenarioExamplesPass() throws {
    let run = try runKelp(["test", "examples/tests"], in: KelpBinary.repositoryRoot)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.hasSuffix("7 passed, 0 failed\n"), "\(run)")
  }
}
