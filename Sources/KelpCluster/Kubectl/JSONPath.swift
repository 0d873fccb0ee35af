import OrderedCollections

/// kubectl's JSONPath templates (`-o jsonpath=…`) as k8s.io/client-go/util/jsonpath runs them in
/// kubectl 1.32. Text outside `{}` prints as written; each action prints its results separated by
/// single spaces: strings bare, maps and lists as compact JSON with sorted keys, null as Go prints
/// nil (`<nil>`). kubectl allows missing keys (`--allow-missing-template-keys` defaults to true),
/// so a path that finds nothing prints nothing.
struct JSONPath {
  let template: String
  let allowMissingKeys: Bool
  /// One node list per literal text or `{…}` action, in template order.
  private let segments: [[Node]]

  fileprivate indirect enum Node {
    case text(String)
    case int(Int), float(Double), bool(Bool)
    case identifier(String)  // `range` and `end`
    case field(String)
    case wildcard  // `.*`: every value of a map or list
    case recursive  // `..`: the value and every map and list under it
    /// `[i]`, `[a:b]`, `[a:b:c]`, `[*]`; `single` marks `[i]`, whose end i+1 is derived.
    case slice(start: Int?, end: Int?, step: Int?, single: Bool)
    case filter(left: [Node], op: String, right: [Node])  // op "exists" for `[?(@.a)]`
    case union([[Node]])
  }

  init(_ template: String, allowMissingKeys: Bool = true) throws(KubectlError) {
    self.template = template
    self.allowMissingKeys = allowMissingKeys
    var parser = Parser(template)
    do throws(Failure) {
      segments = try parser.segments()
    } catch {
      throw KubectlError("error: error parsing jsonpath \(template), \(error.message)")
    }
  }

  func render(_ value: JSONValue) throws(KubectlError) -> String {
    var run = Run(segments: segments, allowMissingKeys: allowMissingKeys)
    do throws(Failure) {
      return try run.results(for: value, from: 0)
        .map { $0.map(GoFormat.text).joined(separator: " ") }.joined()
    } catch {
      // kubectl's printer wraps the engine's error with the template and a Go dump of the input.
      throw KubectlError(
        "error: error executing jsonpath \(GoFormat.quoted(template, json: false)): "
          + "Error executing template: \(error.message). "
          + "Printing more information for debugging the template:\n"
          + "\ttemplate was:\n\t\t\(template)\n"
          + "\tobject given to jsonpath engine was:\n\t\t\(GoFormat.dump(value, syntax: true))")
    }
  }
}

private struct Failure: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

private func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
  String(String.UnicodeScalarView(scalars))
}

/// The upstream grammar, quirks included: bracket keys are parsed again as `.key` (so
/// `['a.b']` is the path a.b), and `{.a,.b}` is an error (unions are `[…,…]`).
private struct Parser {
  typealias Node = JSONPath.Node
  let input: [Unicode.Scalar]
  var pos = 0

  init(_ text: String) { input = Array(text.unicodeScalars) }

  var peek: Unicode.Scalar? { pos < input.count ? input[pos] : nil }

  mutating func take(_ prefix: String) -> Bool {
    let wanted = Array(prefix.unicodeScalars)
    guard input[pos...].starts(with: wanted) else { return false }
    pos += wanted.count
    return true
  }

  mutating func segments() throws(Failure) -> [[Node]] {
    var segments: [[Node]] = []
    while peek != nil {
      let text = scan { $0 != "{" }
      if !text.isEmpty { segments.append([.text(string(text))]) }
      if take("{") { segments.append(try action()) }
    }
    return segments
  }

  /// A piece parsed on its own as an action, as upstream does for bracket keys, unions and the
  /// sides of filters.
  static func subAction(_ text: String) throws(Failure) -> [Node] {
    var parser = Parser("{" + text + "}")
    return try parser.segments().first ?? []
  }

