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

  @Test func aRunawayScriptStopsAtItsTimeoutWithStatus124() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let spin = try folder.write("spin.kelp", "(define (spin n) (spin (+ n 1)))\n(spin 0)\n")
    let run = try runKelp(["run", spin, "--timeout", "1s"], timeout: 15)
    #expect(!run.timedOut && run.status == 124, "\(run)")
    #expect(
      run.stderr.contains("kelp: stopped after the --timeout of 1s (wall-clock time); raise it or find the loop"),
      "\(run)")

    let tests = try folder.write("spin_test.kelp", """
      (define (spin n) (spin (+ n 1)))
      (deftest "quick" (assert (= 1 1)))
      (deftest "endless" (spin 0))
      (deftest "never reached" (assert (= 1 1)))
      """)
    let test = try runKelp(["test", tests, "--timeout", "1s"], timeout: 15)
    #expect(test.status == 124, "\(test)")
    #expect(test.stdout.hasPrefix("✔ quick"), "\(test)")
    #expect(!test.stdout.contains("never reached"), "\(test)")
    #expect(test.stderr.contains("--timeout of 1s"), "\(test)")

    let bad = try runKelp(["run", spin, "--timeout", "soon"])
    #expect(bad.status == 64 || bad.status == 2, "\(bad)")
    #expect(bad.stderr.contains("--timeout wants a duration such as 30s or 2m, got \"soon\""), "\(bad)")
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
    let run = try runKelp(["test", "examples"], in: KelpBinary.repositoryRoot, timeout: 120)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.hasSuffix("10 passed, 0 failed\n"), "\(run)")
  }
}

/// Set-up and tear-down, skipping and tags, the timeline of a failure, and chaos's replay.
extension TestCommandTests {
  static let organised = """
    (before-each (deployment "web" :image "nginx:1.25" :replicas 2))
    (after-each (println "tear-down"))
    (deftest "the set-up ran on a fresh cluster" :tags ["fast"]
      (eventually (= 2 (length (pods :selector "app=web"))) :within "10s"))
    (deftest "not yet" :skip "waiting for a fix" (assert #f "never runs"))
    (deftest "an hour" :tags ["slow"] (advance "1h"))
    """

  @Test func setUpTearDownSkipAndTags() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("organised_test.kelp", TestCommandTests.organised)
    let junit = folder.path + "/report.xml"
    let all = try runKelp(["test", file, "--junit", junit])
    #expect(all.status == 0, "\(all)")
    #expect(all.stdout.contains("tear-down\n✔ the set-up ran on a fresh cluster  (virtual 0s"), "\(all)")
    #expect(all.stdout.contains("- not yet  (skipped: waiting for a fix)\n"), "\(all)")
    #expect(all.stdout.contains("✔ an hour  (virtual 3600s"), "\(all)")
    #expect(all.stdout.hasSuffix("2 passed, 0 failed, 1 skipped\n"), "\(all)")
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(xml.contains("<testsuites name=\"kelp\" tests=\"3\" failures=\"0\" skipped=\"1\">"))
    #expect(xml.contains("<skipped message=\"waiting for a fix\"/>"))

