import Foundation

/// The text tools a container's shell has (busybox's applets): cat, grep, wc, head, tail, sort,
/// uniq, base64, rev, tr, cut and tee over files or piped input; echo and printf; and test's
/// expressions. Pure functions of their arguments, input and the files they may read.
enum TextTools {
  struct Result {
    var output = ""
    var errors = ""
    var status = 0
    /// Files `tee` writes: path and whole new text.
    var written: [(String, String)] = []
  }

  /// A tool's flags (`-rn` is `-r -n`, long names mapped to their letters) and operands.
  struct Options {
    var flags: Set<Character> = []
    var values: [Character: String] = [:]
    var operands: [String] = []

    static let valued: [String: Set<Character>] = [
      "grep": ["e", "m", "A", "B", "C"], "head": ["n", "c"], "tail": ["n", "c"],
      "sort": ["k", "t"], "cut": ["d", "f", "c", "b"], "base64": ["w"],
    ]
    static let long: [String: Character] = [
      "count": "c", "invert-match": "v", "ignore-case": "i", "quiet": "q", "silent": "q",
      "line-number": "n", "extended-regexp": "E", "fixed-strings": "F", "only-matching": "o",
      "word-regexp": "w", "line-regexp": "x", "files-with-matches": "l", "lines": "n",
      "bytes": "c", "reverse": "r", "numeric-sort": "n", "unique": "u", "decode": "d",
      "delete": "d", "squeeze-repeats": "s", "append": "a", "delimiter": "d", "fields": "f",
      "characters": "c", "regexp": "e",
    ]

    init(_ tool: String, _ arguments: [String]) {
      let valued = Options.valued[tool] ?? []
      var words = arguments[...]
      while let word = words.popFirst() {
        if word == "--" {
          operands += words
          break
        }
        if word.hasPrefix("--") {
          let body = word.dropFirst(2)
          let name = String(body.prefix { $0 != "=" })
          guard let letter = Options.long[name] else { continue }  // --color=never and friends
          if let equals = body.firstIndex(of: "=") {
            values[letter] = String(body[body.index(after: equals)...])
          } else if valued.contains(letter), let value = words.popFirst() {
            values[letter] = value
          } else {
            flags.insert(letter)
          }
          continue
        }
        // `-5` for head and tail; a lone `-` is standard input.
        guard word.hasPrefix("-"), word.count > 1,
          !(["head", "tail"].contains(tool) && word.dropFirst().allSatisfy(\.isNumber))
        else {
          if word.hasPrefix("-"), word.count > 1 { values["n"] = String(word.dropFirst()) } else {
            operands.append(word)
          }
          continue
        }
        var letters = word.dropFirst()
        while let letter = letters.popFirst() {
          if valued.contains(letter) {
            values[letter] = letters.isEmpty ? words.popFirst() ?? "" : String(letters)
            break
          }
          flags.insert(letter)
        }
      }
    }
  }

