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

/// The documentation's manifests of the workload kinds are each applied and checked by
/// `scenarios/workloads/documentation-examples.kelp`; a file of those kinds it does not name is
/// a gap this test reports.
@Suite struct DocumentationExamplesTests {
  static let kinds = [
    "Deployment", "ReplicaSet", "DaemonSet", "Job", "CronJob", "HorizontalPodAutoscaler",
  ]

  @Test func everyWorkloadManifestOfTheDocumentationIsChecked() throws {
    let examples = SpecFile.folder("../../shared/k8s-examples")
    let scenario = try String(
      contentsOfFile: ScenarioTests.root + "/workloads/documentation-examples.kelp",
      encoding: .utf8)
    let files = FileManager.default.enumerator(atPath: examples)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
    var checked = 0
    for file in files {
      let text = try String(contentsOfFile: examples + "/" + file, encoding: .utf8)
      let declaresWorkload = DocumentationExamplesTests.kinds.contains { kind in
        text.contains("kind: \(kind)\n") || text.contains("kind: \"\(kind)\"")
      }
      guard declaresWorkload else { continue }
      checked += 1
      #expect(scenario.contains("\"\(file)\""), "\(file) is not checked by documentation-examples.kelp")
    }
    #expect(checked >= 20, "found \(checked) workload manifests under \(examples)")
  }
}
