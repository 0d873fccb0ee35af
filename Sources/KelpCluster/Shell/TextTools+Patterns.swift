import Foundation

/// grep and tr, the tools that read patterns and character sets.
extension TextTools {
  /// `grep [-ivcqnowxlFE] PATTERN [FILE…]`: basic regular expressions unless `-E` (busybox
  /// reads `+ ? ( ) { } |` literally there), status 0 when a line matched, 1 when none, 2 on an
  /// error.
  static func grep(_ options: Options, read: ([String]) -> String?, into result: inout Result) {
    var operands = options.operands[...]
    let pattern: String
    if let given = options.values["e"] {
      pattern = given
    } else if let first = operands.popFirst() {
      pattern = first
    } else {
      result.errors += "Usage: grep [-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n"
      result.status = 2
      return
    }
    let flags = options.flags
    var source: String
    if pattern.isEmpty {
      source = ""
    } else
    if flags.contains("F") {
      source = NSRegularExpression.escapedPattern(for: pattern)
    } else if flags.contains("E") {
      source = pattern
    } else {
      source = extendedFromBasic(pattern)
    }
    if flags.contains("w") { source = "(?<![A-Za-z0-9_])(?:\(source))(?![A-Za-z0-9_])" }
    if flags.contains("x") { source = "^(?:\(source))$" }
    // An empty pattern matches every line.
    guard
      let regex = try? NSRegularExpression(
        pattern: source.isEmpty ? "(?:)" : source, options: flags.contains("i") ? [.caseInsensitive] : [])
    else {
      result.errors += "grep: bad regex '\(pattern)'\n"
      result.status = 2
      return
    }
    let files = Array(operands)
    var matchedAny = false
    var failed = false
    for path in files.isEmpty ? [nil] : files.map(Optional.some) {
      guard let text = read(path.map { [$0] } ?? []) else {
        failed = true
        continue
      }
      let prefix = files.count > 1 && !flags.contains("h") ? "\(path ?? "(standard input)"):" : ""
      var count = 0
      for (number, line) in ShellText.lines(text).enumerated() {
        let range = NSRange(line.startIndex..., in: line)
        let matches = regex.matches(in: line, range: range)
        guard matches.isEmpty == flags.contains("v") else { continue }
        count += 1
        matchedAny = true
        if flags.contains("q") || flags.contains("c") || flags.contains("l") { continue }
        let numbered = prefix + (flags.contains("n") ? "\(number + 1):" : "")
        if flags.contains("o") && !flags.contains("v") {
          for match in matches {
            guard let found = Range(match.range, in: line), !found.isEmpty else { continue }
            result.output += numbered + line[found] + "\n"
          }
        } else {
          result.output += numbered + line + "\n"
        }
      }
      if flags.contains("c") && !flags.contains("q") { result.output += "\(prefix)\(count)\n" }
      if flags.contains("l") && count > 0 { result.output += "\(path ?? "(standard input)")\n" }
    }
    if flags.contains("q") && matchedAny {
      result.status = 0
    } else {
      result.status = failed ? 2 : matchedAny ? 0 : 1
    }
  }

  /// A POSIX basic regular expression in extended syntax: `\(`, `\)`, `\{`, `\}`, `\|`, `\+`
  /// and `\?` are the operators, the bare characters are literal.
  static func extendedFromBasic(_ pattern: String) -> String {
    var output = ""
    var characters = Substring(pattern)
    var inBracket = false
    // Where a `*` has nothing to repeat, and so is a literal star.
    var atStart = true
    while let character = characters.popFirst() {
      let wasAtStart = atStart
      atStart = false
      if character == "*" && wasAtStart {
        output += "\\*"
      } else if character == "^" && wasAtStart {
        output.append(character)
        atStart = true
      } else if inBracket {
        output.append(character)
        if character == "]" { inBracket = false }
      } else if character == "[" {
        inBracket = true
        output.append(character)
        // A `]` first in the set is a member.
        if characters.first == "^" { output.append(characters.removeFirst()) }
        if characters.first == "]" { output.append(characters.removeFirst()) }
      } else if character == "\\", let next = characters.popFirst() {
        output += "()|{}+?".contains(next) ? String(next) : "\\\(next)"
        atStart = next == "(" || next == "|"
      } else if "()|{}+?".contains(character) {
        output += "\\\(character)"
      } else {
        output.append(character)
      }
    }
    return output
  }

  /// `tr SET1 SET2`, `tr -d SET`, `tr -s SET` (ranges, `[:lower:]` classes, `\n` escapes).
  static func translate(_ text: String, _ options: Options, into result: inout Result) {
    let sets = options.operands
    guard let first = sets.first else {
      result.errors += "tr: missing operand\n"
      result.status = 1
      return
    }
    let from = characterSet(first)
    if options.flags.contains("d") {
      var kept = String(text.filter { !from.contains($0) })
      if options.flags.contains("s"), sets.count > 1 { kept = squeezed(kept, characterSet(sets[1])) }
      result.output += kept
      return
    }
    if sets.count < 2 {
      guard options.flags.contains("s") else {
        result.errors += "tr: missing operand after '\(first)'\n"
        result.status = 1
        return
      }
      result.output += squeezed(text, from)
      return
    }
    let to = characterSet(sets[1])
    var mapping: [Character: Character] = [:]
    if let last = to.last {
      for (position, character) in from.enumerated() where mapping[character] == nil {
        mapping[character] = position < to.count ? to[position] : last
      }
    }
    let translated = String(text.map { mapping[$0] ?? $0 })
    result.output += options.flags.contains("s") ? squeezed(translated, to) : translated
  }

  private static func squeezed(_ text: String, _ set: [Character]) -> String {
    var output = ""
    for character in text where !(set.contains(character) && output.last == character) {
      output.append(character)
    }
    return output
  }

  private static let classes: [String: String] = [
    "lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digit": "0123456789", "space": " \t\n\r\u{0B}\u{0C}", "blank": " \t",
    "alpha": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "alnum": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
  ]

  /// A tr set's characters, in order.
  static func characterSet(_ text: String) -> [Character] {
    var characters = Array(TextTools.unescaped(text).text)
    var result: [Character] = []
    var index = 0
    while index < characters.count {
      if characters[index] == "[", index + 1 < characters.count, characters[index + 1] == ":",
        let close = characters[(index + 2)...].firstIndex(of: ":"),
        close + 1 < characters.count, characters[close + 1] == "]",
        let members = classes[String(characters[(index + 2)..<close])]
      {
        result += Array(members)
        index = close + 2
      } else if index + 2 < characters.count, characters[index + 1] == "-",
        let low = characters[index].unicodeScalars.first?.value,
        let high = characters[index + 2].unicodeScalars.first?.value, low <= high
      {
        result += (low...high).compactMap { Unicode.Scalar($0).map(Character.init) }
        index += 3
      } else {
        result.append(characters[index])
        index += 1
      }
    }
    characters = []
    return result
  }
}
