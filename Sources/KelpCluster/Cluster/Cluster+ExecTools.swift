import Foundation

/// The text tools a lesson pipes exec output through (`cat /etc/config/app | grep level`,
/// `ls /data | wc -l`), as busybox and coreutils print them: grep, wc, head, tail, sort, uniq,
/// base64, rev and tr. Each reads its file operands, or what the statement before piped in.
extension ExecShell {
  mutating func runTextTool(_ tool: String, _ arguments: [String]) {
    // The options that take the next word as their value (`head -n 3`, `grep -e PATTERN`).
    let valued: [String: Set<String>] = [
      "grep": ["-e", "-m", "-A", "-B", "-C"], "head": ["-n", "-c"], "tail": ["-n", "-c"],
      "sort": ["-k", "-t"], "base64": ["-w"],
    ]
    var options: [String] = []
    var operands: [String] = []
    var words = arguments[...]
    while let word = words.popFirst() {
      guard word.hasPrefix("-"), word.count > 1 else {
        operands.append(word)
        continue
      }
      if valued[tool]?.contains(word) == true, let value = words.popFirst() {
        options.append(word + value)
      } else {
        options.append(word)
      }
    }
    switch tool {
    case "grep": grep(options, operands)
    default:
      let takesSets = tool == "tr"
      guard let text = read(takesSets ? [] : operands, tool) else { return }
      let lines = ShellWords.lines(text)
      switch tool {
      case "wc": result.output += count(text, lines, options, files: operands)
      case "head", "tail":
        let amount = options.lazy.compactMap { option -> Int? in
          option.hasPrefix("-n") ? Int(option.dropFirst(2)) : Int(option.dropFirst())
        }.first ?? 10
        let kept = tool == "head" ? lines.prefix(amount) : lines.suffix(amount)
        result.output += kept.map { $0 + "\n" }.joined()
      case "sort":
        var sorted =
          options.contains("-n")
          ? lines.sorted { (Double($0.prefix { !$0.isWhitespace }) ?? 0, $0) < (Double($1.prefix { !$0.isWhitespace }) ?? 0, $1) }
          : lines.sorted()
        if options.contains("-r") { sorted.reverse() }
        if options.contains("-u") { sorted = sorted.enumerated().filter { $0.offset == 0 || sorted[$0.offset - 1] != $0.element }.map(\.element) }
        result.output += sorted.map { $0 + "\n" }.joined()
      case "uniq":
        var runs: [(line: String, count: Int)] = []
        for line in lines {
          if runs.last?.line == line { runs[runs.count - 1].count += 1 } else { runs.append((line, 1)) }
        }
        result.output += runs.map { options.contains("-c") ? "\(padded($0.count, 7)) \($0.line)\n" : $0.line + "\n" }.joined()
      case "base64":
        if options.contains("-d") {
          let compact = text.filter { !$0.isWhitespace }
          guard let data = Data(base64Encoded: compact) else {
            return fail("base64: invalid input")
          }
          result.output += String(decoding: data, as: UTF8.self)
        } else {
          let encoded = Data(text.utf8).base64EncodedString()
          var wrapped = ""
          var rest = Substring(encoded)
          while !rest.isEmpty {
            wrapped += rest.prefix(76) + "\n"
            rest = rest.dropFirst(76)
          }
          result.output += wrapped
        }
      case "rev": result.output += lines.map { String($0.reversed()) + "\n" }.joined()
      default: translate(text, options, operands)
      }
    }
  }

  /// The files' text, or the piped input when there are none; nil after an error.
  private mutating func read(_ files: [String], _ tool: String) -> String? {
    guard !files.isEmpty else { return input ?? "" }
    var text = ""
    for path in files {
      guard let content = cluster.readFile(path, pod, kubelet, runtime, container) else {
        fail("\(tool): \(path): No such file or directory")
        return nil
      }
      text += content
    }
    return text
  }

