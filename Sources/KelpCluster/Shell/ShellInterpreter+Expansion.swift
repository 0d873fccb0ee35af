/// Expansion, when a command runs: parameters (`$NAME`, `${NAME:-word}`, `${#NAME}`,
/// `${NAME%pattern}`, arrays), `$((arithmetic))` and `$(commands)`, then field splitting of
/// what was unquoted. There is no pathname expansion: a `*` stays as written.
extension ShellInterpreter {
  /// A word's fields: unquoted expansions split at blanks; a word that expands to nothing
  /// unquoted is no field at all (`echo $UNSET` prints an empty line).
  mutating func fields(_ word: ShellWord) throws(Stop) -> [String] {
    var fields: [String] = []
    var current = ""
    var started = false
    /// Pieces that go on the current field, each after the first starting a field of its own.
    func splice(_ pieces: [String]) {
      for (index, piece) in pieces.enumerated() {
        if index > 0 {
          fields.append(current)
          current = ""
        }
        current += piece
        started = true
      }
    }
    for part in word.parts {
      switch part {
      case .literal(let text, let quoted):
        current += text
        if quoted || !text.isEmpty { started = true }
      case .parameter(let expression, quoted: true)
      where expression.hasSuffix("[@]") && arrays[String(expression.dropLast(3))] != nil:
        // bash's "${items[@]}": a field per item.
        splice(arrays[String(expression.dropLast(3))] ?? [])
      case .parameter(_, let quoted), .arithmetic(_, let quoted), .command(_, let quoted):
        let value = try expand(part)
        if quoted {
          current += value
          started = true
          continue
        }
        let pieces = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        if value.first.map({ " \t\n".contains($0) }) == true, started {
          fields.append(current)
          current = ""
          started = false
        }
        splice(pieces.map(String.init))
        if value.last.map({ " \t\n".contains($0) }) == true, !pieces.isEmpty {
          fields.append(current)
          current = ""
          started = false
        }
      }
    }
    if started { fields.append(current) }
    return fields
  }

  /// A word as one string, unsplit (an assignment's value, a redirection's file).
  mutating func text(_ word: ShellWord) throws(Stop) -> String {
    var text = ""
    for part in word.parts {
      if case .literal(let literal, _) = part { text += literal } else { text += try expand(part) }
    }
    return text
  }

  private mutating func expand(_ part: ShellWord.Part) throws(Stop) -> String {
    switch part {
    case .literal(let text, _): return text
    case .parameter(let expression, _): return try parameter(expression)
    case .arithmetic(let expression, _):
      // `$x` inside is expanded first; bare names are read as variables by the evaluator.
      let expanded = try text(ShellParser.quotedWord(expression))
      do throws(ShellArithmetic.Failure) {
        let (value, assigned) = try ShellArithmetic.evaluate(expanded, variables: variables)
        for (name, text) in assigned where variables[name] != text { assign(name, text) }
        return String(value)
      } catch {
        return try fail(error.message)
      }
    case .command(let script, _):
      // Run in a subshell, its output captured without trailing newlines.
      captures.append("")
      let saved = (variables, arrays, exported)
      do {
        try execute(try ShellParser.parse(script, bash: bash))
      } catch let error as ShellSyntaxError {
        write(output: "", errors: "sh: \(error.message)\n")
        status = 2
      } catch Stop.exit(let code) {
        status = code
      } catch {
        (variables, arrays, exported) = saved
        captures.removeLast()
        throw Stop.forever
      }
      (variables, arrays, exported) = saved
      substitutionStatus = status
      var output = captures.removeLast()
      while output.last == "\n" { output.removeLast() }
      return output
    }
  }

  /// An expansion error ends a non-interactive shell with status 2, as ash does.
  private mutating func fail(_ message: String) throws(Stop) -> String {
    write(output: "", errors: "sh: \(message)\n")
    throw Stop.exit(2)
  }

  private func lookup(_ name: String) -> String? {
    variables[name] ?? arrays[name]?.first
  }