  mutating func action() throws(Failure) -> [Node] {
    var nodes: [Node] = []
    while !take("}") {
      if take("[?(") {
        nodes.append(try filter())
      } else if take("..") {
        if case .recursive = nodes.last { throw Failure("invalid multiple recursive descent") }
        nodes.append(.recursive)
        if let next = peek, Parser.isAlphaNumeric(next) { nodes.append(field()) }
      } else {
        guard let scalar = peek, scalar != "\r", scalar != "\n" else {
          throw Failure("unclosed action")
        }
        pos += 1
        switch scalar {
        case " ", "@", "$": continue
        case "[": nodes += try bracket()
        case "\"", "'": nodes.append(.text(try quoted(scalar)))
        case ".": nodes.append(field())
        case _ where scalar == "+" || scalar == "-" || Parser.isDigit(scalar):
          let text = string([scalar] + scan { $0 == "." || Parser.isDigit($0) })
          guard let number = Int(text).map(Node.int) ?? Double(text).map(Node.float) else {
            throw Failure("cannot parse number \(text)")
          }
          nodes.append(number)
        case _ where Parser.isAlphaNumeric(scalar):
          let word = string([scalar] + scan { !Parser.isTerminator($0) })
          nodes.append(
            word == "true" || word == "false" ? .bool(word == "true") : .identifier(word))
        default:
          // Go's %#U: the code point, then the character itself unless it is a control.
          let code = "U+" + GoFormat.padded(scalar.value, 4).uppercased()
          let shown = scalar.properties.generalCategory == .control ? "" : " '\(scalar)'"
          throw Failure("unrecognized character in action: \(code)\(shown)")
        }
      }
    }
    return nodes
  }

  mutating func scan(while accepts: (Unicode.Scalar) -> Bool) -> ArraySlice<Unicode.Scalar> {
    let start = pos
    while let scalar = peek, accepts(scalar) { pos += 1 }
    return input[start..<pos]
  }

  /// Scans through the first scalar `ends` accepts (it gets the scalar before it too), returning
  /// what came before that one.
  mutating func through(
    _ what: String, _ ends: (Unicode.Scalar, Unicode.Scalar?) -> Bool
  ) throws(Failure) -> ArraySlice<Unicode.Scalar> {
    let start = pos
    while true {
      guard let scalar = peek, scalar != "\n" else { throw Failure("unterminated \(what)") }
      pos += 1
      if ends(scalar, pos >= 2 ? input[pos - 2] : nil) { return input[start..<pos - 1] }
    }
  }

  /// A field name runs to the next unescaped terminator; then its backslashes go.
  mutating func field() -> Node {
    var raw = String.UnicodeScalarView()
    while let scalar = peek, !Parser.isTerminator(scalar) {
      raw.append(scalar)
      pos += 1
      if scalar == "\\", let escaped = peek {
        raw.append(escaped)
        pos += 1
      }
    }
    let name = String(raw)
    return name == "*" ? .wildcard : .field(name.filter { $0 != "\\" })
  }

