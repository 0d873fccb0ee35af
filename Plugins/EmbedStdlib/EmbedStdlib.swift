import Foundation
import PackagePlugin

/// Compiles `stdlib/*.kelp` into the library as Swift string literals, so `stdlib/` stays the
/// single source of the standard library and the `kelp` binary works from any folder.
@main
struct EmbedStdlib: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let stdlib = context.package.directoryURL.appending(path: "stdlib")
    let sources = try FileManager.default.contentsOfDirectory(atPath: stdlib.path())
      .filter { $0.hasSuffix(".kelp") }
      .sorted()
      .map { stdlib.appending(path: $0) }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedStdlib.swift")
    return [
      .buildCommand(
        displayName: "Embedding the Kelp standard library",
        executable: try context.tool(named: "embed-stdlib").url,
        arguments: [output.path()] + sources.map { $0.path() },
        inputFiles: sources,
        outputFiles: [output]
      )
    ]
  }
}
