/// Rewriting a notebook's output blocks, and nothing else: every other line stays byte for byte.
extension Notebook {
  /// The notebook's text with each block's output block holding `outputs` (by block index; nil
  /// leaves a block's output as it is). A block without an output block gets one after it when
  /// it printed something.
  public func updated(_ results: [NotebookRunner.BlockResult]) -> String {
    var replacements: [(from: Int, to: Int, lines: [String])] = []  // 0-based, `to` exclusive
    for result in results {
      guard let output = result.output else { continue }
      let body = output.isEmpty ? [] : output.split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)
      let fence = Notebook.fence(around: body)
      if let existing = result.block.output {
        replacements.append(
          (existing.openingLine - 1, existing.closingLine, ["\(fence)output"] + body + [fence]))
      } else if !body.isEmpty {
        let after = result.block.closingLine
        replacements.append((after, after, ["", "\(fence)output"] + body + [fence]))
      }
    }
    var out: [String] = []
    var index = 0
    for replacement in replacements.sorted(by: { $0.from < $1.from }) {
      out += lines[index..<replacement.from]
      out += replacement.lines
      index = replacement.to
    }
    out += lines[index...]
    return out.joined(separator: lineBreak) + (endsWithNewline ? lineBreak : "")
  }

  /// Three backticks, or more than the longest run of backticks that starts a line of the body,
  /// so that the output cannot close its own block.
  static func fence(around body: [String]) -> String {
    let longest = body.map { line in line.drop { $0 == " " }.prefix { $0 == "`" }.count }.max() ?? 0
    return String(repeating: "`", count: max(3, longest + 1))
  }
}
