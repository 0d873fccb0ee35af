import Foundation
import KelpDSL
import KelpLisp

/// `kelp test PATH...`: finds the test files, collects their deftests, runs each on a fresh
/// cluster, prints a line per test with its virtual and wall time, and ends with
/// `N passed, N failed`; `--junit FILE` writes the report CI systems read. Exit 1 when any
/// failed.
extension Session {
  /// Test files: the files given, and in folders every `*_test.kelp` and `.kelp` file with a
  /// deftest.
  static func testFiles(_ paths: [String]) -> [String] {
    var files: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        files.append(path)  // reported as unreadable when loaded
        continue
      }
      guard isDirectory.boolValue else {
        files.append(path)
        continue
      }
      let found = (manager.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
        .filter { $0.hasSuffix(".kelp") }.sorted()
      for relative in found {
        let full = (path as NSString).appendingPathComponent(relative)
        let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? ""
        if relative.hasSuffix("_test.kelp") || text.contains("(deftest ") { files.append(full) }
      }
    }
    return files
  }

  /// Which tests run: names containing `filter`, with one of `tags` (when given), with none of
  /// `excludedTags`. Tests left out by tag, and tests marked :skip, count as skipped.
  struct TestSelection {
    var filter: String?
    var tags: [String] = []
    var excludedTags: [String] = []

    func matchesName(_ test: ClusterSession.TestCase) -> Bool {
      filter.map { test.name.contains($0) } ?? true
    }

    func skipReason(_ test: ClusterSession.TestCase) -> String? {
      if let skip = test.skip { return skip }
      if !tags.isEmpty && !test.tags.contains(where: tags.contains) {
        return "not tagged " + tags.joined(separator: " or ")
      }
      if let excluded = test.tags.first(where: excludedTags.contains) {
        return "tagged \(excluded)"
      }
      return nil
    }
  }

  /// Lines of the timeline a failing test shows.
  static let failureTimelineLines = 15

  func runTests(paths: [String], selection: TestSelection, seed: Int?, junit: String?) -> Int32 {
    var results: [ClusterSession.TestResult] = []
    var skipped: [(test: ClusterSession.TestCase, reason: String)] = []
    var loadFailures: [(file: String, error: LispError)] = []
    for file in Session.testFiles(paths) {
      cluster.collectingTests = true
      cluster.collectedTests = []
      cluster.startTestFile()
      do {
        try interpreter.load(path: file)
      } catch {
        loadFailures.append((file, error))
        print("✘ \(file): could not be loaded")
        report(error)
        continue
      }
      cluster.collectingTests = false
      for test in cluster.collectedTests where selection.matchesName(test) {
        if let reason = selection.skipReason(test) {
          skipped.append((test, reason))
          print("- \(test.name)  (skipped: \(reason))")
          continue
        }
        if SignalHandling.timedOut { break }
        var result = cluster.run(test, seed: seed)
        if result.failure != nil {
          result.timelineTail = cluster.cluster.timeline(last: Session.failureTimelineLines)
        }
        results.append(result)
        let times =
          "(virtual \(Session.seconds(result.virtualSeconds)), wall \(Int((result.wallSeconds * 1000).rounded())) ms)"
        if let failure = result.failure {
          print("✘ \(test.name)  \(times)")
          fflush(nil)
          report(failure)
          if !result.timelineTail.isEmpty {
            StandardStreams.writeError(
              "timeline (last \(result.timelineTail.count) lines):\n"
                + result.timelineTail.joined(separator: "\n") + "\n")
          }
        } else {
          print("✔ \(test.name)  \(times)")
        }
      }
    }
    if SignalHandling.timedOut {
      print("\(results.count) tests run before the --timeout")
      return Session.timeoutReport()
    }
    let failed = results.filter { $0.failure != nil }.count + loadFailures.count
    let passed = results.count - results.filter { $0.failure != nil }.count
    print("\(passed) passed, \(failed) failed" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
    fflush(nil)
    if let junit {
      let xml = Session.junitXML(results, skipped: skipped, loadFailures: loadFailures)
      do {
        try xml.write(toFile: junit, atomically: true, encoding: .utf8)
      } catch {
        StandardStreams.writeError("kelp test: cannot write \(junit): \(error.localizedDescription)\n")
        return 1
      }
    }
    return failed > 0 ? 1 : 0
  }

  static func seconds(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return rounded == rounded.rounded() ? "\(Int(rounded))s" : "\(rounded)s"
  }

  /// JUnit XML: a testsuite per file, a testcase per test (failures with their report and the
  /// timeline's tail, skipped tests with why).
  static func junitXML(
    _ results: [ClusterSession.TestResult],
    skipped: [(test: ClusterSession.TestCase, reason: String)] = [],
    loadFailures: [(file: String, error: LispError)]
  ) -> String {
    func escape(_ text: String) -> String {
      text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    var files: [String] = []
    for file in results.map(\.test.file) + skipped.map(\.test.file) where !files.contains(file) {
      files.append(file)
    }
    let failures = results.filter { $0.failure != nil }.count + loadFailures.count
    let total = results.count + skipped.count + loadFailures.count
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"kelp\" tests=\"\(total)\" failures=\"\(failures)\" skipped=\"\(skipped.count)\">\n"
    for file in files {
      let cases = results.filter { $0.test.file == file }
      let skips = skipped.filter { $0.test.file == file }
      let time = cases.reduce(0) { $0 + $1.wallSeconds }
      xml +=
        "  <testsuite name=\"\(escape(file))\" tests=\"\(cases.count + skips.count)\" failures=\"\(cases.filter { $0.failure != nil }.count)\" skipped=\"\(skips.count)\" time=\"\(time)\">\n"
      for result in cases {
        xml +=
          "    <testcase name=\"\(escape(result.test.name))\" classname=\"\(escape(file))\" time=\"\(result.wallSeconds)\""
        if let failure = result.failure {
          var text = ErrorRenderer.render(failure, color: false)
          if !result.timelineTail.isEmpty {
            text += "\ntimeline:\n" + result.timelineTail.joined(separator: "\n")
          }
          xml += ">\n      <failure message=\"\(escape(failure.message))\">\(escape(text))</failure>\n    </testcase>\n"
        } else {
          xml += "/>\n"
        }
      }
      for (test, reason) in skips {
        xml +=
          "    <testcase name=\"\(escape(test.name))\" classname=\"\(escape(file))\" time=\"0\">\n      <skipped message=\"\(escape(reason))\"/>\n    </testcase>\n"
      }
      xml += "  </testsuite>\n"
    }
    for (file, error) in loadFailures {
      xml += "  <testsuite name=\"\(escape(file))\" tests=\"1\" failures=\"1\">\n"
      xml += "    <testcase name=\"load\" classname=\"\(escape(file))\">\n"
      xml += "      <failure message=\"\(escape(error.message))\"/>\n    </testcase>\n  </testsuite>\n"
    }
    return xml + "</testsuites>\n"
  }
}