  mutating func bracket() throws(Failure) -> [Node] {
    var text = string(try through("array") { scalar, _ in scalar == "]" })
    if text == "*" { text = ":" }
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    if parts.count > 1 {
      var union: [[Node]] = []
      for part in parts {
        let trimmed = String(part.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        union.append(try Parser.subAction("[" + trimmed + "]"))
      }
      return [.union(union)]
    }
    if text.count >= 2, text.first == "'", text.last == "'", text.filter({ $0 == "'" }).count == 2 {
      return try Parser.subAction("." + text.dropFirst().dropLast())
    }
    // Upstream's `^(-?\d*)(:-?\d*)?(:-?\d*)?$`.
    let bounds = text.split(separator: ":", omittingEmptySubsequences: false)
    let isBound = { (bound: Substring) in
      (bound.hasPrefix("-") ? bound.dropFirst() : bound).allSatisfy { "0"..."9" ~= $0 }
    }
    guard bounds.count <= 3, bounds.allSatisfy(isBound) else {
      throw Failure("invalid array index \(text)")
    }
    func bound(_ at: Int) throws(Failure) -> Int? {
      guard at < bounds.count, !bounds[at].isEmpty else { return nil }
      guard let value = Int(bounds[at]) else {
        throw Failure("array index \(bounds[at]) is not a number")
      }
      return value
    }
    let start = try bound(0)
    guard bounds.count > 1 else {
      return [.slice(start: start, end: (start ?? 0) &+ 1, step: nil, single: true)]
    }
    return [.slice(start: start, end: try bound(1), step: try bound(2), single: false)]
  }

  mutating func filter() throws(Failure) -> Node {
    // A `)` inside the filter's (one) quoted literal doesn't end it.
    var opened = false
    var closed = false
    var quote: Unicode.Scalar = "\""
    let body = try through("filter") { scalar, before in
      if scalar == "\"" || scalar == "'" {
        if !opened {
          (opened, quote) = (true, scalar)
        } else if scalar == quote && before != "\\" {
          closed = true
        }
      }
      return scalar == ")" && opened == closed
    }
    guard take("]") else { throw Failure("unclosed array expect ]") }
    // As upstream's `^([^!<>=]+)([!<>=]+)(.+?)$`: the first run of operator characters, less its
    // last one when nothing follows it; without a match the filter tests that its path exists.
    let isOperator = { (scalar: Unicode.Scalar) in "!<>=".unicodeScalars.contains(scalar) }
    if let opStart = body.firstIndex(where: isOperator), opStart > body.startIndex {
      var opEnd = body[opStart...].firstIndex { !isOperator($0) } ?? body.endIndex
      if opEnd == body.endIndex { opEnd -= 1 }
      if opEnd > opStart {
        return .filter(
          left: try Parser.subAction(string(body[..<opStart])), op: string(body[opStart..<opEnd]),
          right: try Parser.subAction(string(body[opEnd...])))
      }
    }
    return .filter(left: try Parser.subAction(string(body)), op: "exists", right: [])
  }

  /// A quoted literal, unescaped as Go's strconv.Unquote does (but either quote may delimit).
  mutating func quoted(_ quote: Unicode.Scalar) throws(Failure) -> String {
    let start = pos - 1
    var rest = try through("quoted string") { scalar, before in scalar == quote && before != "\\" }
    let failure = Failure("unquote string \(string(input[start..<pos])) error invalid syntax")
    let named: [Unicode.Scalar: Unicode.Scalar] = [
      "a": "\u{7}", "b": "\u{8}", "f": "\u{C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{B}",
      "\\": "\\", quote: quote,
    ]
    var out = String.UnicodeScalarView()
    while let scalar = rest.popFirst() {
      guard scalar != quote else { throw failure }
      guard scalar == "\\" else {
        out.append(scalar)
        continue
      }
      guard let escape = rest.popFirst() else { throw failure }
      if let plain = named[escape] {
        out.append(plain)
        continue
      }
      // \xhh, \uhhhh, \Uhhhhhhhh, or three octal digits (the first is the escape itself).
      let octal = ("0"..."7").contains(escape)
      let length = octal ? 2 : ["x": 2, "u": 4, "U": 8][escape] ?? 0
      guard length > 0, rest.count >= length,
        let code = UInt32(
          string((octal ? [escape] : []) + rest.prefix(length)), radix: octal ? 8 : 16),
        !octal || code <= 255, let decoded = Unicode.Scalar(code)
      else { throw failure }
      out.append(decoded)
      rest = rest.dropFirst(length)
    }
    return String(out)
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .decimalNumber
  }

  static func isAlphaNumeric(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "_" || scalar.properties.isAlphabetic || isDigit(scalar)
  }

  static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
    " \t\r\n.,[]$@{}".unicodeScalars.contains(scalar)
  }
}

/// One execution. `{range …}` and `{end}` are actions of their own, so, as upstream, a range runs
/// the segments after it once per value until one of them is an `end` (counted here), then
/// resumes after the last `end` seen. A range without an `end` runs to the template's end, and
/// the segments after it then run once more on the outer value, as in kubectl.
private struct Run {
  typealias Node = JSONPath.Node
  let segments: [[Node]]
  let allowMissingKeys: Bool
  var opened = 0
  var inside = 0
  var closed = 0
  var lastEnd: Int?

  mutating func results(for data: JSONValue, from first: Int) throws(Failure) -> [[JSONValue]] {
    var all: [[JSONValue]] = []
    var index = first
    while index < segments.count {
      let found = try walk([data], segments[index])
      if closed > 0 && closed <= inside {
        closed -= 1
        lastEnd = index
        break
      }
      if opened > 0 {
        opened -= 1
        inside += 1
        // With no values the body still runs once, on nothing, to find its `end`.
        for value in found.isEmpty ? [JSONValue.null] : found {
          let body = try results(for: value, from: index + 1)
          if !found.isEmpty { all += body }
        }
        inside -= 1
        if let lastEnd, lastEnd > index { index = lastEnd }
      } else {
        all.append(found)
      }
      index += 1
    }
    return all
  }

  mutating func walk(_ input: [JSONValue], _ nodes: [Node]) throws(Failure) -> [JSONValue] {
    var current = input
    for node in nodes { current = try step(current, node) }
    return current
  }