  private func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number)
    return String(repeating: " ", count: max(0, width - digits.count)) + digits
  }

  /// `wc`: one column alone as a bare number; all three right-aligned as coreutils prints them.
  private func count(_ text: String, _ lines: [String], _ options: [String], files: [String])
    -> String
  {
    let figures = [
      ("-l", text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }),
      ("-w", text.split(whereSeparator: { $0.isWhitespace }).count),
      ("-c", text.utf8.count),
    ]
    let chosen = figures.filter { options.contains($0.0) }
    let suffix = files.isEmpty ? "" : " " + files.joined(separator: " ")
    if chosen.count == 1 { return "\(chosen[0].1)\(suffix)\n" }
    let shown = chosen.isEmpty ? figures : chosen
    return shown.map { padded($0.1, 7) }.joined(separator: " ") + suffix + "\n"
  }

  /// `grep [-i] [-v] [-c] [-q] [-n] [-F|-E] PATTERN [FILE…]`: status 0 when a line matched.
  private mutating func grep(_ options: [String], _ operands: [String]) {
    var operands = operands[...]
    let pattern: String
    if let given = options.first(where: { $0.hasPrefix("-e") && $0.count > 2 }) {
      pattern = String(given.dropFirst(2))
    } else if let first = operands.popFirst() {
      pattern = first
    } else {
      return fail("Usage: grep [-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...", code: 2)
    }
    let flags = Set(options.flatMap { $0.hasPrefix("-e") ? [] : Array($0.dropFirst()) })
    let ignoringCase = flags.contains("i")
    let literal = flags.contains("F") || pattern.allSatisfy { !"^$.*[]\\+?(){}|".contains($0) }
    let regex = literal ? nil : try? Regex(pattern).ignoresCase(ignoringCase)
    func matches(_ line: String) -> Bool {
      let found: Bool
      if let regex {
        found = line.contains(regex)
      } else if ignoringCase {
        found = line.lowercased().contains(pattern.lowercased())
      } else {
        found = pattern.isEmpty || line.contains(pattern)
      }
      return found != flags.contains("v")
    }
    let files = Array(operands)
    var total = 0
    for file in files.isEmpty ? [nil] : files.map(Optional.some) {
      guard let text = read(file.map { [$0] } ?? [], "grep") else { continue }
      let prefix = files.count > 1 ? "\(file ?? ""):" : ""
      let matched = ShellWords.lines(text).enumerated().filter { matches($0.element) }
      total += matched.count
      if flags.contains("q") { continue }
      if flags.contains("c") {
        result.output += "\(prefix)\(matched.count)\n"
      } else {
        result.output += matched.map {
          prefix + (flags.contains("n") ? "\($0.offset + 1):" : "") + $0.element + "\n"
        }.joined()
      }
    }
    if result.exitCode == 0 { result.exitCode = total > 0 ? 0 : 1 }
  }

  /// `tr SET1 SET2` (ranges such as a-z) and `tr -d SET`.
  private mutating func translate(_ text: String, _ options: [String], _ sets: [String]) {
    func expand(_ set: String) -> [Character] {
      let characters = Array(set)
      var result: [Character] = []
      var index = 0
      while index < characters.count {
        if index + 2 < characters.count, characters[index + 1] == "-",
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
      return result
    }
    guard let first = sets.first else { return fail("tr: missing operand", code: 1) }
    let from = expand(first)
    if options.contains("-d") {
      result.output += String(text.filter { !from.contains($0) })
      return
    }
    guard sets.count >= 2, let last = expand(sets[1]).last else {
      return fail("tr: missing operand after '\(first)'", code: 1)
    }
    let to = expand(sets[1])
    var mapping: [Character: Character] = [:]
    for (position, character) in from.enumerated() where mapping[character] == nil {
      mapping[character] = position < to.count ? to[position] : last
    }
    result.output += String(text.map { mapping[$0] ?? $0 })
  }
}