  private mutating func parameter(_ expression: String) throws(Stop) -> String {
    switch expression {
    case "?": return String(status)
    case "$": return "1"  // the shell is PID 1 in its container
    case "#": return "0"
    case "0": return "sh"
    case "@", "*", "!", "-": return ""
    default: break
    }
    if expression.allSatisfy(\.isWholeNumber) { return "" }
    if expression.hasPrefix("#"), expression.count > 1 {
      let name = String(expression.dropFirst())
      if name.hasSuffix("[@]") || name.hasSuffix("[*]") {
        return String(arrays[String(name.dropLast(3))]?.count ?? (variables[name] == nil ? 0 : 1))
      }
      return String((lookup(name) ?? "").count)
    }
    let name = String(expression.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
    var rest = expression.dropFirst(name.count)
    guard !name.isEmpty else { return try fail("\(expression): bad substitution") }
    var value = lookup(name)
    if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
      let subscriptText = try text(ShellParser.quotedWord(String(rest[rest.index(after: rest.startIndex)..<close])))
      let items = arrays[name] ?? variables[name].map { [$0] }
      rest = rest[rest.index(after: close)...]
      if subscriptText == "@" || subscriptText == "*" {
        value = items?.joined(separator: " ")
      } else {
        let position =
          Int(subscriptText.filter { $0 != " " })
          ?? (try? ShellArithmetic.value(subscriptText, variables: variables)) ?? 0
        value = items.flatMap { items in
          let index = position < 0 ? items.count + position : position
          return items.indices.contains(index) ? items[index] : nil
        }
      }
    }
    if rest.isEmpty { return value ?? "" }
    for operation in [":-", ":=", ":+", ":?", "%%", "##", "-", "=", "+", "?", "%", "#", ":"]
    where rest.hasPrefix(operation) {
      let argumentText = String(rest.dropFirst(operation.count))
      let set = operation.hasPrefix(":") ? !(value ?? "").isEmpty : value != nil
      switch operation {
      case ":-", "-": return set ? value ?? "" : try text(ShellParser.quotedWord(argumentText))
      case ":=", "=":
        if set { return value ?? "" }
        let assigned = try text(ShellParser.quotedWord(argumentText))
        variables[name] = assigned
        return assigned
      case ":+", "+": return set ? try text(ShellParser.quotedWord(argumentText)) : ""
      case ":?", "?":
        if set { return value ?? "" }
        let message = try text(ShellParser.quotedWord(argumentText))
        return try fail("\(name): \(message.isEmpty ? "parameter not set" : message)")
      case ":":
        // ${NAME:offset} and ${NAME:offset:length}
        let numbers = argumentText.split(separator: ":", omittingEmptySubsequences: false)
          .map { Int($0.filter { $0 != " " }) }
        let characters = Array(value ?? "")
        var start = numbers.first.flatMap { $0 } ?? 0
        if start < 0 { start = max(0, characters.count + start) }
        start = min(start, characters.count)
        var end = characters.count
        if numbers.count > 1, let length = numbers[1] {
          let fromEnd = Int(min(length.magnitude, UInt(characters.count)))
          end = length < 0 ? max(start, characters.count - fromEnd) : start + min(characters.count - start, length)
        }
        return String(characters[start..<max(start, end)])
      default:
        let pattern = try text(ShellParser.quotedWord(argumentText))
        return ShellInterpreter.strip(
          value ?? "", pattern, fromEnd: operation.hasPrefix("%"), longest: operation.count == 2)
      }
    }
    return try fail("\(expression): bad substitution")
  }

  /// `${X%pattern}`, `${X%%pattern}`, `${X#pattern}`, `${X##pattern}`. Past 4,096 characters
  /// only the first and last 4,096 cut points are tried, which bounds the work.
  static func strip(_ value: String, _ pattern: String, fromEnd: Bool, longest: Bool) -> String {
    let characters = Array(value)
    let glob = Array(pattern)
    var lengths = Array(0...min(characters.count, 4_096))
    if characters.count > 4_096 { lengths += [characters.count] }
    for length in longest ? lengths.reversed() : lengths {
      let piece = fromEnd ? characters[(characters.count - length)...] : characters[..<length]
      if globMatches(glob[...], piece) {
        return String(fromEnd ? characters[..<(characters.count - length)] : characters[length...])
      }
    }
    return value
  }

  /// `*`, `?` and literal characters, without backtracking blow-up: the classic two-pointer
  /// match that returns to the last `*` only.
  static func globMatches(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
    let pattern = Array(pattern)
    let text = Array(text)
    var p = 0
    var t = 0
    var star: Int?
    var resume = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t], pattern[p] != "*" {
        p += 1
        t += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p
        resume = t
        p += 1
      } else if let star {
        p = star + 1
        resume += 1
        t = resume
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }
}
