/// Where `kubectl create configmap|secret` read their data: `--from-literal`, `--from-file`,
/// `--from-env-file`, with kubectl's parsing and errors.
extension Kubectl {

  /// A file named by `--from-file` or `--from-env-file`. Kelp reads text, so a file that is
  /// not UTF-8 arrives repaired rather than in `binaryData`.
  func readSource(_ path: String) throws(KubectlError) -> String {
    do {
      return try readFile(path)
    } catch {
      throw KubectlError("error: error reading \(path): no such file or directory")
    }
  }

  /// Upstream `ParseLiteralSource`: `key=value`, the value keeping any further `=`.
  static func parseLiteralSource(_ source: String) throws(KubectlError) -> (String, String) {
    guard let equals = source.firstIndex(of: "="), equals != source.startIndex else {
      throw KubectlError("error: invalid literal source \(source), expected key=value")
    }
    return (String(source[..<equals]), String(source[source.index(after: equals)...]))
  }

  /// Upstream `ParseFileSource`: `path` (the key is the file's base name) or `key=path`.
  static func parseFileSource(_ source: String) throws(KubectlError) -> (String, String) {
    let parts = source.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
    switch parts.count {
    case 1:
      let trimmed = source.reversed().drop { $0 == "/" }.reversed()
      let base = trimmed.split(separator: "/").last.map(String.init)
      return (source.isEmpty ? "." : base ?? "/", source)
    case 2 where parts[0].isEmpty:
      throw KubectlError("error: key name for file path \(parts[1]) missing")
    case 2 where parts[1].isEmpty:
      throw KubectlError("error: file path for key name \(parts[0]) missing")
    case 2: return (parts[0], parts[1])
    default: throw KubectlError("error: key names or file paths cannot contain '='")
    }
  }

  /// Upstream `AddFromEnvFile`: `KEY=value` lines; blank lines and `#` comments are skipped,
  /// leading space is dropped, the value is kept as written (quotes included). A line with no
  /// `=` takes the variable from kubectl's environment, which in Kelp is empty.
  func envFilePairs(_ path: String) throws(KubectlError) -> [(String, String)] {
    let text = try readSource(path)
    var pairs: [(String, String)] = []
    for (number, bytes) in text.utf8.split(separator: 10, omittingEmptySubsequences: false)
      .enumerated()
    {
      var line = Substring(String(decoding: bytes, as: UTF8.self))
      if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
      if number == 0, line.unicodeScalars.first == "\u{FEFF}" {
        line = Substring(line.unicodeScalars.dropFirst())
      }
      line = line.drop { $0.isWhitespace }
      if line.isEmpty || line.first == "#" { continue }
      let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = String(parts[0])
      let problems = Kubectl.envVarNameProblems(key)
      if !problems.isEmpty {
        throw KubectlError(
          "error: \(goQuote(key)) is not a valid key name: " + problems.joined(separator: ";"))
      }
      pairs.append((key, parts.count == 2 ? String(parts[1]) : ""))
    }
    return pairs
  }

  /// Upstream `validation.IsEnvVarName`.
  static func envVarNameProblems(_ name: String) -> [String] {
    var problems: [String] = []
    let isLetter = { (byte: UInt8) in
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || Array("-._".utf8).contains(byte)
    }
    let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    let bytes = Array(name.utf8)
    if bytes.first.map(isLetter) != true || !bytes.allSatisfy({ isLetter($0) || isDigit($0) }) {
      problems.append(
        Validation.regexError(
          "a valid environment variable name must consist of alphabetic characters, digits, "
            + "'_', '-', or '.', and must not start with a digit", "[-._a-zA-Z][-._a-zA-Z0-9]*",
          examples: ["my.env-name", "MY_ENV.NAME", "MyEnvName1"]))
    }
    if name == "." || name == ".." {
      problems.append("must not be '\(name)'")
    } else if name.hasPrefix("..") {
      problems.append("must not start with '..'")
    }
    return problems
  }
}
