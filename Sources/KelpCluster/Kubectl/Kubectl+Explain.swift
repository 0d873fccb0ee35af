/// `kubectl explain RESOURCE[.FIELD…] [--recursive]`: the field documentation kubectl 1.32
/// prints from the server's OpenAPI v3 schemas, following its plaintext template
/// (k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) step by step.
extension Kubectl {
  func explain(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    guard let argument = command.arguments.first else {
      throw KubectlError(
        "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n")
    }
    let parts = argument.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let kind = ResourceKind.named(parts[0]) else {
      // explain prints this one without kubectl's usual `error: `.
      throw KubectlError("the server doesn't have a resource type \"\(parts[0])\"")
    }
    var served = ExplainSchemas.kinds.first(where: { $0.kind == kind.kind })
    if let asked = command.value("api-version") {
      let pieces = asked.split(separator: "/", maxSplits: 1).map(String.init)
      let (group, version) = pieces.count == 2 ? (pieces[0], pieces[1]) : ("", pieces[0])
      if served?.group != group || served?.version != version {
        throw KubectlError("error: GVR (\(group)/\(version), Resource=\(kind.plural)) not found in OpenAPI schema")
      }
    }
    guard let served, let schema = ExplainSchemas.schema(of: served) else {
      throw KubectlError("error: GVR (\(kind.plural)) not found in OpenAPI schema")
    }
    let path = Array(parts.dropFirst())
    var header = served.group.isEmpty ? "" : "GROUP:      \(served.group)\n"
    header += "KIND:       \(served.kind)\nVERSION:    \(served.version)\n\n"
    let body = ExplainText(recursive: command.flag("recursive")).output(schema, path: path[...], history: [])
    // kubectl has printed the header by the time it finds the field missing.
    guard !body.isEmpty else { throw KubectlError(header + "error: field \"\(path.last ?? "")\" does not exist") }
    return header + body + "\n"
  }
}

/// The plaintext template's named templates, as functions of the same names.
struct ExplainText {
  typealias Schema = ExplainSchemas.Schema
  let recursive: Bool

  /// Follows the field path, then prints the field's type, description and fields.
  func output(_ schema: Schema, path: ArraySlice<String>, history: Set<String>) -> String {
    let reference = schema["$ref"] as? String ?? ""
    var seen = history
    seen.insert(reference)
    let resolved = ExplainSchemas.resolve(reference) ?? schema
    if path.isEmpty {
      var text = "DESCRIPTION:\n"
      let about = description(resolved)
      text += indent(4, wrap(76, about.isEmpty ? "<empty>" : about)) + "\n"
      let fields = fieldList(resolved, level: 1, history: [])
      if !fields.isEmpty { text += "FIELDS:\n" + fields }
      return text
    }
    if !reference.isEmpty && history.contains(reference) { return "" }
    if let properties = resolved["properties"] as? [String: Schema], let field = properties[path.first!] {
      var text = ""
      if path.count == 1 { text += "FIELD: \(path.first!) <\(typeGuess(field))>\n" + "\n" + "\n" }
      return text + output(field, path: path.dropFirst(), history: [])
    }
    if let items = resolved["items"] as? Schema { return output(items, path: path, history: seen) }
    if let values = resolved["additionalProperties"] as? Schema {
      return output(values, path: path, history: seen)
    }
    for alternative in resolved["allOf"] as? [Schema] ?? [] {
      let text = output(alternative, path: path, history: seen)
      if !text.isEmpty { return text }
    }
    return ""
  }

