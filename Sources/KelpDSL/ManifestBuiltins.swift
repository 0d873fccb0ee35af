import Foundation
import KelpCluster
import KelpLisp

/// YAML in and out: `apply-yaml` of a file, a folder or standard input; `to-yaml`; and
/// `export-manifests`, which writes what a user made as manifests another cluster can apply.
extension ClusterSession {
  func manifestBuiltins() -> [Builtin] {
    [
      Builtin(
        "apply-yaml", "(apply-yaml \"file.yaml\")",
        "Applies every document of a manifest file, of each .yaml/.yml/.json file of a folder (in name order), or of standard input (\"-\"); returns kubectl's lines (\"pod/web created\"). A file with a document that does not decode changes nothing.",
        unary: { path throws(LispError) in
          var lines: [Value] = []
          var errors: [String] = []
          for (file, text) in try self.manifestSources(
            try Arguments.string(path, "apply-yaml", "path"))
          {
            let report = self.cluster.apply(yaml: text, file: file)
            for result in report.results {
              for warning in result.warnings { self.interpreter.output("Warning: \(warning)\n") }
              lines.append(Value("\(result.resource.singular)/\(result.name) \(result.outcome.rawValue)"))
            }
            errors += report.errors.map { $0.hasPrefix("error: ") ? String($0.dropFirst(7)) : $0 }
          }
          if !errors.isEmpty {
            let unserved = errors.contains { $0.contains("no matches for kind") }
            throw LispError(
              .value, "apply-yaml: " + errors.joined(separator: "\n"),
              hint: unserved
                ? "Kelp applies \(Cluster.supportedKinds.joined(separator: ", "))" : nil)
          }
          return Value.list(lines)
        }),
      Builtin(
        "to-yaml", "(to-yaml (get-object \"Deployment\" \"web\"))",
        "The YAML text of an object (a map shaped like its manifest), as kubectl prints it.",
        unary: { object throws(LispError) in
          Value(try object.json("to-yaml").yamlText)
        }),
      Builtin(
        "export-manifests", "(export-manifests \"backup/\")",
        "Writes every object the user made (not the ones controllers own, nor built-in ones) to the folder, one NN-kind-namespace-name.yaml each, without server-set fields, so that (apply-yaml \"backup/\") rebuilds them on another cluster; returns the files written.",
        unary: { folder throws(LispError) in
          try self.exportManifests(try Arguments.string(folder, "export-manifests", "folder"))
        }),
    ]
  }

  /// The manifest texts a path names: standard input for "-", a folder's manifest files, or
  /// the file.
  func manifestSources(_ path: String) throws(LispError) -> [(file: String, text: String)] {
    if path == "-" {
      var text = ""
      while let line = readLine(strippingNewline: false) { text += line }
      return [("<stdin>", text)]
    }
    let resolved = interpreter.resolvePath(path)
    try interpreter.sandbox.checkRead(resolved, by: "apply-yaml")
    guard let files = ClusterSession.manifestFiles(inFolder: resolved) else {
      let (file, text) = try interpreter.readFileRelative(path, by: "apply-yaml")
      return [(file, text)]
    }
    if files.isEmpty {
      throw LispError(
        .io, "apply-yaml: \(path) holds no .yaml, .yml or .json file",
        hint: "kubectl apply -f reads those extensions in a folder")
    }
    var sources: [(file: String, text: String)] = []
    for file in files {
      let (resolvedFile, text) = try interpreter.readFileRelative(file, by: "apply-yaml")
      sources.append((resolvedFile, text))
    }
    return sources
  }

  /// A folder's manifest files in name order (not its subfolders, as kubectl without -R), or
  /// nil when the path is not a folder.
  public static func manifestFiles(inFolder path: String) -> [String]? {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
    else { return nil }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let folder = path.hasSuffix("/") ? path : path + "/"
    return names.filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted()
      .map { folder + $0 }
  }

  private func exportManifests(_ path: String) throws(LispError) -> Value {
    let folder = interpreter.resolvePath(path)
    try interpreter.sandbox.checkWrite(folder, by: "export-manifests")
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw LispError(
        .io, "export-manifests: cannot make the folder \(path): \(error.localizedDescription)")
    }
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    var written: [Value] = []
    for manifest in cluster.userManifests() {
      let file = base + manifest.fileName
      do {
        try manifest.manifest.yamlText.write(toFile: file, atomically: true, encoding: .utf8)
      } catch {
        throw LispError(
          .io, "export-manifests: cannot write \(file): \(error.localizedDescription)")
      }
      written.append(Value(file))
    }
    return Value.list(written)
  }
}
