import Foundation
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// Runs every `Tests/scenarios/**/*.kelp` file with the cluster DSL installed: each is a lesson
/// in Kubernetes behaviour, checked by its `; expect` comments and its assertions.
@Suite struct ScenarioTests {
  static let root = SpecFile.folder("scenarios")

  @Test(arguments: SpecFile.all(under: ScenarioTests.root))
  func scenario(_ relativePath: String) {
    let path = ScenarioTests.root + "/" + relativePath
    let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    let file = SpecFile(path: path) { interpreter in
      ClusterSession.install(into: interpreter)
      interpreter.define("*scenario-dir*", Value(folder))
    }
    for failure in file.run() {
      Issue.record("\(relativePath):\(failure)")
    }
  }
}

/// docs/dsl.md lists every name the DSL adds.
@Suite struct DSLDocumentationTests {
  @Test func everyDSLNameIsInTheReference() throws {
    let docs = SpecFile.folder("../docs") + "/dsl.md"
    let text = try String(contentsOfFile: docs, encoding: .utf8)
    let plain = Set(Interpreter().definedNames)
    let withDSL = Interpreter()
    ClusterSession.install(into: withDSL)
    let missing = withDSL.definedNames.filter {
      !plain.contains($0) && !text.contains("| `\($0)` |")
    }
    #expect(missing == [], "regenerate the table with docs/tools/builtins-table.sh dsl")
  }
}

/// Every manifest of the Kubernetes documentation (`../shared/k8s-examples`) and of
/// kubernetes/examples (`../shared/k8s-apps`) is applied and checked by a scenario under
/// `Tests/scenarios` that names it; a file no scenario names is a gap this test reports.
@Suite struct DocumentationExamplesTests {
  @Test func everyDocumentationManifestIsCheckedByAScenario() throws {
    try expectEveryManifestNamed(under: "../../shared/k8s-examples", atLeast: 45)
  }

  /// The same for the application manifests of kubernetes/examples (`../shared/k8s-apps`).
  @Test func everyApplicationManifestIsCheckedByAScenario() throws {
    try expectEveryManifestNamed(under: "../../shared/k8s-apps", atLeast: 7)
  }

  private func expectEveryManifestNamed(under folder: String, atLeast count: Int) throws {
    let examples = SpecFile.folder(folder)
    var scenarios = ""
    for relative in SpecFile.all(under: ScenarioTests.root) {
      scenarios += try String(
        contentsOfFile: ScenarioTests.root + "/" + relative, encoding: .utf8)
    }
    let files = FileManager.default.enumerator(atPath: examples)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
    for file in files {
      #expect(scenarios.contains("\"\(file)\""), "\(file) is not applied by any scenario")
    }
    #expect(files.count >= count, "found \(files.count) manifests under \(examples)")
  }
}
