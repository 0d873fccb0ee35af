// libFuzzer target: kubectl's command line, as `(kubectl "get pods -o wide")` and `kelp kubectl`
// take it.
//
// Each input line is one command line, run in order (at most eight) with `Kubectl.run(_:)`
// against a fresh small cluster: two nodes, a Deployment `web` with two Running pods, its
// Service and a ConfigMap, in `default`. A line can create what a later line reads. `-f` reads
// no files (the Kubectl default refuses every path). kubectl's errors are the expected answer to
// most inputs; a crash, a hang or a sanitizer report is a finding.
import KelpCluster

private let workload = """
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    labels: {app: web}
  spec:
    replicas: 2
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web, tier: frontend}
      spec:
        containers:
        - name: nginx
          image: nginx:1.27
          ports: [{containerPort: 80}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector: {app: web}
    ports: [{port: 80, targetPort: 80}]
  ---
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: fast
  """

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let cluster = Cluster(seed: 1)
  _ = try? cluster.addNode("node-1")
  _ = try? cluster.addNode("node-2", labels: ["disk": "ssd"])
  let report = cluster.apply(yaml: workload, file: "workload.yaml")
  precondition(report.errors.isEmpty, "the fuzz target's own cluster does not apply: \(report.errors)")
  cluster.advance(by: 30_000)
  let kubectl = Kubectl(cluster: cluster)
  for line in text.split(separator: "\n").prefix(8) {
    _ = try? kubectl.run(String(line))
  }
  return 0
}