    let fast = try runKelp(["test", file, "--tag", "fast"])
    #expect(fast.stdout.contains("- an hour  (skipped: not tagged fast)\n"), "\(fast)")
    #expect(fast.stdout.hasSuffix("1 passed, 0 failed, 2 skipped\n"), "\(fast)")
    let notSlow = try runKelp(["test", file, "--exclude-tag", "slow"])
    #expect(notSlow.stdout.contains("- an hour  (skipped: tagged slow)\n"), "\(notSlow)")
  }

  @Test func aTestCanGoOnWithTheClusterAsItIs() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("shared_test.kelp", """
      (cluster :nodes 5 :seed 3)
      (deftest "uses the file's cluster" :fresh #f
        (assert (= 5 (length (nodes))) "five nodes")
        (deployment "web" :image "nginx:1.25" :replicas 2)
        (advance "1m"))
      (deftest "goes on from there" :fresh #f
        (assert (= 2 (length (pods))) "the web pods are still there")
        (assert (= 60 (now)) "a minute in"))
      (deftest "fresh by default"
        (assert (= 3 (length (nodes))) "three nodes"))
      """)
    let run = try runKelp(["test", file])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("✔ uses the file's cluster  (virtual 60s"), "\(run)")
    #expect(run.stdout.contains("✔ goes on from there  (virtual 0s"), "\(run)")
    #expect(run.stdout.hasSuffix("3 passed, 0 failed\n"), "\(run)")
  }

  @Test func eachFileStartsCleanAndKeepsItsOwnInvariants() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    _ = try folder.write("a_test.kelp", """
      (deployment "marker" :image "nginx:1.25")
      (deftest "a" :fresh #f (assert (get-object "Deployment" "marker") "made here"))
      """)
    _ = try folder.write("b_test.kelp", """
      (invariant "never true" #f)
      (deftest "b sees nothing of a" :fresh #f
        (assert (not (get-object "Deployment" "marker")) "a's Deployment leaked"))
      (deftest "the file's invariant holds under chaos"
        (deployment "web" :image "nginx:1.25")
        (chaos :faults ["kill-pod"] :every "1m" :for "2m" :seed 1))
      """)
    let run = try runKelp(["test", folder.path])
    #expect(run.stdout.contains("✔ a  (virtual"), "\(run)")
    #expect(run.stdout.contains("✔ b sees nothing of a  (virtual"), "\(run)")
    #expect(run.stdout.contains("✘ the file's invariant holds under chaos"), "\(run)")
    #expect(run.stderr.contains("chaos: invariant \"never true\" broke at 0s"), "\(run)")
    #expect(run.stdout.hasSuffix("2 passed, 1 failed\n"), "\(run)")
  }

  @Test func aFailingTestShowsTheEndOfItsTimeline() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let file = try folder.write("lost_test.kelp", """
      (deftest "the node comes back by itself"
        (cluster :nodes 2 :seed 3)
        (fail-node "node-2")
        (eventually (equal? (get (last (nodes)) :status) "NotReady") :within "2m")
        (eventually (equal? (get (last (nodes)) :status) "Ready") :within "2m"))
      """)
    let run = try runKelp(["test", file])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("lost_test.kelp:5:3: error (assertion failed): eventually: "), "\(run)")
    #expect(run.stderr.contains("timeline (last 14 lines):\n"), "\(run)")
    #expect(run.stderr.contains("        0s  FAULT    fail-node node-2\n"), "\(run)")
    #expect(run.stderr.contains("       50s           node/node-2  NodeNotReady: Node node-2 status is now: NodeNotReady"), "\(run)")
  }

  /// A broken invariant under chaos names the seed and a command; running that command
  /// breaks it again at the same virtual time after the same faults.
  @Test func aChaosViolationReplaysFromItsSeed() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    _ = try folder.write("chaos_test.kelp", """
      (deftest "three ready, always"
        (cluster :nodes 3 :seed 11)
        (deployment "web" :image "nginx:1.25" :replicas 3)
        (eventually (= 3 (length (filter (lambda (p) (get p :ready)) (pods :selector "app=web")))))
        (invariant "all three ready"
          (= 3 (length (filter (lambda (p) (get p :ready)) (pods :selector "app=web")))))
        (chaos :faults [["fail-node" :for "1m"] ["crash-container" :selector "app=web"] "kill-pod"]
               :every "7m" :for "3h"))
      """)
    let first = try runKelp(["test", "chaos_test.kelp"], in: folder.url)
    #expect(first.status == 1, "\(first)")
    let report = first.stderr
    guard let broke = report.range(of: #"broke at [0-9hms.]+ \(chaos seed [0-9]+\)"#, options: .regularExpression),
      let replay = report.range(of: "replay: kelp ")
    else {
      Issue.record("no violation report: \(first)")
      return
    }
    let line = report[replay.upperBound...].prefix { $0 != "\n" }
    // Shell words, as the report quotes them.
    var words: [String] = []
    var word = ""
    var quoted = false
    for character in line {
      if character == "'" { quoted.toggle() } else if character == " " && !quoted {
        if !word.isEmpty { words.append(word) }
        word = ""
      } else { word.append(character) }
    }
    words.append(word)
    #expect(words.first == "test" && words.contains("--chaos-seed"), "\(words)")
    let again = try runKelp(words, in: folder.url)
    #expect(again.status == 1, "\(again)")
    #expect(again.stderr.contains(report[broke]), "\(again)")
    let faults = { (text: String) in
      text.components(separatedBy: "faults so far:\n").last?.components(separatedBy: "replay:").first
    }
    #expect(faults(again.stderr) == faults(report))
    #expect(faults(report)?.contains("  ") == true)
  }
}
