import Foundation
import Testing

/// Every lesson rendered to HTML and opened in headless Chromium, when the machine has it
/// (`.ci/run` installs the Debian package): the page loads with no console errors, its SVGs
/// have a box per node and a chip per pod as the HTML does, and the lessons with pictures
/// screenshot to a real PNG.
@Suite struct BrowserCheckTests {
  static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Runs Chromium headless on a page with one action (`--dump-dom`, `--screenshot=…`).
  static func chromium(_ action: String, _ page: String) throws -> (stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium!)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
      "--v=0", "--window-size=1200,2400", action, "file://" + page,
    ]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (stdout, stderr)
  }

  @Test func everyLessonLoadsInABrowser() throws {
    guard BrowserCheckTests.chromium != nil else {
      print("no Chromium on this machine: install the Debian package chromium to run the browser check")
      return
    }
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let root = KelpBinary.repositoryRoot.appendingPathComponent("examples/notebooks")
    let lessons = try FileManager.default.subpathsOfDirectory(atPath: root.path)
      .filter { $0.hasSuffix(".md") && $0.contains("/") }.sorted()
    #expect(lessons.count == 20)
    for lesson in lessons {
      let page = folder.path + "/" + lesson.replacingOccurrences(of: "/", with: "-") + ".html"
      let render = try runKelp(
        ["notebook", "render", root.appendingPathComponent(lesson).path, "-o", page], timeout: 120)
      #expect(render.status == 0, "\(lesson): \(render)")
      let html = try String(contentsOfFile: page, encoding: .utf8)
      let (dom, log) = try BrowserCheckTests.chromium("--dump-dom", page)
      #expect(dom.contains("<main>"), "\(lesson) did not load")
      #expect(!log.contains("CONSOLE"), "\(lesson) logged to the console: \(log)")
      func count(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }
      for part in ["class=\"node-box\"", "class=\"pod-chip\"", "class=\"bar\"", "class=\"mark\""] {
        #expect(count(dom, part) == count(html, part), "\(lesson): \(part)")
      }
      if count(html, "<svg ") > 0 {
        let shot = page + ".png"
        _ = try BrowserCheckTests.chromium("--screenshot=" + shot, page)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 10_000, "\(lesson): screenshot of \(png.count) bytes")
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
      }
    }
  }
}
