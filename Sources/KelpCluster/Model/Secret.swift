/// A Secret: like a ConfigMap, but its values are bytes (base64 in `data`; `stringData` is
/// merged in on write and never stored), typed (`Opaque`, `kubernetes.io/tls`, …), and mounted
/// in memory. Its values never appear decoded in describe or in events.
public struct Secret: Hashable, Sendable {
  public var metadata: ObjectMeta
  /// Decoded values, by key, with `stringData` already merged over them.
  public var data: [String: [UInt8]] = [:]
  /// Upstream defaults an empty type to `Opaque` on write, so a decoded Secret always has one.
  public var type = Secret.opaque
  /// Optional as upstream's `*bool` is (see `ConfigMap.immutable`).
  public var immutable: Bool?

  public init(metadata: ObjectMeta) { self.metadata = metadata }

  public var isImmutable: Bool { immutable == true }

  /// What counts against the 1 MiB limit: the decoded bytes of every value.
  public var valueBytes: Int { data.values.reduce(0) { $0 + $1.count } }
}

/// The built-in types and the keys each one requires (upstream `core/v1/types.go`).
extension Secret {
  public static let opaque = "Opaque"
  public static let serviceAccountToken = "kubernetes.io/service-account-token"
  public static let dockercfg = "kubernetes.io/dockercfg"
  public static let dockerConfigJSON = "kubernetes.io/dockerconfigjson"
  public static let basicAuth = "kubernetes.io/basic-auth"
  public static let sshAuth = "kubernetes.io/ssh-auth"
  public static let tls = "kubernetes.io/tls"

  static let serviceAccountNameAnnotation = "kubernetes.io/service-account.name"
  static let tokenKey = "token"
  static let dockercfgKey = ".dockercfg"
  static let dockerConfigJSONKey = ".dockerconfigjson"
  static let usernameKey = "username"
  static let passwordKey = "password"
  static let sshPrivateKey = "ssh-privatekey"
  static let tlsCertKey = "tls.crt"
  static let tlsPrivateKeyKey = "tls.key"
}

extension Secret {
  /// What Go's `tls.X509KeyPair` says of a certificate and key kubectl is given for
  /// `create secret tls`, or nil. Kelp checks the PEM framing the way `pem.Decode` reads it
  /// (a certificate block in one, a `… PRIVATE KEY` block in the other) but does not parse
  /// the X.509 inside or check that the key matches the certificate.
  public static func tlsKeyPairProblem(certificate: String, key: String) -> String? {
    let certificateTypes = pemBlockTypes(certificate)
    if !certificateTypes.contains("CERTIFICATE") {
      if certificateTypes.isEmpty { return "tls: failed to find any PEM data in certificate input" }
      if certificateTypes.count == 1 && certificateTypes[0].hasSuffix("PRIVATE KEY") {
        return "tls: failed to find certificate PEM data in certificate input, but did find a "
          + "private key; PEM inputs may have been switched"
      }
      return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping "
        + "PEM blocks of the following types: [\(certificateTypes.joined(separator: " "))]"
    }
    var skipped: [String] = []
    for type in pemBlockTypes(key) {
      if type == "PRIVATE KEY" || type.hasSuffix(" PRIVATE KEY") { return nil }
      skipped.append(type)
    }
    if skipped.isEmpty { return "tls: failed to find any PEM data in key input" }
    if skipped == ["CERTIFICATE"] {
      return "tls: found a certificate rather than a key in the PEM for the private key"
    }
    return "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after "
      + "skipping PEM blocks of the following types: [\(skipped.joined(separator: " "))]"
  }

  /// The types of the well-formed PEM blocks in `text`, in order: a `-----BEGIN T-----` line
  /// at the start of a line, base64 lines, and `-----END T-----`. A block whose body does not
  /// decode is passed over, as `pem.Decode` does.
  static func pemBlockTypes(_ text: String) -> [String] {
    var types: [String] = []
    var rest = Substring(text)
    while let begin = rest.firstRange(of: "-----BEGIN ") {
      let atLineStart =
        begin.lowerBound == rest.startIndex
        || rest[rest.index(before: begin.lowerBound)] == "\n"
      let line = rest[begin.upperBound...].prefix { $0 != "\n" && $0 != "\r\n" }
      rest = rest[line.endIndex...]
      guard atLineStart, line.hasSuffix("-----") else { continue }
      let type = String(line.dropLast(5))
      guard let end = rest.firstRange(of: "-----END " + type + "-----") else { continue }
      let body = rest[..<end.lowerBound].filter { $0 != " " && $0 != "\t" }
      guard (try? Base64.decode(String(body))) != nil else { continue }
      types.append(type)
      rest = rest[end.upperBound...]
    }
    return types
  }
}

extension Secret {
  /// A `~/.docker/config.json` naming one registry, as kubectl's `create secret
  /// docker-registry` writes it with Go's `json.Marshal`: fields in struct order, empty ones
  /// left out, `auth` the base64 of `username:password`.
  public static func dockerConfigJSON(
    server: String, username: String, password: String, email: String
  ) -> [UInt8] {
    let entry = [
      ("username", username), ("password", password), ("email", email),
      ("auth", Base64.encode(username + ":" + password)),
    ].filter { !$0.1.isEmpty }.map { goJSONString($0.0) + ":" + goJSONString($0.1) }
    let text = "{\"auths\":{\(goJSONString(server)):{\(entry.joined(separator: ","))}}}"
    return Array(text.utf8)
  }

