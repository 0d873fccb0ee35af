// Schedules 150,000 pods (100m CPU, 128Mi each) onto 5,000 nodes, then runs the idle cluster for
// an hour of virtual time. Prints pods per second, the wall time of each phase and peak memory.
//
//     swift build -c release --product kelp-cluster-bench && .build/release/kelp-cluster-bench
//     .build/release/kelp-cluster-bench --nodes 500 --pods 15000     (a smaller run)
import KelpCluster

#if canImport(Glibc)
  import Glibc
#endif

func seconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func fixed(_ value: Double, _ digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let rounded = (value * scale).rounded() / scale
  var text = String(rounded)
  if digits == 0, let dot = text.firstIndex(of: ".") { text = String(text[..<dot]) }
  return text
}

func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

var nodeCount = 5_000
var podCount = 150_000
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard let value = arguments.popFirst().flatMap({ Int($0) }) else { break }
  if flag == "--nodes" { nodeCount = value }
  if flag == "--pods" { podCount = value }
}

let cluster = Cluster(seed: 42)
let setupStart = seconds()
for index in 1...nodeCount {
  try cluster.addNode(
    "node-\(index)", cpu: .cpu(millis: 32_000), memory: .bytes(128 << 30), pods: 110)
}
cluster.settle()
let setupTime = seconds() - setupStart

var template = Container(name: "app", image: "registry.k8s.io/pause:3.10")
template.requests = ["cpu": .cpu(millis: 100), "memory": .bytes(128 << 20)]
// The requests arrive serialized, as they reach an API server: built before the clock starts.
var manifests = (0..<podCount).map { index -> JSONValue in
  var metadata = ObjectMeta(name: "pod-\(index)", namespace: "default")
  metadata.labels = ["app": "bench"]
  return Pod(metadata: metadata, spec: PodSpec(containers: [template])).encoded(serverFields: false)
}
let createStart = seconds()
for index in manifests.indices {
  _ = try cluster.apply(manifests[index])
  manifests[index] = .null  // as a server forgets a request once served
}
let scheduleTime = seconds() - createStart
let unscheduled = cluster.store.pods.unordered.filter { $0.spec.nodeName.isEmpty }.count

let startupStart = seconds()
cluster.advance(by: 60_000)
let startupTime = seconds() - startupStart
let running = cluster.store.pods.unordered.filter { $0.status.phase == .running }.count

let idleStart = seconds()
let actionsBefore = cluster.clock.actionsRun
cluster.advance(by: 3_600_000)
let idleTime = seconds() - idleStart

print(
  "nodes: \(nodeCount), pods: \(podCount), unscheduled: \(unscheduled), running after 60 s: \(running)"
)
print("add nodes:                  \(fixed(setupTime, 3)) s")
print(
  "create + schedule pods:     \(fixed(scheduleTime, 3)) s  (\(Int(Double(podCount) / scheduleTime)) pods/s)"
)
print("kubelets start them (60 s): \(fixed(startupTime, 3)) s")
print(
  "advance 1h, idle:           \(fixed(idleTime, 3)) s  (\(cluster.clock.actionsRun - actionsBefore) actions)"
)
print("events: \(cluster.recorder.events.count)")
print("peak memory:                \(fixed(peakMemoryMiB(), 0)) MiB")
