import Foundation
import KelpDSL
import KelpLisp

/// Runs a notebook's blocks in order in one session (a fresh one for `{fresh}` and `{seed=N}`
/// blocks) and collects what each printed and returned, as its output block should hold it.
public struct NotebookRunner {
  /// What one block did.
  public struct BlockResult: Sendable {
    public var block: Notebook.CodeBlock
    /// The output block's text (each line ending in a line break); nil for a skipped block.
    public var output: String?
    /// An error the block did not declare with `{allow-error}`.
    public var unexpectedError: Bool
    /// The pictures it drew, as SVG (collected when `collectPictures` is on).
    public var pictures: [String] = []
    /// The session's Secret values when the block ended, to mask in reports (diffs).
    public var secrets: [String] = []
  }

  /// Keep each block's pictures as SVG too, for an HTML rendering.
  public var collectPictures = false

  /// Interpreter settings (limits) for each session.
  public var options: Interpreter.Options
  /// The notebook's path: relative paths in its blocks start from its folder.
  public var path: String

  /// A block's step budget when none is given: a loop that never ends fails its block (with
  /// the step-budget error as its output) instead of hanging the whole check. The lessons'
  /// heaviest blocks take a small fraction of it.
  public static let defaultMaxSteps = 10_000_000

  public init(path: String, options: Interpreter.Options = Interpreter.Options()) {
    self.path = path
    var options = options
    if options.maxSteps == Int.max { options.maxSteps = NotebookRunner.defaultMaxSteps }
    self.options = options
  }

  public func run(_ notebook: Notebook) -> [BlockResult] {
    var session = makeSession(seed: nil)
    var results: [BlockResult] = []
    for block in notebook.blocks {
      if block.options.skip {
        results.append(BlockResult(block: block, output: nil, unexpectedError: false))
        continue
      }
      if block.options.fresh || block.options.seed != nil {
        session = makeSession(seed: block.options.seed)
      }
      var printed = ""
      var pictures: [String] = []
      session.interpreter.output = { printed += $0 }
      if collectPictures { session.cluster.pictureSink = { pictures.append($0) } }
      var failed = false
      do {
        // Blank lines before the block give its forms their lines in the notebook, so an
        // error in a function an earlier block defined says where that block is.
        let placed = String(repeating: "\n", count: block.line) + block.source
        let value = try session.interpreter.evaluate(placed, file: path, loadingFrom: path)
        printed += NotebookRunner.shown(value)
      } catch {
        if !printed.isEmpty && !printed.hasSuffix("\n") { printed += "\n" }
        printed += rendered(error, in: block)
        failed = !block.options.allowError
      }
      if !printed.isEmpty && !printed.hasSuffix("\n") { printed += "\n" }
      results.append(
        BlockResult(
          block: block, output: printed, unexpectedError: failed, pictures: pictures,
          secrets: session.cluster.cluster.secretTexts))
    }
    return results
  }

  private func makeSession(seed: Int?) -> (interpreter: Interpreter, cluster: ClusterSession) {
    let interpreter = Interpreter(options: options)
    let cluster = ClusterSession.install(into: interpreter)
    if let seed { cluster.defaultSeed = UInt64(truncatingIfNeeded: seed) }
    return (interpreter, cluster)
  }

  /// A block's value as the REPL shows it: nothing for no value, text ending in a line break as
  /// it is (kubectl's tables), anything else as Kelp writes it.
  static func shown(_ value: Value) -> String {
    switch value {
    case .void: return ""
    case .string(let box) where box.value.hasSuffix("\n"): return box.value
    default: return value.written + "\n"
    }
  }

  /// `error: …` with its line in the block (counted from 1) or, when it happened in an
  /// earlier block's code, its line in the notebook; then the hint and the call trace.
  func rendered(_ error: LispError, in block: Notebook.CodeBlock) -> String {
    var located = error
    located.location = nil
    var text = ErrorRenderer.render(located, color: false)
    if let location = error.location, location.file == path {
      let place =
        location.line > block.line && location.line < block.closingLine
        ? "line \(location.line - block.line)" : "at \(NotebookRunner.name(path)):\(location.line)"
      let firstBreak = text.firstIndex(of: "\n") ?? text.endIndex
      text.insert(contentsOf: " (\(place))", at: firstBreak)
    }
    // Trace entries name the notebook by its file name, not the path it was run with.
    return text.replacingOccurrences(of: path + ":", with: NotebookRunner.name(path) + ":") + "\n"
  }

  /// The notebook's file name, as outputs show it (the same wherever it is run from).
  static func name(_ path: String) -> String {
    String(path.split(separator: "/").last ?? Substring(path))
  }
}
