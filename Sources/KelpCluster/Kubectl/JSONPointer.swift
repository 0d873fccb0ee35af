/// A JSON pointer (RFC 6901): `/spec/template/spec/containers/0/image`, `~1` for `/`.
struct JSONPointer {
  let tokens: [String]

  init(_ text: String) throws(KubectlError) {
    guard text.isEmpty || text.hasPrefix("/") else {
      throw KubectlError("error: JSON pointer \(goQuote(text)) must start with /")
    }
    tokens = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
      $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
  }

  func get(_ document: JSONValue) -> JSONValue? {
    var current = document
    for token in tokens {
      switch current {
      case .object(let fields):
        guard let next = fields[token] else { return nil }
        current = next
      case .array(let items):
        guard let index = Int(token), items.indices.contains(index) else { return nil }
        current = items[index]
      default: return nil
      }
    }
    return current
  }

  func set(_ value: JSONValue, in document: inout JSONValue, replacing: Bool) throws(KubectlError) {
    try JSONPointer.update(&document, tokens[...], path: tokens) { parent, last throws(KubectlError) in
      switch parent {
      case .object(var fields):
        if replacing && fields[last] == nil { throw JSONPointer.missing(tokens) }
        fields[last] = value
        parent = .object(fields)
      case .array(var items):
        if last == "-" && !replacing {
          items.append(value)
        } else if let index = Int(last), index >= 0, index <= items.count - (replacing ? 1 : 0) {
          if replacing { items[index] = value } else { items.insert(value, at: index) }
        } else {
          throw JSONPointer.missing(tokens)
        }
        parent = .array(items)
      default: throw JSONPointer.missing(tokens)
      }
    }
  }

  func remove(from document: inout JSONValue) throws(KubectlError) {
    try JSONPointer.update(&document, tokens[...], path: tokens) { parent, last throws(KubectlError) in
      switch parent {
      case .object(var fields):
        guard fields.removeValue(forKey: last) != nil else { throw JSONPointer.missing(tokens) }
        parent = .object(fields)
      case .array(var items):
        guard let index = Int(last), items.indices.contains(index) else {
          throw JSONPointer.missing(tokens)
        }
        items.remove(at: index)
        parent = .array(items)
      default: throw JSONPointer.missing(tokens)
      }
    }
  }

  private static func missing(_ tokens: [String]) -> KubectlError {
    KubectlError(
      "The request is invalid: the server rejected our request due to an error in our request: doc is missing path: \"/\(tokens.joined(separator: "/"))\"")
  }

  /// Walks to the parent of the last token and lets `change` edit it there.
  private static func update(
    _ node: inout JSONValue, _ rest: ArraySlice<String>, path: [String],
    _ change: (inout JSONValue, String) throws(KubectlError) -> Void
  ) throws(KubectlError) {
    guard let token = rest.first else { throw missing(path) }
    if rest.count == 1 {
      try change(&node, token)
      return
    }
    switch node {
    case .object(var fields):
      guard var child = fields[token] else { throw missing(path) }
      try update(&child, rest.dropFirst(), path: path, change)
      fields[token] = child
      node = .object(fields)
    case .array(var items):
      guard let index = Int(token), items.indices.contains(index) else { throw missing(path) }
      try update(&items[index], rest.dropFirst(), path: path, change)
      node = .array(items)
    default: throw missing(path)
    }
  }
}
