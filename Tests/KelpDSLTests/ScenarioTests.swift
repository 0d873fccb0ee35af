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
