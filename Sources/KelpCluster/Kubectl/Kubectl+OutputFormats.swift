/// What `kubectl get` knows beyond its tables: the output formats it names, the `all`
/// category, `-o custom-columns` specs and the `--sort-by` order.
extension Kubectl {
  /// The output formats kubectl 1.32's get knows.
  static let outputFormats = [
    "custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
    "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml",
  ]

  /// The Go template an `-o go-template=…`, `-o template=…` or `--template …` asks for (kubectl
  /// takes `--template` alone as go-template); nil for other formats.
  static func goTemplate(_ command: KubectlCommandLine) throws(KubectlError) -> GoTemplate? {
    let output = command.value("output") ?? ""
    for prefix in ["go-template=", "template="] where output.hasPrefix(prefix) {
      return try GoTemplate(String(output.dropFirst(prefix.count)))
    }
    guard ["go-template", "template"].contains(output) || (output.isEmpty && command.has("template"))
    else { return nil }
    guard let source = command.value("template"), !source.isEmpty else {
      throw KubectlError("error: template format specified but no template given")
    }
    return try GoTemplate(source)
  }

  /// kubectl's `all` category, in the order `kubectl get all` prints it.
  static let allCategory: [ResourceKind] = [
    .pod, .service, .daemonSet, .deployment, .replicaSet, .horizontalPodAutoscaler, .cronJob,
    .job,
  ]

  /// `NAME:.metadata.name,IMAGE:.spec.containers[*].image`: each column's header and field.
  static func customColumns(_ spec: String) throws(KubectlError) -> [(header: String, path: JSONPath)] {
    var columns: [(header: String, path: JSONPath)] = []
    for part in spec.split(separator: ",") {
      let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
      guard pieces.count == 2 else {
        throw KubectlError(
          "error: unexpected custom-columns spec: \(part), expected <header>:<json-path-expr>")
      }
      let field = pieces[1].hasPrefix("{") ? pieces[1] : "{\(pieces[1].hasPrefix(".") ? "" : ".")\(pieces[1])}"
      columns.append((pieces[0], try JSONPath(field)))
    }
    if columns.isEmpty { throw KubectlError("error: custom-columns format specified but no custom columns given") }
    return columns
  }

  /// Objects ordered by a field, as `--sort-by` orders them (kubectl's sorter): numbers by value,
  /// quantities as quantities (`500Mi` before `2Gi`), other text in natural order (`web-2`
  /// before `web-10`); objects without the field first, the order otherwise kept.
  static func sorted(_ objects: [Listed], by field: JSONPath) throws(KubectlError) -> [Listed] {
    var keyed: [(key: String, index: Int, object: Listed)] = []
    for (index, object) in objects.enumerated() {
      keyed.append((try field.render(object.json), index, object))
    }
    if !keyed.isEmpty && keyed.allSatisfy({ $0.key.isEmpty }) {
      throw KubectlError(
        "error: couldn't find any field with path \"\(field.template)\" in the list of objects")
    }
    return keyed.sorted { a, b in
      if a.key == b.key { return a.index < b.index }
      if let x = Double(a.key), let y = Double(b.key) { return x < y }
      if let x = try? Quantity(a.key), let y = try? Quantity(b.key),
        !a.key.isEmpty, !b.key.isEmpty, x.milliValue != y.milliValue
      {
        return x.milliValue < y.milliValue
      }
      return naturalLess(a.key, b.key)
    }.map(\.object)
  }

  /// Natural order: runs of digits compare as numbers.
  static func naturalLess(_ a: String, _ b: String) -> Bool {
    var left = Substring(a)
    var right = Substring(b)
    while let x = left.first, let y = right.first {
      if x.isASCII && x.isNumber && y.isASCII && y.isNumber {
        let leftDigits = left.prefix { $0.isASCII && $0.isNumber }
        let rightDigits = right.prefix { $0.isASCII && $0.isNumber }
        let leftNumber = leftDigits.drop { $0 == "0" }
        let rightNumber = rightDigits.drop { $0 == "0" }
        if leftNumber.count != rightNumber.count { return leftNumber.count < rightNumber.count }
        if leftNumber != rightNumber { return leftNumber < rightNumber }
        left = left.dropFirst(leftDigits.count)
        right = right.dropFirst(rightDigits.count)
        continue
      }
      if x != y { return x < y }
      left = left.dropFirst()
      right = right.dropFirst()
    }
    return left.isEmpty && !right.isEmpty
  }
}
