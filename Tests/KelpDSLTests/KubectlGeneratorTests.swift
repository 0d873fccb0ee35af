import Foundation
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// `kubectl create … --dry-run=client -o yaml` in Kelp prints what kubectl 1.32 prints. The
/// fixtures in Tests/fixtures/kubectl-create were recorded from /usr/bin/kubectl (v1.32.4) by
/// its record.sh: one command line per line of commands.txt, its output in NN.out.
@Suite struct KubectlGeneratorTests {
  static let folder = SpecFile.folder("fixtures/kubectl-create")

  static var commands: [String] {
    let text = (try? String(contentsOfFile: folder + "/commands.txt", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  @Test func thereAreAtLeastFifteen() {
    #expect(KubectlGeneratorTests.commands.count >= 15)
  }

  @Test(arguments: Array(KubectlGeneratorTests.commands.enumerated()))
  func generatorMatchesKubectl(_ numbered: (offset: Int, element: String)) throws {
    let file = KubectlGeneratorTests.folder + String(format: "/%02d.out", numbered.offset + 1)
    let expected = try String(contentsOfFile: file, encoding: .utf8)
    let interpreter = Interpreter()
    ClusterSession.install(into: interpreter)
    let line = numbered.element.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    let value: Value
    do {
      value = try interpreter.evaluate("(kubectl \"\(line)\")")
    } catch {
      Issue.record("kubectl \(numbered.element): \(error)")
      return
    }
    guard case .string(let text) = value else {
      Issue.record("kubectl \(numbered.element) returned \(value.written)")
      return
    }
    #expect(text.value == expected, "kubectl \(numbered.element)")
  }
}
