import Foundation
import KelpCluster
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// Broken manifests: each gives an error that says where (file:line:column) and what, and
/// leaves the cluster as it was — no object made, none changed.
@Suite struct BrokenManifestTests {
  static let folder = SpecFile.folder("fixtures/broken-manifests")

  /// Each broken file of the fixtures folder and what its error must say.
  static let cases: [(file: String, expected: String)] = [
    ("wrong-type.yaml", "wrong-type.yaml:6:3: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
    ("bad-indentation.yaml", "bad-indentation.yaml:5:2: error converting YAML to JSON: yaml: did not find expected key"),
    ("missing-field.yaml", "missing-field.yaml:7:5: spec.containers[0].image: Required value"),
    ("duplicate-keys.yaml", "duplicate-keys.yaml:7:3: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key \"mode\" already set in map"),
    ("unknown-kind.yaml", "unknown-kind.yaml:1:1: resource mapping not found for name: \"db\" namespace: \"\": no matches for kind \"StatefulSet\" in version \"apps/v1\""),
    ("missing-kind.yaml", "missing-kind.yaml:1:1: Object 'Kind' is missing in the manifest"),
    ("later-document-broken.yaml", "later-document-broken.yaml:14:5: json: cannot unmarshal string into Go struct field ServicePort.spec.ports[0].port of type int32"),
    ("not-a-map.yaml", "not-a-map.yaml:1:1: a manifest must be a map, got array"),
    ("tabs.yaml", "tabs.yaml:4:1: error converting YAML to JSON: yaml: found character that cannot start any token"),
    ("unclosed-quote.yaml", "unclosed-quote.yaml:7:1: error converting YAML to JSON: yaml: found unexpected end of stream"),
    ("invalid-name.yaml", "ConfigMap \"Web_Settings\" is invalid: metadata.name: Invalid value: \"Web_Settings\": a lowercase RFC 1123 subdomain"),
  ]

  /// The cluster as a user would compare it: every object the user made, and the store's
  /// resource version (any write moves it).
  static func state(_ session: ClusterSession) -> [String] {
    session.cluster.userManifests().map { "\($0.resource.kind) \($0.name)\n\($0.manifest.yamlText)" }
      + ["resourceVersion \(session.cluster.store.resourceVersion)"]
  }

  /// Applies a file to a cluster that already holds a ConfigMap, and returns the error.
  static func apply(_ path: String) throws -> (error: String?, unchanged: Bool) {
    let interpreter = Interpreter()
    let session = ClusterSession.install(into: interpreter)
    _ = try interpreter.evaluate(
      "(cluster :nodes 2 :seed 1) (kubectl \"create configmap keep --from-literal=a=1\") (advance \"10s\")")
    let before = state(session)
    var message: String?
    do throws(LispError) {
      _ = try interpreter.evaluate("(apply-yaml \"\(path)\")")
    } catch {
      message = error.message
    }
    return (message, state(session) == before)
  }

  @Test(arguments: BrokenManifestTests.cases.map(\.file))
  func aBrokenFileIsRefusedAndChangesNothing(_ file: String) throws {
    let expected = BrokenManifestTests.cases.first { $0.file == file }?.expected ?? ""
    let outcome = try BrokenManifestTests.apply(BrokenManifestTests.folder + "/" + file)
    #expect(outcome.error?.contains(expected) == true, "\(outcome.error ?? "no error")")
    #expect(outcome.unchanged, "\(file) changed the cluster")
  }

  @Test func binaryGarbageAndHugeDocuments() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "kelp-broken-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    // Bytes from a fixed generator: NULs and control characters in the first few.
    var state: UInt64 = 7
    let garbage = (0..<4096).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    let garbageFile = scratch.appendingPathComponent("garbage.yaml")
    try Data(garbage).write(to: garbageFile)
    let binary = try BrokenManifestTests.apply(garbageFile.path)
    #expect(binary.error?.contains("garbage.yaml:1:") == true, "\(binary.error ?? "no error")")
    #expect(binary.error?.contains("error converting YAML to JSON: yaml: control characters are not allowed") == true)
    #expect(binary.unchanged)
    // A 3 MiB ConfigMap: over the API server's 1 MiB limit.
    let hugeFile = scratch.appendingPathComponent("huge.yaml")
    try ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "
      + String(repeating: "x", count: 3 << 20) + "\n").write(to: hugeFile, atomically: true, encoding: .utf8)
    let huge = try BrokenManifestTests.apply(hugeFile.path)
    #expect(huge.error?.contains("ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes") == true)
    #expect(huge.unchanged)
    // Ten thousand documents, the last one broken: none of them is applied.
    let manyFile = scratch.appendingPathComponent("many.yaml")
    var many = (0..<10_000).map { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\($0)\n" }
      .joined(separator: "---\n")
    many += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n"
    try many.write(to: manyFile, atomically: true, encoding: .utf8)
    let long = try BrokenManifestTests.apply(manyFile.path)
    #expect(long.error?.contains("many.yaml:") == true, "\(long.error ?? "no error")")
    #expect(long.unchanged)
  }

  @Test func aFolderAppliesEveryFileInNameOrder() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "kelp-folder-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    try "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n".write(
      to: scratch.appendingPathComponent("1-namespace.yaml"), atomically: true, encoding: .utf8)
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\n".write(
      to: scratch.appendingPathComponent("2-config.yml"), atomically: true, encoding: .utf8)
    try "not a manifest".write(
      to: scratch.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    let interpreter = Interpreter()
    ClusterSession.install(into: interpreter)
    let lines = try interpreter.evaluate("(apply-yaml \"\(scratch.path)\")")
    #expect(lines.written == "(\"namespace/shop created\" \"configmap/app created\")")
    _ = try interpreter.evaluate("(kubectl \"delete namespace shop\")")
    let first = try interpreter.evaluate("(kubectl \"apply -f \(scratch.path)\")")
    #expect(first.written == "\"namespace/shop created\\nconfigmap/app created\\n\"")
    let again = try interpreter.evaluate("(kubectl \"apply -f \(scratch.path)\")")
    #expect(again.written == "\"namespace/shop unchanged\\nconfigmap/app unchanged\\n\"")
  }
}