  /// Null is Go's nil here: paths step over it, but a field holding null is found (and prints).
  mutating func step(_ input: [JSONValue], _ node: Node) throws(Failure) -> [JSONValue] {
    switch node {
    case .text(let text): return [.string(text)]
    case .int(let number): return input.map { _ in .int(Int64(number)) }
    case .float(let number): return input.map { _ in .double(number) }
    case .bool(let flag): return input.map { _ in .bool(flag) }
    case .identifier("range"):
      opened += 1
      return input
    case .identifier("end"):
      guard inside > 0 else { throw Failure("not in range, nothing to end") }
      closed += 1
      return []
    case .identifier(let name): throw Failure("unrecognized identifier \(name)")
    case .field(let name):
      let found = input.compactMap { $0[name] }
      if found.isEmpty && !input.isEmpty && !allowMissingKeys {
        throw Failure("\(name) is not found")
      }
      return found
    case .wildcard: return input.flatMap(Run.children)
    case .recursive: return input.flatMap(Run.descendants)
    case .union(let lists):
      var all: [JSONValue] = []
      for list in lists { all += try walk(input, list) }
      return all
    case .slice(let start, let end, let step, let single):
      var all: [JSONValue] = []
      for value in input where value != .null {
        guard case .array(let items) = value else {
          throw Failure("\(GoFormat.typeName(value)) is not array or slice")
        }
        let count = items.count
        var from = start ?? 0
        if from < 0 { from += count }
        var to = end ?? count
        if to < 0 || (to == 0 && single) { to += count }  // `[-1]` derives the end 0: the end
        if from == to { return all }  // upstream returns here, skipping any further inputs
        if from >= count || from < 0 {
          throw Failure("array index out of bounds: index \(from), length \(count)")
        }
        if to > count || to < 0 {
          throw Failure("array index out of bounds: index \(to - 1), length \(count)")
        }
        if from > to { throw Failure("starting index \(from) is greater than ending index \(to)") }
        if let step, step <= 0 { throw Failure("step must be > 0") }
        all += stride(from: from, to: to, by: step ?? 1).map { items[$0] }
      }
      return all
    case .filter(let left, let op, let right):
      var kept: [JSONValue] = []
      for value in input {
        guard case .array(let items) = value else {
          throw Failure(
            "\(GoFormat.dump(value, syntax: false)) is not array or slice and cannot be filtered")
        }
        for item in items {
          if op == "exists" {
            if let found = try? walk([item], left), !found.isEmpty { kept.append(item) }
            continue
          }
          let lefts = try walk([item], left)
          if lefts.isEmpty { continue }
          guard lefts.count == 1 else { throw Failure("can only compare one element at a time") }
          let rights = try walk([item], right)
          if rights.isEmpty { continue }
          guard rights.count == 1 else { throw Failure("can only compare one element at a time") }
          if try Run.compare(lefts[0], op, rights[0]) { kept.append(item) }
        }
      }
      return kept
    }
  }

  static func children(_ value: JSONValue) -> [JSONValue] {
    switch value {
    case .object(let fields): return GoFormat.sorted(fields).map(\.value)
    case .array(let items): return items
    case .string(let text): return text.utf8.map { .int(Int64($0)) }  // Go indexes bytes
    default: return []
    }
  }

  static func descendants(_ value: JSONValue) -> [JSONValue] {
    let inner = children(value)
    return inner.isEmpty ? [] : [value] + inner.flatMap(descendants)
  }

  /// Go text/template's eq and lt: basic values of the same kind only, and bools don't order.
  static func compare(_ left: JSONValue, _ op: String, _ right: JSONValue) throws(Failure) -> Bool {
    guard ["==", "!=", "<", "<=", ">", ">="].contains(op) else {
      throw Failure("unrecognized filter operator \(op)")
    }
    let less: Bool
    let equal: Bool
    switch (left, right) {
    case (.int(let x), .int(let y)): (less, equal) = (x < y, x == y)
    case (.double(let x), .double(let y)): (less, equal) = (x < y, x == y)
    case (.string(let x), .string(let y)):
      (less, equal) = (x.utf8.lexicographicallyPrecedes(y.utf8), x.utf8.elementsEqual(y.utf8))
    case (.bool(let x), .bool(let y)) where op == "==" || op == "!=":
      (less, equal) = (false, x == y)
    case (.bool, .bool), (.null, _), (.array, _), (.object, _), (_, .null), (_, .array),
      (_, .object):
      throw Failure("invalid type for comparison")
    default: throw Failure("incompatible types for comparison")
    }
    switch op {
    case "==": return equal
    case "!=": return !equal
    case "<": return less
    case "<=": return less || equal
    case ">": return !(less || equal)
    default: return !less  // >=
    }
  }
}

/// How Go writes values: fmt's %v and %#v, and encoding/json (which sorts map keys).
private enum GoFormat {
  static func text(_ value: JSONValue) -> String {
    switch value {
    case .object, .array: return json(value)
    default: return dump(value, syntax: false)
    }
  }

  typealias Fields = OrderedDictionary<String, JSONValue>

  /// Go orders map keys by their bytes.
  static func sorted(_ fields: Fields) -> [Fields.Element] {
    fields.elements.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
  }

