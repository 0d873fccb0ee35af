/// Prose as Ink can take it. Fuzzing found two inputs that break Ink 0.6: a list followed by
/// blank lines of spaces at the end of the text traps (an index past the end), and `[`s that
/// start no link make its link parser backtrack exponentially (fifty of them on a line never
/// finish). Both are rewritten to what renders the same: the trailing blank lines go, and a
/// `[` that starts no `[text](url)`, `[text][ref]` or `[ref]: url` is escaped as `\[`, outside
/// code.
enum InkInput {
  static func safe(_ markdown: String) -> String {
    var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    var fence: String?
    for index in lines.indices {
      let trimmed = lines[index].drop { $0 == " " }
      if let open = fence {
        if trimmed.hasPrefix(open) { fence = nil }
        continue
      }
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
        fence = String(trimmed.prefix(3))
        continue
      }
      if lines[index].hasPrefix("    ") || lines[index].hasPrefix("\t") { continue }
      // `[name]: url` declares a reference link's address.
      if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]"),
        trimmed[trimmed.index(after: close)...].hasPrefix(":")
      {
        continue
      }
      lines[index] = escapingStrayBrackets(lines[index])
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Escapes each `[` that is not the start of a link, leaving code spans alone. One pass
  /// pairs the brackets, a second writes the line.
  static func escapingStrayBrackets(_ line: String) -> String {
    guard line.contains("[") else { return line }
    let characters = Array(line)
    var closing: [Int: Int] = [:]
    var open: [Int] = []
    var inCode = false
    var index = 0
    while index < characters.count {
      switch characters[index] {
      case "\\": index += 1
      case "`": inCode.toggle()
      case "[" where !inCode: open.append(index)
      case "]" where !inCode:
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
    var output = ""
    inCode = false
    index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "\\", index + 1 < characters.count {
        output.append(character)
        output.append(characters[index + 1])
        index += 2
        continue
      }
      if character == "`" { inCode.toggle() }
      if character == "[", !inCode, !links.contains(index) { output.append("\\") }
      output.append(character)
      index += 1
    }
    return output
  }
}
