import OrderedCollections

extension JSONPath {
  /// The upstream grammar, quirks included: bracket keys are parsed again as `.key` (so
  /// `['a.b']` is the path a.b), and `{.a,.b}` is an error (unions are `[…,…]`).
  struct Parser {
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
        if !text.isEmpty { segments.append([.text(JSONPath.string(text))]) }
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
            let text = JSONPath.string([scalar] + scan { $0 == "." || Parser.isDigit($0) })
            guard let number = Int(text).map(Node.int) ?? Double(text).map(Node.float) else {
              throw Failure("cannot parse number \(text)")
            }
            nodes.append(number)
          case _ where Parser.isAlphaNumeric(scalar):
            let word = JSONPath.string([scalar] + scan { !Parser.isTerminator($0) })
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
      var text = JSONPath.string(try through("array") { scalar, _ in scalar == "]" })
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
            left: try Parser.subAction(JSONPath.string(body[..<opStart])), op: JSONPath.string(body[opStart..<opEnd]),
            right: try Parser.subAction(JSONPath.string(body[opEnd...])))
        }
      }
      return .filter(left: try Parser.subAction(JSONPath.string(body)), op: "exists", right: [])
    }

    /// A quoted literal, unescaped as Go's strconv.Unquote does (but either quote may delimit).
    mutating func quoted(_ quote: Unicode.Scalar) throws(Failure) -> String {
      let start = pos - 1
      var rest = try through("quoted string") { scalar, before in scalar == quote && before != "\\" }
      let failure = Failure("unquote string \(JSONPath.string(input[start..<pos])) error invalid syntax")
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
            JSONPath.string((octal ? [escape] : []) + rest.prefix(length)), radix: octal ? 8 : 16),
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
}
