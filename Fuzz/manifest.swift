// libFuzzer target: YAML manifests, as `(apply-yaml "file.yaml")` and `kubectl apply -f` take
// them.
//
// The input is applied to a fresh two-node cluster with `Cluster.apply(yaml:file:)`: the YAML
// documents are loaded (Yams, then ManifestLoader), decoded into API objects, validated,
// admitted and stored; then the clock settles (the controllers act on what was stored) and
// every object applied is read back with `kubectl get -o yaml` and `kubectl describe`.
// Decode and validation errors are the expected answer to most inputs; a crash, a hang or a
// sanitizer report is a finding.
import KelpCluster

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let cluster = Cluster(seed: 1)
  _ = try? cluster.addNode("node-1")
  _ = try? cluster.addNode("node-2", labels: ["disk": "ssd"])
  cluster.settle()
  let report = cluster.apply(yaml: text, file: "fuzz.yaml")
  cluster.settle()
  let kubectl = Kubectl(cluster: cluster)
  for result in report.results {
    let object = "\(result.resource.singular)/\(result.name)"
    let namespace = result.namespace.isEmpty ? [] : ["-n", result.namespace]
    _ = try? kubectl.run(arguments: ["get", object, "-o", "yaml"] + namespace)
    _ = try? kubectl.run(arguments: ["describe", object] + namespace)
  }
  return 0
}
