// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Kelp",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "KelpLisp", targets: ["KelpLisp"]),
    .library(name: "KelpCluster", targets: ["KelpCluster"]),
    .library(name: "KelpDSL", targets: ["KelpDSL"]),
    .library(name: "KelpNotebook", targets: ["KelpNotebook"]),
    .executable(name: "kelp", targets: ["kelp"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibEdit",
      path: "Sources/CLibEdit",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    .executableTarget(name: "embed-stdlib", path: "Plugins/EmbedStdlibTool"),
    .plugin(
      name: "EmbedStdlib",
      capability: .buildTool(),
      dependencies: ["embed-stdlib"],
      path: "Plugins/EmbedStdlib"
    ),
    .target(
      name: "KelpLisp",
      dependencies: [.product(name: "HashTreeCollections", package: "swift-collections")],
      // Dynamic exclusivity checks cost a runtime call on every access to the machine's state;
      // the interpreter never overlaps accesses (one thread runs one program).
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
      plugins: ["EmbedStdlib"]
    ),
    .target(
      name: "KelpCluster",
      dependencies: [
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
      ],
      // As for KelpLisp: one thread runs the simulation, and the dynamic exclusivity checks
      // on the scheduler's and kubelets' state cost 15% of a scheduling run.
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
    ),
    .target(name: "KelpDSL", dependencies: ["KelpLisp", "KelpCluster"]),
    .target(
      name: "KelpNotebook",
      dependencies: [
        "KelpDSL", "KelpLisp", .product(name: "Ink", package: "Ink"),
        .product(name: "Plot", package: "Plot"),
      ]),
    .executableTarget(
      name: "kelp",
      dependencies: [
        "KelpLisp", "KelpDSL", "KelpNotebook", "CLibEdit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "kelp-cluster-bench", dependencies: ["KelpCluster"], path: "Benchmarks/ClusterScheduling"),
    .executableTarget(
      name: "kelp-workloads-bench", dependencies: ["KelpCluster"], path: "Benchmarks/Workloads"),
    .executableTarget(
      name: "kelp-embedding-example", dependencies: ["KelpLisp"], path: "Examples/Embedding"),
    .target(name: "KelpTestSupport", dependencies: ["KelpLisp"], path: "Tests/KelpTestSupport"),
    .testTarget(name: "KelpClusterTests", dependencies: ["KelpCluster"]),
    .testTarget(name: "KelpDSLTests", dependencies: ["KelpDSL", "KelpTestSupport"]),
    .testTarget(name: "KelpNotebookTests", dependencies: ["KelpNotebook"]),
    .testTarget(name: "KelpLispTests", dependencies: ["KelpLisp", "KelpTestSupport"]),
    .testTarget(
      name: "KelpPropertyTests",
      dependencies: [
        "KelpLisp", "KelpCluster",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "kelpTests", dependencies: ["KelpTestSupport", "kelp", "kelp-embedding-example"]),
  ]
)
