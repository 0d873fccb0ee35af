extension Secret {
  public static func decode(_ manifest: JSONValue) throws(ManifestError) -> (
    Secret, unknownFields: [String]
  ) {
    var (top, metadata) = try FieldDecoder.object(manifest, goType: "Secret")
    var secret = Secret(metadata: metadata)
    secret.data = try top.base64Map("data", kind: "Secret")
    // The API server turns `stringData` into `data` as it converts the request to its
    // internal type, the text winning over a `data` value of the same key; the field itself
    // is never stored, so it is never returned either.
    for (key, value) in try top.stringMap("stringData") { secret.data[key] = Array(value.utf8) }
    let type = try top.string("type") ?? ""
    secret.type = type.isEmpty ? Secret.opaque : type
    secret.immutable = try top.bool("immutable")
    top.finish()
    return (secret, top.unknownFieldWarnings)
  }

  public func encoded(serverFields: Bool = true) -> JSONValue {
    var out = JSONObjectBuilder()
    out.set("apiVersion", "v1")
    out.set("data", Base64.encodedMap(data))
    out.set("immutable", immutable)
    out.set("kind", "Secret")
    out.set("metadata", metadata.encoded(serverFields: serverFields))
    out.set("type", type)
    return out.value
  }
}

extension FieldDecoder {
  /// A Go `map[string][]byte` (Secret `data`, ConfigMap `binaryData`): base64 text decoded as
  /// Go's JSON decoder does. The first bad value in key order (kubectl sends keys sorted)
  /// fails the object with the API server's words, pointing at the value's line.
  mutating func base64Map(_ key: String, kind: String) throws(ManifestError) -> [String: [UInt8]] {
    guard let value = raw(key) else { return [:] }
    guard case .object(let entries) = value else {
      throw typeError(key, value, expected: "map[string][]uint8")
    }
    var result: [String: [UInt8]] = [:]
    for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
      switch entry {
      case .null: result[name] = []
      case .string(let text):
        do {
          result[name] = try Base64.decode(text)
        } catch {
          throw ManifestError(
            "\(kind) in version \"v1\" cannot be handled as a \(kind): \(error)",
            fieldPath: childPath(key) + "." + name)
        }
      default: throw typeError(key, entry, expected: "[]uint8")
      }
    }
    return result
  }
}

/// Base64 with padding, as Go's `base64.StdEncoding` writes and reads it: the wire form of
/// every `[]byte` field. Decoding skips line breaks and reports the first byte it cannot
/// accept at the offset Go's `CorruptInputError` gives, which is what the API server prints.
/// Secret and ConfigMap share it; it lives here because Secrets are its main reader.
enum Base64 {
  struct CorruptInput: Error, CustomStringConvertible {
    let offset: Int
    var description: String { "illegal base64 data at input byte \(offset)" }
  }

  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let count = min(3, bytes.count - index)
      var group = UInt32(bytes[index]) << 16
      if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
      if count > 2 { group |= UInt32(bytes[index + 2]) }
      for position in 0..<4 {
        if position <= count {
          out.append(alphabet[Int((group >> (18 - 6 * UInt32(position))) & 63)])
        } else {
          out.append(UInt8(ascii: "="))
        }
      }
      index += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func encode(_ text: String) -> String { encode(Array(text.utf8)) }

  static func encodedMap(_ map: [String: [UInt8]]) -> [String: String] {
    map.mapValues { encode($0) }
  }

  private static func sextet(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }

  /// Go's `decodeQuantum`, one group of four at a time: a group cut short by the end of the
  /// text is an error at its first byte; padding is one `=` after three letters or two after
  /// two; anything after the padding but line breaks is an error where it starts.
  static func decode(_ text: String) throws(CorruptInput) -> [UInt8] {
    let source = Array(text.utf8)
    let isLineBreak = { (byte: UInt8) in byte == 10 || byte == 13 }
    var out: [UInt8] = []
    out.reserveCapacity(source.count / 4 * 3)
    var index = 0
    while index < source.count {
      var group: UInt32 = 0
      var letters = 0
      var trailingGarbage: Int?
      quantum: while letters < 4 {
        guard index < source.count else {
          if letters == 0 { return out }
          throw CorruptInput(offset: index - letters)
        }
        let byte = source[index]
        index += 1
        if let value = sextet(byte) {
          group |= value << (18 - 6 * UInt32(letters))
          letters += 1
          continue
        }
        if isLineBreak(byte) { continue }
        guard byte == UInt8(ascii: "="), letters >= 2 else { throw CorruptInput(offset: index - 1) }
        if letters == 2 {
          while index < source.count, isLineBreak(source[index]) { index += 1 }
          guard index < source.count else { throw CorruptInput(offset: source.count) }
          guard source[index] == UInt8(ascii: "=") else { throw CorruptInput(offset: index - 1) }
          index += 1
        }
        while index < source.count, isLineBreak(source[index]) { index += 1 }
        if index < source.count { trailingGarbage = index }
        break quantum
      }
      out.append(UInt8(group >> 16))
      if letters > 2 { out.append(UInt8((group >> 8) & 255)) }
      if letters > 3 { out.append(UInt8(group & 255)) }
      if let trailingGarbage { throw CorruptInput(offset: trailingGarbage) }
    }
    return out
  }
}
