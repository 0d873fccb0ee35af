import Foundation

/// Where the things the end-to-end tests use live: the `kelp` executable
/// SwiftPM built next to this test bundle, the repository, scratch folders.
enum KelpBinary {
  struct NotFound: Error, CustomStringConvertible {
    let searchedFrom: String
    var description: String {
      "no `kelp` executable in any folder above \(searchedFrom); build it with `swift build --build-tests`"
    }
  }

  /// The `kelp` executable: the test bundle runs from .build/<triple>/debug
  /// (or a folder inside it), and SwiftPM puts the products of the same
  /// build in that debug folder, so the first folder above the running
  /// program that holds an executable file named `kelp` is the one.
  static func path() throws -> String {
    let start = runningProgramPath()
    var folder = URL(fileURLWithPath: start).deletingLastPathComponent()
    while true {
      let candidate = folder.appendingPathComponent("kelp").path
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { throw NotFound(searchedFrom: start) }
      folder = parent
    }
  }

  /// The repository root (the folder with Package.swift).
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // kelpTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  private static func runningProgramPath() -> String {
    // Linux: the test bundle is an executable and /proc/self/exe names it
    // with symlinks (.build/debug) resolved.
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
    // macOS: the runner is a helper from the toolchain; the bundle is loaded.
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
      return bundle.bundlePath
    }
    return CommandLine.arguments.first ?? FileManager.default.currentDirectoryPath
  }
}

/// A fresh, empty folder under the system's temporary folder; removed by
/// `remove()`.
struct ScratchFolder {
  let url: URL
  var path: String { url.path }

  init(_ label: String = "kelp-tests") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Writes `contents` to `name` in the folder and returns its full path.
  @discardableResult
  func write(_ name: String, _ contents: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try contents.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}
