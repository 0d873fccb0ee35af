import Foundation
import Ink

/// Prose as Ink can take it. Fuzzing found two inputs that break Ink 0.6: a list followed by
/// blank lines of spaces at the end of the text traps (an index past the end), and `[`s that
/// start no link make its link parser backtrack exponentially (fifty of them on a line never
/// finish). Both are rewritten to what renders the same: the trailing blank lines go, and a
/// `[` that starts no `[text](url)`, `[text][ref]` or `[ref]: url` becomes `&#91;`, outside
/// code.
enum InkInput {
  /// Ink's HTML for the prose, or nil when it has not finished in `seconds`: its link parser
  /// can still backtrack for good on brackets `safe` keeps. Ink cannot be stopped, so its
  /// thread is left to the process's end (`kelp notebook render` ends right after).
  static func html(from markdown: String, within seconds: Double = 3) -> String? {
    final class Outcome: @unchecked Sendable {
      var html: String?
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      outcome.html = MarkdownParser().html(from: markdown)
      done.signal()
    }
    thread.stackSize = 64 << 20
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return outcome.html
  }

  static func safe(_ markdown: String) -> String {
    var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    // Ink's code blocks are backtick fences only (`~~~` and indented lines are prose to it), and
    // one left open runs to the end.
    var fence: String?
    for index in lines.indices {
      let trimmed = lines[index].drop { $0 == " " }
      if let open = fence {
        if trimmed.hasPrefix(open) { fence = nil }
        continue
      }
      if trimmed.hasPrefix("```") {
        fence = String(trimmed.prefix { $0 == "`" })
        continue
      }
      // `[name]: url` declares a reference link's address: its first brackets stay.
      let declaration =
        trimmed.hasPrefix("[")
        && trimmed.firstIndex(of: "]").map { trimmed[trimmed.index(after: $0)...].hasPrefix(":") }
          == true
      lines[index] = escapingStrayBrackets(lines[index], keepingFirst: declaration)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Escapes each `[` that is not the start of a link, leaving code spans alone. One pass
  /// pairs the brackets, a second writes the line.
  static func escapingStrayBrackets(_ line: String, keepingFirst: Bool = false) -> String {
    guard line.contains("[") else { return line }
    let characters = Array(line)
    let code = codeSpans(characters)
    var closing: [Int: Int] = [:]
    var open: [Int] = []
    var index = 0
    while index < characters.count {
      if let end = code[index] {
        index = end
        continue
      }
      switch characters[index] {
      case "\\": index += 1
      case "[": open.append(index)
      case "]":
        if let start = open.popLast() { closing[start] = index }
      default: break
      }
      index += 1
    }
    // A link's `[`, and the `[` of its reference after `][`.
    var links: Set<Int> = []
    for (start, end) in closing where end + 1 < characters.count && "([".contains(characters[end + 1]) {
      links.insert(start)
      if characters[end + 1] == "[" { links.insert(end + 1) }
    }
    if keepingFirst, let first = characters.firstIndex(of: "[") { links.insert(first) }
    var output = ""
    index = 0
    while index < characters.count {
      if let end = code[index] {
        output += String(characters[index..<end])
        index = end
        continue
      }
      let character = characters[index]
      if character == "\\", index + 1 < characters.count {
        output.append(character)
        output.append(characters[index + 1])
        index += 2
        continue
      }
      // An entity, not `\[`: Ink tries a link at every `[`, escaped or not.
      output += character == "[" && !links.contains(index) ? "&#91;" : String(character)
      index += 1
    }
    return output
  }

  /// Code spans as Ink reads them: a backtick up to the next one on the line; a last one with
  /// no partner is text.
  private static func codeSpans(_ characters: [Character]) -> [Int: Int] {
    var spans: [Int: Int] = [:]
    var open: Int?
    for (index, character) in characters.enumerated() where character == "`" {
      if let start = open {
        spans[start] = index + 1
        open = nil
      } else {
        open = index
      }
    }
    return spans
  }
}
