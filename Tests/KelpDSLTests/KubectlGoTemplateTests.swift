import Foundation
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// `-o go-template=…` prints what kubectl 1.32 prints. The fixtures in
/// Tests/fixtures/kubectl-go-template were recorded from /usr/bin/kubectl (v1.32.4) by its
/// record.sh: each template of templates.txt applied to `kubectl create deployment web
/// --image=nginx:1.25 --replicas=3 --dry-run=client`, its output (and error) in NN.out.
@Suite struct KubectlGoTemplateTests {
  static let folder = SpecFile.folder("fixtures/kubectl-go-template")

  static var templates: [String] {
    let text = (try? String(contentsOfFile: folder + "/templates.txt", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  @Test func thereAreTemplatesForEveryFeatureAndError() {
    #expect(KubectlGoTemplateTests.templates.count >= 30)
  }

  @Test(arguments: Array(KubectlGoTemplateTests.templates.enumerated()))
  func templateMatchesKubectl(_ numbered: (offset: Int, element: String)) throws {
    let file = KubectlGoTemplateTests.folder + String(format: "/%02d.out", numbered.offset + 1)
    let expected = try String(contentsOfFile: file, encoding: .utf8)
    let interpreter = Interpreter()
    ClusterSession.install(into: interpreter)
    let line =
      "create deployment web --image=nginx:1.25 --replicas=3 --dry-run=client -o 'go-template=\(numbered.element)'"
    let source = "(kubectl \"\(line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\")"
    let printed: String
    do {
      guard case .string(let text) = try interpreter.evaluate(source) else {
        Issue.record("not a string")
        return
      }
      printed = text.value
    } catch {
      printed = error.message
    }
    #expect(
      KubectlGoTemplateTests.comparable(printed) == KubectlGoTemplateTests.comparable(expected),
      "template \(numbered.element)")
  }

  /// kubectl's debugging dump of a failed template prints the raw JSON in the typed object's
  /// field order; the rest, the Go value dump included, must match. Kelp's error value drops
  /// the leading `error: ` that kubectl prints.
  static func comparable(_ text: String) -> String {
    let text = text.hasPrefix("error: ") ? String(text.dropFirst("error: ".count)) : text
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let raw = lines.firstIndex(of: "\traw data was:") { lines.remove(at: raw + 1) }
    if let error = lines.firstIndex(where: { $0.hasPrefix("error: ") }) {
      lines = lines[...error].map { $0 }
    }
    return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
  }
}