  static func json(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .double(let number):
      // Exponent form outside [1e-6, 1e21), and e-7 rather than e-07.
      let magnitude = abs(number)
      let exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
      return float(number, exponent: exponent, json: true)
    case .string(let text): return quoted(text, json: true)
    case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
    case .object(let fields):
      let members = sorted(fields).map { quoted($0.key, json: true) + ":" + json($0.value) }
      return "{" + members.joined(separator: ",") + "}"
    default: return dump(value, syntax: false)
    }
  }

  /// fmt's %v (`syntax` false) or %#v of the value as Go decodes JSON into `interface{}`.
  static func dump(_ value: JSONValue, syntax: Bool) -> String {
    switch value {
    case .null: return syntax ? "interface {}(nil)" : "<nil>"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number):
      let exponent = decimal(number).point - 1  // %g's shortest form: exponent outside [-4, 6)
      return float(number, exponent: number != 0 && (exponent < -4 || exponent >= 6))
    case .string(let text): return syntax ? quoted(text, json: false) : text
    case .array(let items):
      let inner = items.map { dump($0, syntax: syntax) }
      return syntax
        ? "[]interface {}{" + inner.joined(separator: ", ") + "}"
        : "[" + inner.joined(separator: " ") + "]"
    case .object(let fields):
      let inner = sorted(fields).map {
        (syntax ? quoted($0.key, json: false) : $0.key) + ":" + dump($0.value, syntax: syntax)
      }
      return syntax
        ? "map[string]interface {}{" + inner.joined(separator: ", ") + "}"
        : "map[" + inner.joined(separator: " ") + "]"
    }
  }

  static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .bool: return "bool"
    case .int: return "int64"
    case .double: return "float64"
    case .string: return "string"
    case .object: return "map[string]interface {}"
    default: return "[]interface {}"
    }
  }

  /// The shortest digits that read back as the number (Swift's and Go's agree), and where the
  /// decimal point goes: |number| = 0.digits × 10^point.
  static func decimal(_ number: Double) -> (digits: [Character], point: Int) {
    let parts = "\(abs(number))".split(separator: "e")
    let mantissa = parts[0]
    var point = mantissa.distance(
      from: mantissa.startIndex, to: mantissa.firstIndex(of: ".") ?? mantissa.endIndex)
    point += parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    var digits = Array(mantissa.filter { $0 != "." })
    while digits.first == "0" {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    return (digits, point)
  }

  /// strconv.FormatFloat with precision -1, in the 'e' or 'f' format.
  static func float(_ number: Double, exponent: Bool, json: Bool = false) -> String {
    guard number.isFinite else { return number.isNaN ? "NaN" : number < 0 ? "-Inf" : "+Inf" }
    let sign = number.sign == .minus ? "-" : ""
    let (digits, point) = decimal(number)
    if digits.isEmpty { return sign + "0" }
    if exponent {
      let fraction = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
      let power = point - 1
      return sign + String(digits[0]) + fraction + "e" + (power < 0 ? "-" : "+")
        + padded(UInt32(abs(power)), json && power < 0 ? 1 : 2, radix: 10)
    }
    if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
    if point >= digits.count {
      return sign + String(digits) + String(repeating: "0", count: point - digits.count)
    }
    return sign + String(digits[..<point]) + "." + String(digits[point...])
  }

  /// strconv.Quote (as %q and %#v write strings) or, with `json`, encoding/json's HTML-safe form
  /// (which writes \b and \f since Go 1.22).
  static func quoted(_ text: String, json: Bool) -> String {
    let named: [Unicode.Scalar: String] = [
      "\"": "\"", "\\": "\\", "\n": "n", "\r": "r", "\t": "t", "\u{8}": "b", "\u{C}": "f",
    ]
    let goOnly: [Unicode.Scalar: String] = ["\u{7}": "a", "\u{B}": "v"]
    var out = "\""
    for scalar in text.unicodeScalars {
      let code = scalar.value
      if let name = named[scalar] ?? (json ? nil : goOnly[scalar]) {
        out += "\\" + name
      } else if json && (code < 0x20 || "<>&\u{2028}\u{2029}".unicodeScalars.contains(scalar)) {
        out += "\\u" + padded(code, 4)
      } else if !json && (code < 0x20 || code == 0x7F) {
        out += "\\x" + padded(code, 2)
      } else if !json && (0x80...0x9F).contains(code) {
        out += "\\u" + padded(code, 4)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  static func padded(_ value: UInt32, _ width: Int, radix: Int = 16) -> String {
    let digits = String(value, radix: radix)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
