/// The kubelet's `$(VAR)` references, in an env value (to variables defined before it) and in a
/// container's command and args (to its whole environment), as upstream's
/// third_party/forked/golang/expansion: `$$` is a literal `$`, and a reference to an unknown
/// name or one without its `)` stays as written.
enum VariableReferences {
  static func expand(_ value: String, _ environment: [String: String]) -> String {
    guard value.contains("$") else { return value }
    var result = ""
    var characters = Substring(value)
    while let character = characters.first {
      characters.removeFirst()
      guard character == "$", let next = characters.first else {
        result.append(character)
        continue
      }
      if next == "$" {
        result.append("$")
        characters.removeFirst()
      } else if next == "(", let close = characters.firstIndex(of: ")") {
        let name = String(characters[characters.index(after: characters.startIndex)..<close])
        result += environment[name] ?? "$(\(name))"
        characters = characters[characters.index(after: close)...]
      } else {
        result.append(character)
      }
    }
    return result
  }
}
