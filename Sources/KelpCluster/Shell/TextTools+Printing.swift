import Foundation

/// echo, printf and test.
extension TextTools {
  /// What `echo` or `printf` prints, and printf's complaint about a bad number.
  static func printed(_ command: String, _ arguments: [String]) -> (text: String, error: String?) {
    var arguments = arguments[...]
    if command == "echo" {
      var newline = true
      var escapes = false
      // busybox's echo: leading words made only of n, e and E letters are options.
      while let word = arguments.first, word.count > 1, word.hasPrefix("-"),
        word.dropFirst().allSatisfy({ "neE".contains($0) })
      {
        for letter in word.dropFirst() {
          switch letter {
          case "n": newline = false
          case "e": escapes = true
          default: escapes = false
          }
        }
        arguments = arguments.dropFirst()
      }
      let text = arguments.joined(separator: " ")
      guard escapes else { return (text + (newline ? "\n" : ""), nil) }
      let (output, stopped) = unescaped(text)
      return (output + (newline && !stopped ? "\n" : ""), nil)
    }
    guard let format = arguments.popFirst() else {
      return ("", "printf: usage: printf FORMAT [ARGUMENT...]")
    }
    var output = ""
    var error: String?
    repeat {
      let pass = formatted(format, arguments, error: &error)
      output += pass.text
      arguments = arguments.dropFirst(pass.used)
      if pass.used == 0 || pass.stopped { break }
    } while !arguments.isEmpty
    return (output, error)
  }

