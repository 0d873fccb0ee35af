import ArgumentParser
import Foundation
import KelpLisp
import KelpNotebook

/// `kelp notebook check|update FILE...`: teaching notebooks whose outputs are checked, so that
/// no lesson shows output its code no longer produces. Folders stand for their `.md` files.
struct NotebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Check or update the outputs of Markdown notebooks (fenced kelp blocks).",
    subcommands: [Check.self, Update.self, Render.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run each notebook and print a diff for every output that changed; exit 1 if any did.")

    @Argument(help: "Notebook files or folders.")
    var files: [String]

    @OptionGroup var limits: Limits

    func run() throws {
      var blocks = 0
      var failed = 0
      for file in NotebookCommand.notebooks(files) {
        guard let (notebook, results) = NotebookCommand.run(file, limits) else {
          failed += 1
          continue
        }
        _ = notebook
        let check = NotebookCheck(file: file, results: results)
        blocks += check.blocks
        failed += check.failures.count
        for failure in check.failures { print(failure.report, terminator: "") }
      }
      print("\(blocks) blocks, \(failed) failed")
      if failed > 0 { throw ExitCode(1) }
    }
  }

  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run each notebook and rewrite its output blocks; every other line stays as it is.")

    @Argument(help: "Notebook files or folders.")
    var files: [String]

    @OptionGroup var limits: Limits

    func run() throws {
      var status: Int32 = 0
      for file in NotebookCommand.notebooks(files) {
        guard let (notebook, results) = NotebookCommand.run(file, limits) else {
          status = 1
          continue
        }
        let text = notebook.updated(results)
        do {
          try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
          StandardStreams.writeError("kelp notebook: cannot write \(file): \(error.localizedDescription)\n")
          status = 1
        }
        let ran = results.filter { $0.output != nil }.count
        print("\(file): \(ran) blocks")
        for result in results where result.unexpectedError {
          StandardStreams.writeError(
            "\(file):\(result.block.line): the block raised an error; mark it kelp {allow-error} if the lesson means it\n")
          status = 1
        }
      }
      if status != 0 { throw ExitCode(status) }
    }
  }

  struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a notebook and write it as one self-contained HTML page, pictures as SVG.")

    @Argument(help: "The notebook.")
    var file: String

    @Option(name: .shortAndLong, help: "The HTML file to write (default: the notebook's name with .html).")
    var output: String?

    @OptionGroup var limits: Limits

    func run() throws {
      guard let (notebook, results) = NotebookCommand.run(file, limits, pictures: true) else {
        throw ExitCode(1)
      }
      let target = output ?? (file.hasSuffix(".md") ? String(file.dropLast(3)) : file) + ".html"
      do {
        try NotebookHTML().render(notebook, results).write(
          toFile: target, atomically: true, encoding: .utf8)
      } catch {
        StandardStreams.writeError("kelp notebook: cannot write \(target): \(error.localizedDescription)\n")
        throw ExitCode(1)
      }
      print("\(target): \(results.filter { $0.output != nil }.count) blocks, "
        + "\(results.reduce(0) { $0 + $1.pictures.count }) pictures")
      if results.contains(where: \.unexpectedError) { throw ExitCode(1) }
    }
  }

  /// The files, with each folder replaced by its `.md` files (recursively, in name order).
  static func notebooks(_ paths: [String]) -> [String] {
    paths.flatMap { path -> [String] in
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
      else { return [path] }
      let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
      return found.filter { $0.hasSuffix(".md") && !$0.hasSuffix("README.md") }.sorted()
        .map { (path as NSString).appendingPathComponent($0) }
    }
  }

  /// Reads, parses and runs one notebook; nil (after saying why) when it cannot be read.
  static func run(_ file: String, _ limits: Limits, pictures: Bool = false)
    -> (Notebook, [NotebookRunner.BlockResult])?
  {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      StandardStreams.writeError("kelp notebook: cannot read \(file)\n")
      return nil
    }
    let notebook: Notebook
    do {
      notebook = try Notebook(text: text, file: file)
    } catch {
      StandardStreams.writeError("\(error)\n")
      return nil
    }
    var runner = NotebookRunner(path: file, options: limits.options(home: [Limits.home(of: file)]))
    runner.collectPictures = pictures
    return (notebook, runner.run(notebook))
  }
}
