import Foundation

/// A teaching notebook: a Markdown file whose fenced `kelp` blocks run in order in one session,
/// each followed by an `output` block holding what it printed and returned. Parsing keeps every
/// line as written, so an update rewrites output blocks and nothing else.
public struct Notebook: Sendable {
  /// The file's lines, without their line breaks.
  public let lines: [String]
  /// Whether the file ended with a line break.
  public let endsWithNewline: Bool
  /// The file's line break, `\n` or `\r\n`, kept when it is rewritten.
  public let lineBreak: String
  public let blocks: [CodeBlock]

  /// One `kelp` block, its options, and the output block after it, if any.
  public struct CodeBlock: Sendable {
    /// 1-based line of the opening fence.
    public var line: Int
    public var source: String
    public var options: Options
    public var output: OutputBlock?
    /// 1-based line of the closing fence.
    public var closingLine: Int
  }

  /// An `output` block: where it is and what it holds.
  public struct OutputBlock: Sendable {
    /// 1-based lines of its opening and closing fences.
    public var openingLine: Int
    public var closingLine: Int
    public var text: String
  }

  /// What the info string asks: `kelp {skip}`, `{fresh}`, `{allow-error}`, `{seed=7}`.
  public struct Options: Sendable, Equatable {
    public var skip = false
    public var fresh = false
    public var allowError = false
    public var seed: Int?

    static let known = "skip, fresh, allow-error, seed=N"
  }

  /// A notebook that cannot be read: where and why.
  public struct ParseError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
  }

  public init(text original: String, file: String) throws(ParseError) {
    // "\r\n" is one Character in Swift: read a CRLF file as LF and write it back as it was.
    lineBreak = original.contains("\r\n") ? "\r\n" : "\n"
    let text = lineBreak == "\n" ? original : original.replacingOccurrences(of: "\r\n", with: "\n")
    endsWithNewline = text.hasSuffix("\n")
    var all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if endsWithNewline { all.removeLast() }
    lines = all
    var blocks: [CodeBlock] = []
    var index = 0
    while index < all.count {
      guard let fence = Fence(all[index]) else {
        index += 1
        continue
      }
      if fence.indent > 0 && (fence.language == "kelp" || fence.language == "output") {
        throw ParseError(
          file: file, line: index + 1,
          message: "\(fence.language) blocks must start at the beginning of a line (indented fences, as in list items, are not supported)")
      }
      let closing = try Notebook.closing(of: fence, openedAt: index, in: all, file: file)
      if fence.language == "kelp" {
        let options = try Notebook.options(fence.info, file: file, line: index + 1)
        var block = CodeBlock(
          line: index + 1, source: all[(index + 1)..<closing].joined(separator: "\n"),
          options: options, output: nil, closingLine: closing + 1)
        // The output block belongs to it when only blank lines come between.
        var next = closing + 1
        while next < all.count && all[next].trimmingCharacters(in: .whitespaces).isEmpty {
          next += 1
        }
        if next < all.count, let outputFence = Fence(all[next]), outputFence.language == "output" {
          let end = try Notebook.closing(of: outputFence, openedAt: next, in: all, file: file)
          block.output = OutputBlock(
            openingLine: next + 1, closingLine: end + 1,
            text: all[(next + 1)..<end].map { $0 + "\n" }.joined())
          blocks.append(block)
          index = end + 1
          continue
        }
        blocks.append(block)
      }
      index = closing + 1
    }
    self.blocks = blocks
  }

  private static func closing(
    of fence: Fence, openedAt start: Int, in lines: [String], file: String
  ) throws(ParseError) -> Int {
    var index = start + 1
    while index < lines.count {
      if fence.isClosed(by: lines[index]) { return index }
      index += 1
    }
    let name = fence.language.isEmpty ? "code" : fence.language
    throw ParseError(
      file: file, line: start + 1,
      message: "the \(name) block opened here is never closed: end it with a line of \(fence.marker)")
  }

  private static func options(_ info: String, file: String, line: Int) throws(ParseError)
    -> Options
  {
    var options = Options()
    var rest = Substring(info)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else {
        throw ParseError(
          file: file, line: line, message: "block options need a closing brace: \(info)")
      }
      let words = rest[rest.index(after: open)..<close].split { $0 == "," || $0 == " " }
      for word in words {
        let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
        switch (parts[0], parts.count) {
        case ("skip", 1): options.skip = true
        case ("fresh", 1): options.fresh = true
        case ("allow-error", 1): options.allowError = true
        case ("seed", 2):
          guard let seed = Int(parts[1]) else {
            throw ParseError(
              file: file, line: line, message: "seed wants a whole number: \(word)")
          }
          options.seed = seed
        default:
          throw ParseError(
            file: file, line: line,
            message: "unknown block option '\(word)' (known: \(Options.known))")
        }
      }
      rest = rest[rest.index(after: close)...]
    }
    if !rest.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ParseError(
        file: file, line: line,
        message: "unexpected text after kelp: '\(rest.trimmingCharacters(in: .whitespaces))' (options go in braces: {\(Options.known)})")
    }
    return options
  }
}

/// A Markdown code fence line: ``` or ~~~ (three or more), an info string's language and rest.
struct Fence {
  let character: Character
  let count: Int
  let indent: Int
  let language: String
  let info: String

  var marker: String { String(repeating: character, count: count) }

  init?(_ line: String) {
    let indent = line.prefix { $0 == " " }.count
    guard indent < 4 else { return nil }
    let body = line.dropFirst(indent)
    guard let first = body.first, first == "`" || first == "~" else { return nil }
    let run = body.prefix { $0 == first }.count
    guard run >= 3 else { return nil }
    let infoText = body.dropFirst(run).trimmingCharacters(in: .whitespaces)
    if first == "`" && infoText.contains("`") { return nil }
    character = first
    count = run
    self.indent = indent
    language = String(infoText.prefix { !$0.isWhitespace && $0 != "{" })
    info = String(infoText.dropFirst(language.count))
  }

  /// CommonMark: the same character, at least as many, nothing after but spaces.
  func isClosed(by line: String) -> Bool {
    let body = line.drop { $0 == " " }
    guard line.count - body.count < 4 else { return false }
    let run = body.prefix { $0 == character }.count
    return run >= count && body.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
  }
}
