import Foundation
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// `kubectl explain` prints what kubectl 1.32 prints. The fixtures in
/// Tests/fixtures/kubectl-explain were recorded from /usr/bin/kubectl (v1.32.4) by its record.sh,
/// against a stand-in API server (fake-apiserver.py) that serves the same v1.32 schemas Kelp
/// embeds: one command line per line of commands.txt, its output and errors in NN.out.
@Suite struct KubectlExplainTests {
  static let folder = SpecFile.folder("fixtures/kubectl-explain")

  static var commands: [String] {
    let text = (try? String(contentsOfFile: folder + "/commands.txt", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  @Test func everyKindAndTheErrorsAreRecorded() {
    #expect(KubectlExplainTests.commands.count >= 30)
  }

  @Test(arguments: Array(KubectlExplainTests.commands.enumerated()))
  func explainMatchesKubectl(_ numbered: (offset: Int, element: String)) throws {
    let file = KubectlExplainTests.folder + String(format: "/%02d.out", numbered.offset + 1)
    let expected = try String(contentsOfFile: file, encoding: .utf8)
    let interpreter = Interpreter()
    ClusterSession.install(into: interpreter)
    let printed: String
    do {
      guard case .string(let text) = try interpreter.evaluate("(kubectl \"\(numbered.element)\")") else {
        Issue.record("not a string")
        return
      }
      printed = text.value
    } catch {
      // Kelp's error value drops the `error: ` kubectl prints first.
      printed = (expected.hasPrefix("error: ") ? "error: " : "") + error.message + "\n"
    }
    #expect(printed == expected, "kubectl \(numbered.element)")
  }
}
