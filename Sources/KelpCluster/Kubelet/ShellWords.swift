/// Just enough of the shell for container scripts: word splitting with quotes and backslashes,
/// `;`, `&&`, `||` and newlines between statements, `#` comments, and parameter expansion
/// (`$NAME`, `${NAME}`, `${NAME:-word}` and its kin, `${#NAME}`, arrays as `items=(a b)` and
/// `${items[1]}`, `$?`, `$$`, `$#`, `$0`) from the container's environment and the script's own
/// assignments, which count for the statements after them.
enum ShellWords {
  /// A statement's redirections, taken out of its words: `> file` and `>> file` (attached or
  /// apart) for its output, `>&2` to send it to the error stream; `2>&1` changes nothing here
  /// (both streams reach the log), and the error stream's own files (`2> file`) are dropped.
  static func redirect(_ statement: [String]) -> ShellRedirection {
    var redirection = ShellRedirection(words: [])
    var words = statement[...]
    while let word = words.popFirst() {
      if word == ">&2" || word == "1>&2" {
        redirection.toErrors = true
      } else if word.hasPrefix("2>") {
        // 2>&1 or the error stream to a file: nothing the simulation keeps.
        if word == "2>" || word == "2>>" { _ = words.popFirst() }
      } else if word.hasPrefix(">") || word.hasPrefix("1>") {
        let operator_ = word.hasPrefix("1") ? word.dropFirst() : word[...]
        guard !operator_.hasPrefix(">&") else { continue }
        redirection.append = operator_.hasPrefix(">>")
        var target = String(operator_.dropFirst(redirection.append ? 2 : 1))
        if target.isEmpty { target = words.popFirst() ?? "" }
        redirection.target = target.isEmpty ? nil : target
      } else {
        redirection.words.append(word)
      }
    }
    return redirection
  }

  /// A text's lines, without the empty one after its last newline.
  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// What `echo` (`-n`, `-e`) or `printf FORMAT ARG…` prints, or nil for another command.
  static func printed(_ words: [String]) -> String? {
    guard let path = words.first else { return nil }
    var arguments = Array(words.dropFirst())
    switch path.split(separator: "/").last.map(String.init) ?? path {
    case "echo":
      var newline = true
      var escapes = false
      while let flag = arguments.first, ["-n", "-e", "-ne", "-en", "-E"].contains(flag) {
        if flag.contains("n") { newline = false }
        escapes = flag.contains("e")
        arguments.removeFirst()
      }
      let text = arguments.joined(separator: " ")
      return (escapes ? unescaped(text) : text) + (newline ? "\n" : "")
    case "printf":
      guard !arguments.isEmpty else { return "" }
      let format = arguments.removeFirst()
      var output = ""
      repeat {
        let (text, used) = formatted(format, arguments)
        output += text
        arguments.removeFirst(min(used, arguments.count))
        if used == 0 { break }
      } while !arguments.isEmpty
      return output
    default: return nil
    }
  }

  /// `\n`, `\t`, `\\` and friends, as `echo -e` and printf's format read them.
  private static func unescaped(_ text: String) -> String {
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
      case "\\": output.append("\\")
      case "a": output.append("\u{07}")
      default: output += "\\\(next)"
      }
    }
    return output
  }

  /// One pass of printf's format over its arguments: the text, and how many arguments it used.
  private static func formatted(_ format: String, _ arguments: [String]) -> (String, Int) {
    var output = ""
    var used = 0
    var characters = Substring(unescaped(format))
    while let character = characters.popFirst() {
      guard character == "%", let conversion = characters.popFirst() else {
        output.append(character)
        continue
      }
      let argument = used < arguments.count ? arguments[used] : nil
      switch conversion {
      case "%": output.append("%")
      case "s", "b":
        output += conversion == "b" ? unescaped(argument ?? "") : argument ?? ""
        used += 1
      case "d", "i":
        output += String(argument.flatMap { Int($0) } ?? 0)
        used += 1
      default: output += "%\(conversion)"
      }
    }
    return (output, used)
  }

  /// The script's statements, expanded with `environment` (a name it lacks expands to nothing,
  /// as in sh), each with the condition `&&` or `||` put on it.
  static func script(_ script: String, environment: [String: String] = [:]) -> [ShellStatement] {
    var tokenizer = ShellTokenizer(variables: environment)
    return tokenizer.statements(script)
  }
}
