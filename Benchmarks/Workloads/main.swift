// Workload controllers at scale. Phase 1: 1,000 Deployments × 100 replicas on 2,000 nodes,
// created and Ready; phase 2: a rolling update of all of them to a new image, until every
// Deployment has rolled out. Phase 3, on a fresh cluster: 100 CronJobs every 5 minutes, and
// (advance "24h"). Prints the wall time of each phase, the virtual time it took, and peak memory.
//
//     swift build -c release --product kelp-workloads-bench && .build/release/kelp-workloads-bench
//     .build/release/kelp-workloads-bench --deployments 100 --nodes 200     (a smaller run)
import KelpCluster

#if canImport(Glibc)
  import Glibc
#endif

func seconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func fixed(_ value: Double) -> String { String((value * 100).rounded() / 100) }

func peakMemoryMiB() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Int(usage.ru_maxrss / 1024)
}

var deploymentCount = 1_000
var replicas = 100
var nodeCount = 2_000
var cronJobCount = 100
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard let value = arguments.popFirst().flatMap({ Int($0) }) else { break }
  switch flag {
  case "--deployments": deploymentCount = value
  case "--replicas": replicas = value
  case "--nodes": nodeCount = value
  case "--cronjobs": cronJobCount = value
  default: break
  }
}

@MainActor func deployment(_ index: Int, image: String) -> JSONValue {
  [
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string("app-\(index)")],
    "spec": [
      "replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string("app-\(index)")]],
      "template": [
        "metadata": ["labels": ["app": .string("app-\(index)")]],
        "spec": [
          "containers": [
            [
              "name": "app", "image": .string(image),
              "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]],
            ]
          ]
        ],
      ],
    ],
  ]
}

/// Advances a minute at a time until `done`, at most `limit` minutes; the virtual minutes taken.
func advanceUntil(_ cluster: Cluster, limit: Int = 120, _ done: () -> Bool) -> Int {
  var minutes = 0
  while !done() && minutes < limit {
    cluster.advance(by: 60_000)
    minutes += 1
  }
  return minutes
}

@MainActor func rolledOut(_ cluster: Cluster, image: String) -> Bool {
  cluster.store.deployments.unordered.allSatisfy { deployment in
    deployment.spec.template.spec.containers[0].image == image
      && deployment.status.updatedReplicas == replicas
      && deployment.status.availableReplicas == replicas && deployment.status.replicas == replicas
  }
}

let cluster = Cluster(seed: 42)
for index in 1...nodeCount {
  try cluster.addNode(
    "node-\(index)", cpu: .cpu(millis: 32_000), memory: .bytes(128 << 30), pods: 110)
}
cluster.settle()

let createStart = seconds()
for index in 0..<deploymentCount {
  try cluster.apply(deployment(index, image: "nginx:1.25"), settle: false)
}
cluster.settle()
let createdAt = seconds()
let readyMinutes = advanceUntil(cluster) { rolledOut(cluster, image: "nginx:1.25") }
let readyTime = seconds() - createStart
let pods = cluster.store.pods.unordered.count

let updateStart = seconds()
for index in 0..<deploymentCount {
  try cluster.apply(deployment(index, image: "nginx:1.27"), settle: false)
}
cluster.settle()
let updateMinutes = advanceUntil(cluster) {
  rolledOut(cluster, image: "nginx:1.27")
    && cluster.store.pods.unordered.count == deploymentCount * replicas
}
let updateTime = seconds() - updateStart
let peakAfterDeployments = peakMemoryMiB()

print("nodes: \(nodeCount), deployments: \(deploymentCount) × \(replicas) replicas, pods: \(pods)")
print(
  "create \(deploymentCount) deployments + all Ready: \(fixed(readyTime)) s wall "
    + "(apply \(fixed(createdAt - createStart)) s), \(readyMinutes) virtual min")
print(
  "rolling update of all:             \(fixed(updateTime)) s wall, \(updateMinutes) virtual min, "
    + "all rolled out: \(rolledOut(cluster, image: "nginx:1.27"))")
print(
  "peak memory after deployments:     \(peakAfterDeployments) MiB "
    + "(\(cluster.recorder.events.count) events, \(cluster.store.pods.count) pods kept)")

let cronCluster = Cluster(seed: 7)
for index in 1...10 { try cronCluster.addNode("node-\(index)") }
for index in 0..<cronJobCount {
  let manifest: JSONValue = [
    "apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": .string("tick-\(index)")],
    "spec": [
      "schedule": "*/5 * * * *",
      "jobTemplate": [
        "spec": [
          "template": [
            "spec": [
              "restartPolicy": "Never",
              "containers": [["name": "c", "image": "busybox", "command": ["sleep", "30"]]],
            ]
          ]
        ]
      ],
    ],
  ]
  try cronCluster.apply(manifest)
}
var jobsCreated = 0
cronCluster.store.watch { event in
  if event.type == .added, event.object is Job { jobsCreated += 1 }
}
let cronStart = seconds()
cronCluster.advance(by: 24 * 3_600_000)
let cronTime = seconds() - cronStart
print(
  "advance 24h, \(cronJobCount) CronJobs */5:       \(fixed(cronTime)) s wall, \(jobsCreated) Jobs created "
    + "(expected \(cronJobCount * 287): the 24:00 run is due 100 ms after the end), "
    + "\(cronCluster.store.jobs.unordered.count) kept")
print("peak memory:                       \(peakMemoryMiB()) MiB")