  /// Go's `json.Marshal` of a string: HTML characters and the two line separators escaped.
  static func goJSONString(_ text: String) -> String {
    var out = ""
    for scalar in JSONValue.jsonQuoted(text).unicodeScalars {
      switch scalar {
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

/// Whether bytes are a JSON object as Go's `json.Unmarshal` into `map[string]interface{}`
/// sees them: the API server checks docker config Secrets this way. The messages are Go's
/// scanner's (`invalid character 'x' looking for beginning of value`).
struct JSONObjectCheck {
  private let bytes: [UInt8]
  private var index = 0

  /// Go's error text, or nil when the bytes would decode (`null` does: the map stays nil).
  static func problem(_ bytes: [UInt8]) -> String? {
    var check = JSONObjectCheck(bytes: bytes)
    do throws(Failure) {
      check.skipSpace()
      try check.value("looking for beginning of value")
      check.skipSpace()
      if check.index < bytes.count { throw check.unexpected("after top-level value") }
    } catch {
      return error.text
    }
    let first = bytes.first { !JSONObjectCheck.isSpace($0) }
    let kind: String
    switch first {
    case UInt8(ascii: "{"), UInt8(ascii: "n"): return nil
    case UInt8(ascii: "["): kind = "array"
    case UInt8(ascii: "\""): kind = "string"
    case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = "bool"
    default: kind = "number"
    }
    return "json: cannot unmarshal \(kind) into Go value of type map[string]interface {}"
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  struct Failure: Error { let text: String }

  private static func isSpace(_ byte: UInt8) -> Bool { [9, 10, 13, 32].contains(byte) }

  private mutating func skipSpace() {
    while index < bytes.count, JSONObjectCheck.isSpace(bytes[index]) { index += 1 }
  }

  /// Go's `quoteChar` in a SyntaxError: `'x'`, `'\n'`, `'\''`.
  private func unexpected(_ context: String) -> Failure {
    guard index < bytes.count else { return Failure(text: "unexpected end of JSON input") }
    let byte = bytes[index]
    let shown: String
    switch byte {
    case UInt8(ascii: "'"): shown = "'\\''"
    case UInt8(ascii: "\""): shown = "'\"'"
    default:
      let quoted = goQuote(String(decoding: [byte], as: UTF8.self))
      shown = "'" + quoted.dropFirst().dropLast() + "'"
    }
    return Failure(text: "invalid character \(shown) \(context)")
  }

  private mutating func expect(_ byte: UInt8, _ context: String) throws(Failure) {
    guard index < bytes.count, bytes[index] == byte else { throw unexpected(context) }
    index += 1
  }

  private mutating func value(_ context: String) throws(Failure) {
    guard index < bytes.count else { throw unexpected(context) }
    switch bytes[index] {
    case UInt8(ascii: "{"): try members()
    case UInt8(ascii: "["): try elements()
    case UInt8(ascii: "\""): try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
    default: throw unexpected(context)
    }
  }

  private mutating func members() throws(Failure) {
    index += 1
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw unexpected("looking for beginning of object key string")
      }
      try string()
      skipSpace()
      try expect(UInt8(ascii: ":"), "after object key")
      skipSpace()
      try value("looking for beginning of value")
      skipSpace()
      guard index < bytes.count else { throw unexpected("") }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return
      }
      try expect(UInt8(ascii: ","), "after object key:value pair")
      skipSpace()
    }
  }

  private mutating func elements() throws(Failure) {
    index += 1
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return
    }
    while true {
      try value("looking for beginning of value")
      skipSpace()
      guard index < bytes.count else { throw unexpected("") }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return
      }
      try expect(UInt8(ascii: ","), "after array element")
      skipSpace()
    }
  }

  private mutating func string() throws(Failure) {
    index += 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return
      }
      if byte < 0x20 { throw unexpected("in string literal") }
      index += 1
      guard byte == UInt8(ascii: "\\") else { continue }
      guard index < bytes.count else { break }
      if bytes[index] == UInt8(ascii: "u") {
        for _ in 0..<4 {
          index += 1
          guard index < bytes.count else { throw unexpected("") }
          guard Character(UnicodeScalar(bytes[index])).isHexDigit else {
            throw unexpected("in \\u hexadecimal character escape")
          }
        }
      } else if !Array("\"\\/bfnrt".utf8).contains(bytes[index]) {
        throw unexpected("in string escape code")
      }
      index += 1
    }
    throw unexpected("")
  }

  private mutating func literal(_ word: String) throws(Failure) {
    for expected in word.utf8 {
      guard index < bytes.count, bytes[index] == expected else {
        throw unexpected(
          "in literal \(word) (expecting '\(Character(UnicodeScalar(expected)))')")
      }
      index += 1
    }
  }

  private mutating func digits() {
    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
      index += 1
    }
  }

  private mutating func number() throws(Failure) {
    let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else {
        throw unexpected("in numeric literal")
      }
    }
    if bytes[index] == UInt8(ascii: "0") { index += 1 } else { digits() }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else {
        throw unexpected("after decimal point in numeric literal")
      }
      digits()
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else {
        throw unexpected("in exponent of numeric literal")
      }
      digits()
    }
  }
}
