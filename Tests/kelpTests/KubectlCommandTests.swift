import Foundation
import Testing

/// `kelp kubectl ARGS...` keeps a simulated cluster in a folder between calls, so kubectl's
/// shell habits work without Lisp; and `(apply-yaml "-")` reads standard input.
@Suite struct KubectlCommandTests {
  @Test func aClusterKeptBetweenCalls() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let created = try runKelp(
      ["kubectl", "create", "deployment", "web", "--image=nginx:1.25", "--replicas=3"],
      in: folder.url)
    #expect(created.status == 0, "\(created)")
    #expect(created.stdout == "deployment.apps/web created\n")
    let pods = try runKelp(["kubectl", "--advance", "30s", "get", "pods"], in: folder.url)
    #expect(pods.status == 0, "\(pods)")
    let lines = pods.stdout.split(separator: "\n")
    #expect(lines.count == 4, "\(pods.stdout)")
    #expect(lines.dropFirst().allSatisfy { $0.contains("1/1     Running   0          30s") })
    let scaled = try runKelp(["kubectl", "scale", "deployment", "web", "--replicas=1"], in: folder.url)
    #expect(scaled.stdout == "deployment.apps/web scaled\n", "\(scaled)")
    let after = try runKelp(["kubectl", "get", "deployment", "web"], in: folder.url)
    #expect(after.stdout.contains("web    1/1     1            1           30s"), "\(after)")
    let missing = try runKelp(["kubectl", "get", "pod", "nope"], in: folder.url)
    #expect(missing.status == 1)
    #expect(missing.stderr == "Error from server (NotFound): pods \"nope\" not found\n")
    #expect(
      FileManager.default.fileExists(
        atPath: folder.path + "/.kelp-cluster/objects/11-deployment-default-web.yaml"))
    // Node changes are kept too: a cordon, a label, a taint.
    _ = try runKelp(["kubectl", "cordon", "node-1"], in: folder.url)
    _ = try runKelp(["kubectl", "label", "node", "node-2", "disk=ssd"], in: folder.url)
    _ = try runKelp(["kubectl", "taint", "nodes", "node-3", "a=b:NoSchedule"], in: folder.url)
    let nodes = try runKelp(["kubectl", "get", "nodes", "-L", "disk"], in: folder.url)
    #expect(nodes.stdout.contains("node-1   Ready,SchedulingDisabled"), "\(nodes)")
    #expect(nodes.stdout.contains("ssd"), "\(nodes)")
    let tainted = try runKelp(["kubectl", "get", "node", "node-3", "-o", "jsonpath={.spec.taints[0].key}"], in: folder.url)
    #expect(tainted.stdout == "a", "\(tainted)")
  }

  @Test func applyYAMLFromStandardInput() throws {
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  a: \"1\"\n"
    let run = try runKelp(
      ["-e", "(begin (apply-yaml \"-\") (kubectl \"get configmap from-stdin\"))"], stdin: manifest)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("from-stdin   1      0s"), "\(run)")
  }
}
