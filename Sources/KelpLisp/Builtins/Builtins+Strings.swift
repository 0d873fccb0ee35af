extension Builtins {
  static func strings(_ interpreter: Interpreter) -> [Builtin] {
    // The machine, not the interpreter: builtins live in the interpreter's globals.
    let machine = interpreter.machine
    func string(_ v: Value, _ name: String, _ what: String? = nil) throws(LispError) -> String {
      try Arguments.string(v, name, what)
    }
    return [
      Builtin(
        "str", "(str x...)",
        "The displayed forms of the arguments joined into one string (nil shows as nothing).",
        atLeast: 0,
        { args in
          var out = ""
          for arg in args {
            if case .null = arg { continue }
            out += arg.displayed
          }
          return Value(out)
        }),
      Builtin(
        "string-append", "(string-append s...)", "The strings joined end to end.", atLeast: 0,
        { (args: [Value]) throws(LispError) -> Value in
          var parts: [String] = []
          for arg in args { parts.append(try string(arg, "string-append")) }
          try machine.reserve(parts.reduce(0) { $0 + $1.utf8.count })
          return Value(parts.joined())
        }),
      Builtin(
        "string-length", "(string-length s)", "The number of characters in s.",
        unary: { (v: Value) throws(LispError) -> Value in
          .int(try string(v, "string-length").count)
        }),
      Builtin(
        "substring", "(substring s start [end])",
        "The characters of s from start up to (not including) end, counting from 0.", arity: 2...3,
        { (args: [Value]) throws(LispError) -> Value in
          let text = try string(args[0], "substring")
          let start = try Arguments.int(args[1], "substring", "start")
          let end = args.count == 3 ? try Arguments.int(args[2], "substring", "end") : text.count
          guard start >= 0, start <= end, end <= text.count else {
            throw LispError(
              .value,
              "substring: range \(start)..\(end) is outside a string of \(text.count) characters")
          }
          let from = text.index(text.startIndex, offsetBy: start)
          let to = text.index(from, offsetBy: end - start)
          return Value(String(text[from..<to]))
        }),
      Builtin(
        "string-split", "(string-split s separator)",
        "The pieces of s between occurrences of separator, as a list; \"\" splits into characters.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          let text = try string(a, "string-split")
          let separator = try string(b, "string-split", "separator")
          if separator.isEmpty { return Value.list(text.map { Value(String($0)) }) }
          return Value.list(
            text.split(separator: separator, omittingEmptySubsequences: false).map {
              Value(String($0))
            })
        }),
      Builtin(
        "string-join", "(string-join seq [separator])",
        "The strings of seq joined with separator (default \"\").", arity: 1...2,
        { (args: [Value]) throws(LispError) -> Value in
          let separator = args.count == 2 ? try string(args[1], "string-join", "separator") : ""
          var parts: [String] = []
          for item in try Arguments.sequence(args[0], "string-join") {
            parts.append(try string(item, "string-join"))
          }
          try machine.reserve(
            parts.reduce(0) { $0 + $1.utf8.count } + max(0, parts.count - 1) * separator.utf8.count)
          return Value(parts.joined(separator: separator))
        }),
      Builtin(
        "string-contains?", "(string-contains? s part)", "True when part occurs in s.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          let part = try string(b, "string-contains?")
          let text = try string(a, "string-contains?")
          return .bool(part.isEmpty || text.contains(part))
        }),
      Builtin(
        "string-starts-with?", "(string-starts-with? s prefix)", "True when s begins with prefix.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          .bool(
            try string(a, "string-starts-with?").hasPrefix(try string(b, "string-starts-with?")))
        }),
      Builtin(
        "string-ends-with?", "(string-ends-with? s suffix)", "True when s ends with suffix.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          .bool(try string(a, "string-ends-with?").hasSuffix(try string(b, "string-ends-with?")))
        }),
      Builtin(
        "string-replace", "(string-replace s old new)",
        "s with every occurrence of old replaced by new.", arity: 3...3,
        { (args: [Value]) throws(LispError) -> Value in
          let old = try string(args[1], "string-replace", "old")
          guard !old.isEmpty else {
            throw LispError(.value, "string-replace: the text to replace is empty")
          }
          let text = try string(args[0], "string-replace")
          let new = try string(args[2], "string-replace", "new")
          // At most one occurrence per len(old) bytes, each growing the text by the difference.
          let growth = max(0, new.utf8.count - old.utf8.count) * (text.utf8.count / old.utf8.count)
          try machine.reserve(text.utf8.count + growth)
          return Value(text.replacing(old, with: new))
        }),
      Builtin(
        "string-upcase", "(string-upcase s)", "s in upper case.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value(try string(v, "string-upcase").uppercased())
        }),
      Builtin(
        "string-downcase", "(string-downcase s)", "s in lower case.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value(try string(v, "string-downcase").lowercased())
        }),
      Builtin(
        "string-trim", "(string-trim s)", "s without leading and trailing white space.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value(try string(v, "string-trim").trimmingSpaces)
        }),
      Builtin(
        "string-index", "(string-index s part)",
        "The position of the first occurrence of part in s, or #f.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          let text = try string(a, "string-index")
          guard let range = text.firstRange(of: try string(b, "string-index")) else {
            return .false
          }
          return .int(text.distance(from: text.startIndex, to: range.lowerBound))
        }),
      Builtin(
        "string=?", "(string=? a b)", "True when the strings are equal.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          .bool(try string(a, "string=?") == (try string(b, "string=?")))
        }),
      Builtin(
        "string<?", "(string<? a b)", "True when a sorts before b.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          .bool(try string(a, "string<?") < (try string(b, "string<?")))
        }),
      Builtin(
        "symbol->string", "(symbol->string sym)", "The name of a symbol or keyword.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .symbol(let s), .keyword(let s): return Value(s.name)
          default: throw Arguments.typeError("symbol->string", "a symbol", v)
          }
        }),
      Builtin(
        "string->symbol", "(string->symbol s)", "The symbol named s.",
        unary: { (v: Value) throws(LispError) -> Value in
          .symbol(Symbol.intern(try string(v, "string->symbol")))
        }),
      Builtin(
        "keyword", "(keyword s)", "The keyword named s: (keyword \"app\") is :app.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .keyword: return v
          case .symbol(let s): return .keyword(s)
          default: return .keyword(Symbol.intern(try string(v, "keyword")))
          }
        }),
      Builtin(
        "name", "(name x)",
        "The name of a keyword or symbol (without the colon), or a string itself.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .keyword(let s), .symbol(let s): return Value(s.name)
          case .string: return v
          default: throw Arguments.typeError("name", "a keyword, symbol or string", v)
          }
        }),
      Builtin(
        "format", "(format template arg...)",
        "Fills template: ~a displays the next argument, ~s writes it, ~% is a newline, ~~ a tilde.",
        atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          try Builtins.format(try string(args[0], "format", "template"), Array(args.dropFirst()))
        }),
    ]
  }

  static func format(_ template: String, _ args: [Value]) throws(LispError) -> Value {
    var out = ""
    var next = 0
    var characters = template.makeIterator()
    func argument(_ directive: Character) throws(LispError) -> Value {
      guard next < args.count else {
        throw LispError(.value, "format: ~\(directive) has no argument left (\(args.count) given)")
      }
      next += 1
      return args[next - 1]
    }
    while let character = characters.next() {
      guard character == "~" else {
        out.append(character)
        continue
      }
      guard let directive = characters.next() else {
        throw LispError(
          .value, "format: the template ends with a lone ~", hint: "write ~~ for a tilde")
      }
      switch directive {
      case "a", "A": out += try argument(directive).displayed
      case "s", "S": out += try argument(directive).written
      case "%", "n": out += "\n"
      case "~": out += "~"
      default:
        throw LispError(
          .value, "format: unknown directive ~\(directive)", hint: "the directives are ~a ~s ~% ~~")
      }
    }
    guard next == args.count else {
      throw LispError(
        .value, "format: \(args.count - next) argument(s) left over",
        hint: "each ~a or ~s takes one argument")
    }
    return Value(out)
  }
}
