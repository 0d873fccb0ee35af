import Foundation
import KelpDSL
import KelpLisp
import KelpTestSupport
import Testing

/// A Secret's value never shows in clear on an output surface — kubectl's describe, logs,
/// events and errors, `(events)`, `(timeline)` — unless asked for by name with `secret-value`.
@Suite struct SecretRedactionTests {
  static let planted = "pl4nted-S3CRET-value"

  /// A cluster with the planted Secret and a pod whose command prints the same text to its log.
  func session() throws -> Interpreter {
    let interpreter = Interpreter()
    ClusterSession.install(into: interpreter)
    _ = try interpreter.evaluate("""
      (cluster :nodes 1 :seed 3)
      (kubectl "create secret generic db --from-literal=password=\(SecretRedactionTests.planted)")
      (apply-manifest
        {:apiVersion "v1" :kind "Pod" :metadata {:name "leaky"}
         :spec {:restartPolicy "Never"
                :containers [{:name "app" :image "busybox:1.36"
                              :command ["sh" "-c" "echo the password is \\"\(SecretRedactionTests.planted)\\""]
                              :env [{:name "PASSWORD"
                                     :valueFrom {:secretKeyRef {:name "db" :key "password"}}}]}]}})
      (advance "30s")
      """)
    return interpreter
  }

  func text(_ interpreter: Interpreter, _ source: String) -> String {
    do {
      return try interpreter.evaluate(source).displayed
    } catch {
      return "\(error.message)"
    }
  }

  @Test func everyOutputSurfaceMasksThePlantedSecret() throws {
    let interpreter = try session()
    let surfaces = [
      "(kubectl \"logs leaky\")", "(kubectl \"describe secret db\")",
      "(kubectl \"describe pod leaky\")", "(kubectl \"get events\")", "(kubectl \"events\")",
      "(str (events))", "(timeline)", "(kubectl \"get pod \(SecretRedactionTests.planted)\")",
      "(kubectl \"describe configmap \(SecretRedactionTests.planted)\")",
      "(kubectl \"logs leaky -c \(SecretRedactionTests.planted)\")",
    ]
    for surface in surfaces {
      let shown = text(interpreter, surface)
      #expect(!shown.contains(SecretRedactionTests.planted), "\(surface) shows the secret:\n\(shown)")
    }
    #expect(text(interpreter, "(kubectl \"logs leaky\")") == "the password is ***\n")
    #expect(text(interpreter, "(kubectl \"get pod \(SecretRedactionTests.planted)\")") == "Error from server (NotFound): pods \"***\" not found")
  }

  @Test func askingByNameGivesTheValueAndGetGivesBase64() throws {
    let interpreter = try session()
    #expect(text(interpreter, "(secret-value \"db\" \"password\")") == SecretRedactionTests.planted)
    let encoded = Data(SecretRedactionTests.planted.utf8).base64EncodedString()
    #expect(text(interpreter, "(kubectl \"get secret db -o jsonpath={.data.password}\")") == encoded)
    #expect(text(interpreter, "(secret-value \"db\" \"user\")") == "secret-value: Secret default/db has no key \"user\"")
    #expect(text(interpreter, "(secret-value \"nope\" \"user\")") == "secret-value: Error from server (NotFound): secrets \"nope\" not found")
  }
}
