import OrderedCollections
import Yams

/// Reads YAML manifests (one or many documents) into API objects' wire shape, remembering where
/// each field was written so a decoding error can say `pod.yaml:7:14`.
public struct ManifestDocument: Sendable {
  public var value: JSONValue
  /// `spec.containers[0].image` → `file:line:column`.
  public var locations: [String: String]
  /// Where the document starts.
  public var location: String

  /// The location of a field path, or of its nearest written parent.
  public func location(of path: String) -> String {
    var path = path
    while !path.isEmpty {
      if let found = locations[path] { return found }
      if let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) {
        path = String(path[..<cut])
      } else {
        break
      }
    }
    return location
  }
}

public enum ManifestLoader {
  /// Every non-empty document of a YAML text. `file` names it in locations.
  public static func documents(_ text: String, file: String) throws(ManifestError)
    -> [ManifestDocument]
  {
    var result: [ManifestDocument] = []
    do {
      var sequence = try Yams.compose_all(yaml: text)
      while let node = sequence.next() {
        var locations: [String: String] = [:]
        let value = convert(node, path: "", file: file, locations: &locations)
        if value == .null { continue }
        let start = node.mark.map { "\(file):\($0.line):\($0.column)" } ?? file
        result.append(ManifestDocument(value: value, locations: locations, location: start))
      }
      if let error = sequence.error { throw error }
    } catch let error as YamlError {
      throw ManifestError(yamlMessage(error, file: file, text: text))
    } catch {
      throw ManifestError("\(file): \(error)")
    }
    return result
  }

  private static func yamlMessage(_ error: YamlError, file: String, text: String) -> String {
    switch error {
    case .reader(let problem, let offset, _, _):
      // Binary data or a stray control character: where, not the bytes themselves.
      var line = 1
      var column = 1
      for byte in text.utf8.prefix(offset ?? 0) {
        if byte == UInt8(ascii: "\n") {
          line += 1
          column = 1
        } else {
          column += 1
        }
      }
      return "\(file):\(line):\(column): error converting YAML to JSON: yaml: \(problem)"
    case .duplicatedKeysInMapping(let duplicates, let context):
      // As sigs.k8s.io/yaml reports it: the line of the key's second appearance.
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      var found: [(line: Int, column: Int, key: String)] = []
      for key in duplicates.sorted() {
        var seen = 0
        for (index, line) in lines.enumerated() where index + 1 >= context.mark.line {
          let trimmed = line.drop { $0 == " " || $0 == "-" }
          guard trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") else { continue }
          seen += 1
          if seen == 2 {
            found.append((index + 1, line.count - trimmed.count + 1, key))
            break
          }
        }
      }
      let first = found.first.map { "\(file):\($0.line):\($0.column)" } ?? file
      let details = found.map { "  line \($0.line): key \"\($0.key)\" already set in map" }
      return "\(first): error converting YAML to JSON: yaml: unmarshal errors:\n"
        + details.joined(separator: "\n")
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return "\(file):\(mark.line):\(mark.column): error converting YAML to JSON: yaml: \(problem)"
    default:
      return "\(file): error converting YAML to JSON: \(error)"
    }
  }

  private static func convert(
    _ node: Yams.Node, path: String, file: String, locations: inout [String: String]
  ) -> JSONValue {
    if let mark = node.mark, !path.isEmpty, locations[path] == nil {
      locations[path] = "\(file):\(mark.line):\(mark.column)"
    }
    switch node {
    case .scalar(let scalar):
      // Quoted scalars are strings; plain ones are read as YAML 1.1 reads them.
      guard scalar.style == .plain else { return .string(scalar.string) }
      if node.null != nil { return .null }
      if let flag = node.bool { return .bool(flag) }
      if let number = node.int { return .int(Int64(number)) }
      if let number = node.float, scalar.string.contains(where: { $0.isNumber }) {
        return .double(number)
      }
      return .string(scalar.string)
    case .mapping(let mapping):
      var fields: OrderedDictionary<String, JSONValue> = [:]
      for (key, value) in mapping {
        let name = key.string ?? ""
        let childPath = path.isEmpty ? name : path + "." + name
        if let mark = key.mark { locations[childPath] = "\(file):\(mark.line):\(mark.column)" }
        fields[name] = convert(value, path: childPath, file: file, locations: &locations)
      }
      return .object(fields)
    case .sequence(let sequence):
      return .array(
        sequence.enumerated().map { index, item in
          convert(item, path: "\(path)[\(index)]", file: file, locations: &locations)
        })
    case .alias:
      return .null
    }
  }
}