  static func run(
    _ tool: String, _ arguments: [String], input: String?, file: (String) -> ShellFile
  ) -> Result {
    let options = Options(tool, arguments)
    var result = Result()
    // What reading reported, kept apart from `result`, which grep writes while it reads.
    var readErrors = ""
    var readStatus: Int?
    /// The operands' text (or the input): nil after a missing file, reported.
    func read(_ paths: [String]) -> String? {
      guard !paths.isEmpty else { return input ?? "" }
      var text = ""
      for path in paths {
        if path == "-" {
          text += input ?? ""
          continue
        }
        switch file(path) {
        case .text(let content): text += content
        case .unknown: break
        case .directory:
          readErrors += "\(tool): read error: Is a directory\n"
          readStatus = tool == "grep" ? 2 : 1
          if tool == "grep" { return nil }
        case .missing:
          readErrors +=
            tool == "cat"
            ? "cat: can't open '\(path)': No such file or directory\n"
            : "\(tool): \(path): No such file or directory\n"
          readStatus = tool == "grep" ? 2 : 1
          if tool != "cat" { return nil }
        }
      }
      return text
    }
    func finished(_ result: Result) -> Result {
      var result = result
      result.errors = readErrors + result.errors
      if let readStatus, result.status == 0 || tool == "grep" { result.status = max(result.status, readStatus) }
      return result
    }
    switch tool {
    case "grep":
      grep(options, read: read, into: &result)
      return finished(result)
    case "tr":
      let text = input ?? ""
      translate(text, options, into: &result)
      return result
    case "tee":
      let text = input ?? ""
      result.output = text
      for path in options.operands {
        var existing = ""
        if options.flags.contains("a"), case .text(let before) = file(path) { existing = before }
        result.written.append((path, existing + text))
      }
      return result
    default: break
    }
    guard let text = read(options.operands) else { return finished(result) }
    let lines = ShellText.lines(text)
    switch tool {
    case "cat": result.output += text
    case "wc": result.output += count(text, options)
    case "head", "tail":
      let amount = options.values["n"] ?? "10"
      guard let number = Int(amount), number.magnitude < 1 << 40 else {
        result.errors += "\(tool): invalid number '\(amount)'\n"
        result.status = 1
        return result
      }
      let kept: ArraySlice<String>
      if tool == "head" {
        kept = number < 0 ? lines.dropLast(-number) : lines.prefix(number)
      } else if amount.hasPrefix("+") {
        kept = lines.dropFirst(max(0, number - 1))
      } else {
        kept = lines.suffix(abs(number))
      }
      result.output += kept.map { $0 + "\n" }.joined()
    case "sort":
      var sorted: [String]
      if options.flags.contains("n") {
        func key(_ line: String) -> Double { Double(line.prefix { !$0.isWhitespace }) ?? 0 }
        sorted = lines.sorted { key($0) == key($1) ? $0 < $1 : key($0) < key($1) }
      } else {
        sorted = lines.sorted()
      }
      if options.flags.contains("r") { sorted.reverse() }
      if options.flags.contains("u") {
        sorted = sorted.enumerated().filter { $0.offset == 0 || sorted[$0.offset - 1] != $0.element }
          .map(\.element)
      }
      result.output += sorted.map { $0 + "\n" }.joined()
    case "uniq":
      var runs: [(line: String, count: Int)] = []
      for line in lines {
        if runs.last?.line == line { runs[runs.count - 1].count += 1 } else { runs.append((line, 1)) }
      }
      result.output += runs.map {
        options.flags.contains("c") ? "\(padded($0.count, 7)) \($0.line)\n" : $0.line + "\n"
      }.joined()
    case "base64":
      if options.flags.contains("d") {
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
          result.errors += "base64: invalid input\n"
          result.status = 1
          return result
        }
        result.output += String(decoding: data, as: UTF8.self)
      } else {
        let encoded = Data(text.utf8).base64EncodedString()
        let width = Int(options.values["w"] ?? "76") ?? 76
        guard width > 0 else { return Result(output: encoded + "\n") }
        var rest = Substring(encoded)
        repeat {
          result.output += rest.prefix(width) + "\n"
          rest = rest.dropFirst(width)
        } while !rest.isEmpty
      }
    case "rev": result.output += lines.map { String($0.reversed()) + "\n" }.joined()
    case "cut": result.output += cut(lines, options)
    default: break
    }
    return finished(result)
  }

  static func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number)
    return String(repeating: " ", count: max(0, width - digits.count)) + digits
  }

  /// busybox `wc`: a single count alone is printed bare; several as `%9u` columns.
  private static func count(_ text: String, _ options: Options) -> String {
    let all: [(Character, Int)] = [
      ("l", text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }),
      ("w", text.split(whereSeparator: { $0.isWhitespace }).count),
      ("c", text.utf8.count),
    ]
    let chosen = all.filter { options.flags.contains($0.0) }
    let shown = chosen.isEmpty ? all : chosen
    let suffix = options.operands.isEmpty ? "" : " " + options.operands.joined(separator: " ")
    if shown.count == 1 { return "\(shown[0].1)\(suffix)\n" }
    return shown.map { padded($0.1, 9) }.joined(separator: " ") + suffix + "\n"
  }

  /// `cut -d D -f LIST` and `cut -c LIST` (LIST: 1,3 or 2-4 or 3-).
  private static func cut(_ lines: [String], _ options: Options) -> String {
    func selected(_ count: Int, _ list: String) -> [Int] {
      var indices: [Int] = []
      for range in list.split(separator: ",") {
        let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
        let low = max(1, Int(bounds.first ?? "") ?? 1)
        let high = min(count, bounds.count > 1 ? Int(bounds[1]) ?? count : low)
        if low <= high { indices += Array(low...high) }
      }
      return Array(Set(indices)).sorted()
    }
    if let list = options.values["c"] ?? options.values["b"] {
      return lines.map { line in
        let characters = Array(line)
        return String(selected(characters.count, list).map { characters[$0 - 1] }) + "\n"
      }.joined()
    }
    let delimiter = options.values["d"].flatMap(\.first) ?? "\t"
    let list = options.values["f"] ?? "1"
    return lines.map { line in
      guard line.contains(delimiter) else { return line + "\n" }
      let fields = line.split(separator: delimiter, omittingEmptySubsequences: false)
      return selected(fields.count, list).map { String(fields[$0 - 1]) }
        .joined(separator: String(delimiter)) + "\n"
    }.joined()
  }
}

/// Lines of text, shared by the tools and the container's log.
enum ShellText {
  /// A text's lines, without the empty one after its last newline.
  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
