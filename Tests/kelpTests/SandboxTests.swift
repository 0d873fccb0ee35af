import Foundation
import Testing

/// `kelp` runs scripts in a sandbox: a script reads only under its own folder and the
/// `--allow-read` paths, writes only under `--allow-write` folders, and `--trust` lifts both.
@Suite struct SandboxTests {
  /// A script folder `app` beside a folder `other` with a manifest, and a link from one to the other.
  func layout() throws -> ScratchFolder {
    let folder = try ScratchFolder()
    for name in ["app", "other"] {
      try FileManager.default.createDirectory(atPath: folder.path + "/" + name, withIntermediateDirectories: true)
    }
    _ = try folder.write("other/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    _ = try folder.write("app/mine.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n")
    try FileManager.default.createSymbolicLink(atPath: folder.path + "/app/link", withDestinationPath: folder.path + "/other")
    return folder
  }

  func real(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

  @Test func readingOutsideTheScriptsFolderIsRefusedUnlessAllowed() throws {
    let folder = try layout()
    defer { folder.remove() }
    let other = real(folder.path + "/other")
    for (name, body, by) in [
      ("dots.kelp", "(apply-yaml \"../other/x.yaml\")", "apply-yaml"),
      ("link.kelp", "(apply-yaml \"link/x.yaml\")", "apply-yaml"),
      ("load.kelp", "(load \"../other/x.yaml\")", "load"),
      ("kubectl.kelp", "(kubectl \"apply -f ../other/x.yaml\")", "kubectl"),
      ("folder.kelp", "(apply-yaml \"../other\")", "apply-yaml"),
    ] {
      let script = try folder.write("app/" + name, body + "\n")
      let run = try runKelp(["run", script])
      #expect(run.status == 1, "\(run)")
      #expect(
        run.stderr.contains(
          "\(by): reading \(other)/x.yaml is not allowed: a script reads only under its own folder and the paths given with --allow-read (here: \(real(folder.path + "/app")))")
          || run.stderr.contains("\(by): reading \(other) is not allowed"), "\(run)")
      #expect(run.stderr.contains("hint: run kelp with --allow-read \(other)"), "\(run)")
    }
    let allowed = try runKelp(["run", folder.path + "/app/dots.kelp", "--allow-read", folder.path + "/other"])
    #expect(allowed.status == 0, "\(allowed)")
    let trusted = try runKelp(["run", folder.path + "/app/link.kelp", "--trust"])
    #expect(trusted.status == 0, "\(trusted)")
    let own = try folder.write("app/own.kelp", "(apply-yaml \"mine.yaml\")\n(print (get-in (get-object \"configmap\" \"mine\") [:metadata :name]))\n")
    let inside = try runKelp(["run", own])
    #expect(inside.status == 0 && inside.stdout.trimmingCharacters(in: .newlines) == "mine", "\(inside)")
  }

  @Test func writingNeedsAllowWrite() throws {
    let folder = try layout()
    defer { folder.remove() }
    let script = try folder.write("app/export.kelp", "(apply-yaml \"mine.yaml\")\n(export-manifests \"out\")\n")
    let refused = try runKelp(["run", script])
    #expect(refused.status == 1, "\(refused)")
    let out = real(folder.path + "/app") + "/out"
    #expect(
      refused.stderr.contains(
        "export-manifests: writing \(out) is not allowed: a script writes nowhere unless --allow-write names a folder"),
      "\(refused)")
    #expect(refused.stderr.contains("hint: run kelp with --allow-write \(out), or --trust to lift the sandbox"))
    #expect(!FileManager.default.fileExists(atPath: out))
    let allowed = try runKelp(["run", script, "--allow-write", folder.path + "/app/out"])
    #expect(allowed.status == 0, "\(allowed)")
    #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.count == 1, "\(allowed)")
  }

  @Test func theREPLAndNotebooksFollowTheSameRules() throws {
    let folder = try layout()
    defer { folder.remove() }
    let expression = "(load \"\(folder.path)/other/x.yaml\")"
    let refused = try runKelp(["-e", expression], in: URL(fileURLWithPath: folder.path + "/app"))
    #expect(refused.status == 1 && refused.stderr.contains("load: reading "), "\(refused)")
    let trusted = try runKelp(["-e", "(apply-yaml \"\(folder.path)/other/x.yaml\")", "--trust"])
    #expect(trusted.status == 0, "\(trusted)")
    let lesson = try folder.write("app/lesson.md", "# x\n\n```kelp {allow-error}\n(apply-yaml \"../other/x.yaml\")\n```\n")
    let update = try runKelp(["notebook", "update", lesson])
    #expect(update.status == 0, "\(update)")
    let text = try String(contentsOfFile: lesson, encoding: .utf8)
    #expect(text.contains("error (not allowed): apply-yaml: reading "), "\(text)")
  }
}