  /// Backslash escapes as `echo -e`, printf's format and `%b` read them; whether `\c` stopped
  /// the output.
  static func unescaped(_ text: String) -> (text: String, stopped: Bool) {
    var output = ""
    var characters = Substring(text)
    while let character = characters.popFirst() {
      guard character == "\\", let next = characters.popFirst() else {
        output.append(character)
        continue
      }
      switch next {
      case "n": output.append("\n")
      case "t": output.append("\t")
      case "r": output.append("\r")
      case "a": output.append("\u{07}")
      case "b": output.append("\u{08}")
      case "f": output.append("\u{0C}")
      case "v": output.append("\u{0B}")
      case "\\": output.append("\\")
      case "e": output.append("\u{1B}")
      case "c": return (output, true)
      case "0", "1", "2", "3", "4", "5", "6", "7":
        var digits = next == "0" ? "" : String(next)
        while digits.count < 3, let digit = characters.first, ("0"..."7").contains(digit) {
          digits.append(digit)
          characters.removeFirst()
        }
        if let code = UInt32(digits.isEmpty ? "0" : digits, radix: 8), let scalar = Unicode.Scalar(code) {
          output.unicodeScalars.append(scalar)
        }
      case "x":
        let digits = characters.prefix { $0.isHexDigit }.prefix(2)
        characters = characters.dropFirst(digits.count)
        if let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) {
          output.unicodeScalars.append(scalar)
        } else {
          output += "\\x"
        }
      default: output += "\\\(next)"
      }
    }
    return (output, false)
  }

  /// One pass of printf's format over its arguments.
  private static func formatted(
    _ format: String, _ arguments: ArraySlice<String>, error: inout String?
  ) -> (text: String, used: Int, stopped: Bool) {
    var output = ""
    var used = 0
    let (unescapedFormat, stopped) = unescaped(format)
    var characters = Substring(unescapedFormat)
    func next() -> String? {
      defer { used += 1 }
      return used < arguments.count ? arguments[arguments.startIndex + used] : nil
    }
    while let character = characters.popFirst() {
      guard character == "%" else {
        output.append(character)
        continue
      }
      let flags = String(characters.prefix { "-+ 0#".contains($0) })
      characters = characters.dropFirst(flags.count)
      let width = String(characters.prefix(while: \.isNumber))
      characters = characters.dropFirst(width.count)
      var precision: String?
      if characters.first == "." {
        characters.removeFirst()
        let digits = String(characters.prefix(while: \.isNumber))
        characters = characters.dropFirst(digits.count)
        precision = digits
      }
      guard let conversion = characters.popFirst() else {
        output.append("%")
        break
      }
      // A width or precision past any screen is busybox's error, not a huge allocation.
      guard width.count < 6, (precision ?? "").count < 6 else {
        error = "printf: %\(flags)\(width)\(precision.map { "." + $0 } ?? ""): invalid format"
        return (output, arguments.count, true)
      }
      let spec = "%" + flags + width + (precision.map { "." + $0 } ?? "")
      switch conversion {
      case "%": output.append("%")
      case "s", "b", "c":
        var text = next() ?? ""
        if conversion == "b" { text = unescaped(text).text }
        if conversion == "c" { text = String(text.prefix(1)) }
        if let precision, let limit = Int(precision), conversion != "c" { text = String(text.prefix(limit)) }
        let pad = String(repeating: " ", count: max(0, (Int(width) ?? 0) - text.count))
        output += flags.contains("-") ? text + pad : pad + text
      case "d", "i", "u", "x", "X", "o":
        let argument = next() ?? "0"
        var number = 0
        if let value = Int(argument) {
          number = value
        } else if let scalar = argument.dropFirst().unicodeScalars.first, argument.first == "'" || argument.first == "\"" {
          number = Int(scalar.value)
        } else if !argument.isEmpty {
          error = "printf: invalid number '\(argument)'"
        }
        let letter = conversion == "i" ? "d" : String(conversion)
        output += String(format: spec + "l" + letter, number)
      case "f", "F", "e", "E", "g", "G":
        let argument = next() ?? "0"
        let number = Double(argument) ?? 0
        if Double(argument) == nil, !argument.isEmpty { error = "printf: invalid number '\(argument)'" }
        output += String(format: spec + String(conversion), number)
      default:
        output += spec + String(conversion)
      }
    }
    return (output, used, stopped)
  }

  /// `test` and `[`: `!`, `-a`, `-o`, strings (`-n`, `-z`, `=`, `!=`), integers (`-eq` …) and
  /// files (`-e -f -d -s -r -w -x`). A file the host cannot tell about counts as there.
  static func holds(_ operands: ArraySlice<String>, file: (String) -> ShellFile) -> Bool {
    if let or = operands.firstIndex(of: "-o"), or > operands.startIndex {
      return holds(operands[..<or], file: file) || holds(operands[(or + 1)...], file: file)
    }
    if let and = operands.firstIndex(of: "-a"), and > operands.startIndex, operands.count > 2 {
      return holds(operands[..<and], file: file) && holds(operands[(and + 1)...], file: file)
    }
    guard let first = operands.first else { return false }
    if first == "!" { return !holds(operands.dropFirst(), file: file) }
    let rest = Array(operands.dropFirst())
    switch (first, rest.count) {
    case (_, 0): return !first.isEmpty
    case ("-n", 1): return !rest[0].isEmpty
    case ("-z", 1): return rest[0].isEmpty
    case ("-e", 1), ("-f", 1), ("-d", 1), ("-s", 1), ("-r", 1), ("-w", 1), ("-x", 1):
      switch (first, file(rest[0])) {
      case (_, .unknown): return true
      case (_, .missing): return false
      case ("-d", let found): return found == .directory
      case ("-f", let found): return found != .directory
      case ("-s", .text(let text)): return !text.isEmpty
      default: return true
      }
    case (_, 2):
      let (operation, other) = (rest[0], rest[1])
      switch operation {
      case "=", "==": return first == other
      case "!=": return first != other
      default:
        guard let left = Int(first), let right = Int(other) else { return false }
        switch operation {
        case "-eq": return left == right
        case "-ne": return left != right
        case "-lt": return left < right
        case "-le": return left <= right
        case "-gt": return left > right
        case "-ge": return left >= right
        default: return false
        }
      }
    default: return false
    }
  }
}
