/// `kelp notebook check`: a block fails when its output differs from the recorded one, or when
/// it raised an error it did not declare with `{allow-error}`.
public struct NotebookCheck: Sendable {
  public struct Failure: Sendable {
    /// `lesson.md:42`: the output block's line, or the code block's when it has none.
    public var location: String
    /// The unified diff of recorded against produced, or the error's note.
    public var report: String
  }

  public var blocks = 0
  public var failures: [Failure] = []

  public init(file: String, results: [NotebookRunner.BlockResult]) {
    for result in results {
      guard let output = result.output else { continue }
      blocks += 1
      let recorded = result.block.output?.text ?? ""
      let line = result.block.output?.openingLine ?? result.block.line
      let location = "\(file):\(line)"
      // A diff goes to terminals and CI logs: Secret values in it are masked, as everywhere.
      var report = NotebookCheck.masking(
        result.secrets,
        in: LineDiff.unified(
          recorded, output, oldName: "\(location) (recorded)", newName: "\(location) (now)"))
      if result.unexpectedError {
        report +=
          "\(file):\(result.block.line): the block raised an error; "
          + "mark it kelp {allow-error} if the lesson means it\n"
      }
      if !report.isEmpty { failures.append(Failure(location: location, report: report)) }
    }
  }

  /// The text with each of `secrets` (longest first) written as `***`.
  static func masking(_ secrets: [String], in text: String) -> String {
    var result = text
    for secret in secrets where result.contains(secret) {
      result = result.replacingOccurrences(of: secret, with: "***")
    }
    return result
  }
}
