/// A kubectl command line split into words, the verb, positional arguments and flags, with
/// kubectl's own errors for flags it does not know.
struct KubectlCommandLine {
  var verb: String
  var arguments: [String] = []
  /// Words after `--` (`kubectl run x --image=busybox -- sleep 3600`).
  var trailing: [String] = []
  private var values: [String: [String]] = [:]

  /// Every flag Kelp's kubectl takes: long name, shorthand, and whether it takes a value.
  static let flags: [(long: String, short: Character?, takesValue: Bool)] = [
    ("namespace", "n", true), ("all-namespaces", "A", false), ("output", "o", true),
    ("selector", "l", true), ("show-labels", nil, false), ("watch", "w", false),
    ("overwrite", nil, false), ("force", nil, false), ("ignore-daemonsets", nil, false),
    ("delete-emptydir-data", nil, false), ("grace-period", nil, true), ("image", nil, true),
    ("restart", nil, true), ("labels", nil, true), ("port", nil, true), ("env", nil, true),
    ("command", nil, false), ("dry-run", nil, true), ("wait", nil, true), ("now", nil, false),
    ("all", nil, false), ("filename", "f", true), ("timeout", nil, true),
    ("requests", nil, true), ("limits", nil, true), ("annotations", nil, true),
    ("field-selector", nil, true), ("ignore-not-found", nil, false), ("container", "c", true),
    ("previous", "p", false), ("cascade", nil, true), ("to-revision", nil, true),
    ("replicas", nil, true),
    ("current-replicas", nil, true), ("cpu-percent", nil, true), ("min", nil, true),
    ("max", nil, true), ("name", nil, true), ("containers", nil, false), ("sort-by", nil, true),
    ("no-headers", nil, false), ("target-port", nil, true), ("type", nil, true),
    ("protocol", nil, true), ("stdin", "i", false), ("tty", "t", false),
    ("from-literal", nil, true), ("from-file", nil, true), ("from-env-file", nil, true),
    ("cert", nil, true), ("key", nil, true), ("docker-server", nil, true),
    ("docker-username", nil, true), ("docker-password", nil, true), ("docker-email", nil, true),
    ("tcp", nil, true), ("node-port", nil, true), ("clusterip", nil, true),
    ("external-name", nil, true), ("schedule", nil, true), ("hard", nil, true),
    ("scopes", nil, true), ("from", nil, true), ("patch", nil, true), ("for", nil, true),
    ("types", nil, true), ("label-columns", "L", true), ("record", nil, false),
    ("revision", nil, true), ("template", nil, true),
    ("recursive", nil, false), ("api-version", nil, true), ("subresource", nil, true),
  ]

  init(_ words: [String]) throws(KubectlError) {
    var words = words[...]
    if words.first == "kubectl" { words = words.dropFirst() }
    var verb: String?
    var positional: [String] = []
    while let word = words.popFirst() {
      if word == "--" {
        trailing = Array(words)
        break
      }
      if word.hasPrefix("--") && word.count > 2 {
        let body = word.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        guard let flag = KubectlCommandLine.flags.first(where: { $0.long == name }) else {
          throw KubectlError.usage("unknown flag: --\(name)", verb: verb)
        }
        if let equals = body.firstIndex(of: "=") {
          values[flag.long, default: []].append(String(body[body.index(after: equals)...]))
        } else if flag.takesValue {
          guard let value = words.popFirst() else {
            throw KubectlError.usage("flag needs an argument: --\(name)", verb: verb)
          }
          values[flag.long, default: []].append(value)
        } else {
          values[flag.long, default: []].append("true")
        }
      } else if word.hasPrefix("-") && word.count > 1
        && !(word.dropFirst().first?.isNumber ?? false)
      {
        var letters = word.dropFirst()
        while let letter = letters.first {
          letters = letters.dropFirst()
          // `-p` is --patch for patch, --previous for logs.
          let flag =
            letter == "p" && verb == "patch"
            ? KubectlCommandLine.flags.first { $0.long == "patch" }
            : KubectlCommandLine.flags.first { $0.short == letter }
          guard let flag else {
            throw KubectlError.usage("unknown shorthand flag: '\(letter)' in \(word)", verb: verb)
          }
          if flag.takesValue {
            var value = String(letters)
            if value.hasPrefix("=") { value.removeFirst() }
            if value.isEmpty {
              guard let next = words.popFirst() else {
                throw KubectlError.usage(
                  "flag needs an argument: '\(letter)' in -\(letter)", verb: verb)
              }
              value = next
            }
            values[flag.long, default: []].append(value)
            break
          }
          values[flag.long, default: []].append("true")
        }
      } else if verb == nil {
        verb = word
      } else {
        positional.append(word)
      }
    }
    guard let verb else {
      throw KubectlError(
        "error: kubectl needs a command, such as get, describe, run, delete, label, cordon or drain"
      )
    }
    self.verb = verb
    self.arguments = positional
  }

  func value(_ name: String) -> String? { values[name]?.last }
  func all(_ name: String) -> [String] { values[name] ?? [] }
  func flag(_ name: String) -> Bool {
    guard let value = values[name]?.last else { return false }
    return value != "false"
  }
  func has(_ name: String) -> Bool { values[name] != nil }

  /// Splits a command line as a POSIX shell would: words, single and double quotes, backslashes.
  static func words(_ line: String) throws(KubectlError) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
      if escaped {
        // Inside double quotes a backslash escapes only $ ` " \ and a line break; before
        // anything else it stays, as in sh ("{'\n'}" keeps its backslash for jsonpath).
        if quote == "\"" && !"$`\"\\\n".contains(character) { word.append("\\") }
        word.append(character)
        escaped = false
        continue
      }
      if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          word.append(character)
        }
        continue
      }
      switch character {
      case "\\": escaped = true; inWord = true
      case "'", "\"": quote = character; inWord = true
      case " ", "\t", "\n":
        if inWord { words.append(word) }
        word = ""
        inWord = false
      default:
        word.append(character)
        inWord = true
      }
    }
    if quote != nil { throw KubectlError("error: unterminated quote in: \(line)") }
    if inWord { words.append(word) }
    return words
  }
}

/// kubectl's failure: the text it prints on standard error, and its exit code (1).
public struct KubectlError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }

  static func usage(_ problem: String, verb: String?) -> KubectlError {
    KubectlError("error: \(problem)\nSee 'kubectl\(verb.map { " " + $0 } ?? "") --help' for usage.")
  }

  static func api(_ error: APIError) -> KubectlError { KubectlError(error.kubectlText) }
}