  /// `name <type>` and its description for each field, sorted by name; with --recursive only
  /// the names and types, nested.
  func fieldList(_ schema: Schema, level: Int, history: Set<String>) -> String {
    let reference = schema["$ref"] as? String ?? ""
    if !reference.isEmpty && history.contains(reference) { return "" }
    var seen = history
    seen.insert(reference)
    let resolved = ExplainSchemas.resolve(reference) ?? schema
    var text = ""
    let properties = resolved["properties"] as? [String: Schema] ?? [:]
    for name in properties.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      text += fieldDetail(name, in: resolved, level: level)
      if recursive { text += fieldList(properties[name]!, level: level + 1, history: seen) }
    }
    for alternative in resolved["allOf"] as? [Schema] ?? [] {
      text += fieldList(alternative, level: level, history: seen)
    }
    if let items = resolved["items"] as? Schema { text += fieldList(items, level: level, history: seen) }
    if let values = resolved["additionalProperties"] as? Schema {
      text += fieldList(values, level: level, history: seen)
    }
    return text
  }

  func fieldDetail(_ name: String, in schema: Schema, level: Int) -> String {
    let indentAmount = level * 2
    let field = (schema["properties"] as? [String: Schema])?[name] ?? [:]
    var text = indent(indentAmount, name) + "\t<\(typeGuess(field))>"
    if (schema["required"] as? [String])?.contains(name) == true { text += " -required-" }
    text += "\n"
    if !recursive {
      let about = field["description"] as? String ?? ""
      text += indent(indentAmount + 2, wrap(78 - indentAmount, about.isEmpty ? "<no description>" : about)) + "\n"
      text += "\n"
    }
    return text
  }

  /// The schema's description, then those of what it refers to, its items and its values.
  func description(_ schema: Schema) -> String {
    let resolved = ExplainSchemas.resolve(schema["$ref"]) ?? schema
    var text = ""
    if let about = resolved["description"] as? String, !about.isEmpty { text += about + "\n" }
    for alternative in resolved["allOf"] as? [Schema] ?? [] { text += description(alternative) }
    if let items = resolved["items"] as? Schema { text += description(items) }
    if let values = resolved["additionalProperties"] as? Schema { text += description(values) }
    return text
  }

  /// `string`, `integer`, `Object`, `[]Container`, `map[string]string`, `Quantity`…
  func typeGuess(_ schema: Schema) -> String {
    if let items = schema["items"] as? Schema { return "[]" + typeGuess(items) }
    if let values = schema["additionalProperties"] as? Schema { return "map[string]" + typeGuess(values) }
    if let alternatives = schema["allOf"] as? [Schema], schema["properties"] == nil, alternatives.count == 1 {
      return typeGuess(alternatives[0])
    }
    if let reference = schema["$ref"] as? String {
      let target = ExplainSchemas.resolve(reference)
      let type = target?["type"] as? String ?? ""
      if type.isEmpty || type == "object" {
        let name = reference.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let short = name.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return short.isEmpty ? "Object" : short
      }
      return type
    }
    let type = schema["type"] as? String ?? ""
    return type == "object" || type.isEmpty ? "Object" : type
  }

  func indent(_ amount: Int, _ text: String) -> String {
    let pad = String(repeating: " ", count: amount)
    return pad + text.replacingOccurrences(of: "\n", with: "\n" + pad)
  }

  /// kubectl's word wrap (mitchellh/go-wordwrap): lines of at most `limit` characters, broken
  /// at spaces; a word longer than the limit stays whole; newlines are kept.
  func wrap(_ limit: Int, _ text: String) -> String {
    var out = ""
    var current = 0
    var word = ""
    var wordLength = 0
    var spaces = ""
    var spaceLength = 0
    for character in text {
      if character == "\n" {
        if word.isEmpty {
          if current + spaceLength > limit {
            current = 0
          } else {
            out += spaces
          }
        } else {
          out += spaces + word
        }
        spaces = ""
        spaceLength = 0
        word = ""
        wordLength = 0
        out.append("\n")
        current = 0
      } else if character.isWhitespace && character != "\u{A0}" {
        if spaces.isEmpty || !word.isEmpty {
          current += spaceLength + wordLength
          out += spaces + word
          spaces = ""
          spaceLength = 0
          word = ""
          wordLength = 0
        }
        spaces.append(character)
        spaceLength += 1
      } else {
        word.append(character)
        wordLength += 1
        if current + spaceLength + wordLength > limit && wordLength < limit {
          out.append("\n")
          current = 0
          spaces = ""
          spaceLength = 0
        }
      }
    }
    if word.isEmpty {
      if current + spaceLength <= limit { out += spaces }
    } else {
      out += spaces + word
    }
    return out
  }
}
