import KelpLisp
import PropertyBased
import Testing

/// A Lisp datum as the test generates it: plain Swift data, so a failing input prints as the
/// tree it is, not through the writer under test.
indirect enum Datum: Sendable, CustomStringConvertible {
  case int(Int)
  case double(Double)
  case string(String)
  case symbol(String)
  case keyword(String)
  case bool(Bool)
  case null
  case list([Datum], tail: Datum?)
  case vector([Datum])
  case map([Datum], [Datum])

  var value: Value {
    switch self {
    case .int(let i): .int(i)
    case .double(let d): .double(d)
    case .string(let s): Value(s)
    case .symbol(let s): .symbol(s)
    case .keyword(let s): .keyword(s)
    case .bool(let b): .bool(b)
    case .null: .null
    case .list(let items, let tail): Value.list(items.map(\.value), tail: tail?.value ?? .null)
    case .vector(let items): .vector(VectorBox(items.map(\.value)))
    case .map(let keys, let values):
      .map(MapBox(zip(keys.map(\.value), values.map(\.value)).map { ($0, $1) }))
    }
  }

  var description: String {
    switch self {
    case .int(let i): "int(\(i))"
    case .double(let d): "double(\(d.debugDescription), bits 0x\(String(d.bitPattern, radix: 16)))"
    case .string(let s):
      "string(\(s.debugDescription) scalars \(s.unicodeScalars.map { String($0.value, radix: 16) }))"
    case .symbol(let s): "symbol(\(s.debugDescription))"
    case .keyword(let s): "keyword(\(s.debugDescription))"
    case .bool(let b): "bool(\(b))"
    case .null: "null"
    case .list(let items, let tail):
      "list[\(items.map(\.description).joined(separator: ", "))\(tail.map { " . \($0)" } ?? "")]"
    case .vector(let items): "vector[\(items.map(\.description).joined(separator: ", "))]"
    case .map(let keys, let values):
      "map{\(zip(keys, values).map { "\($0) => \($1)" }.joined(separator: ", "))}"
    }
  }
}

/// Generators of data the reader can produce: every atom kind, and lists (proper and dotted),
/// vectors and maps nested a few levels.
enum DatumGen {
  /// Characters that stress the writer's escapes and the reader's UTF-8 handling: the escaped
  /// ones, other control characters, Latin, CJK, combining marks and astral-plane emoji.
  static let scalar = Gen.frequency(
    (6, Gen<UnicodeScalar>.unicodeScalar(in: " "..."~").eraseToAny()),
    (2, pick(["\"", "\\", "\n", "\t", "\r", "\0", ";", "(", "]"] as [UnicodeScalar]).eraseToAny()),
    (1, Gen<UnicodeScalar>.unicodeScalar(in: "\u{1}"..."\u{1F}").eraseToAny()),
    (1, Gen<UnicodeScalar>.unicodeScalar(in: "\u{7F}"..."\u{2FF}").eraseToAny()),
    (1, Gen<UnicodeScalar>.unicodeScalar(in: "\u{300}"..."\u{36F}").eraseToAny()),
    (1, Gen<UnicodeScalar>.unicodeScalar(in: "\u{4E00}"..."\u{9FFF}").eraseToAny()),
    (1, Gen<UnicodeScalar>.unicodeScalar(in: "\u{1F300}"..."\u{1FAFF}").eraseToAny()),
  )

  static let string = scalar.array(of: 0...12).map { scalars in
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    return text
  }

  /// Names the reader reads as a symbol (and, after `:`, as a keyword): not a number, not `.`,
  /// `nil`, `true` or `false`, no delimiter. Writing arbitrary names (`(string->symbol "a b")`)
  /// needs a `|a b|` syntax Kelp does not have, so those are out of scope.
  static let name = Gen.frequency(
    (
      4,
      zip(
        pick(Array("abcxyzKLM*!$%&/<=>?^_~λé")),
        pick(Array("abz09-+*!?<>=/._:#λ✓")).string(of: 0...8)
      ).map { String($0) + $1 }.eraseToAny()
    ),
    (
      1,
      pick([
        "+", "-", "...", "->", "a.b", "quote", "quasiquote", "unquote", "unquote-splicing", "-x",
        "+a",
      ]).eraseToAny()
    ),
  ).filter { !["nil", "true", "false"].contains($0) }

  /// Every finite double by bit pattern, plus the edges: zeros, subnormals, the largest, and
  /// numbers whose shortest form has an exponent.
  static let double = Gen.frequency(
    (4, Gen<UInt64>.value(in: .min ... .max).map { Double(bitPattern: $0) }.eraseToAny()),
    (2, Gen.double(in: -1e6...1e6).eraseToAny()),
    (
      1,
      pick(
        [
          0.0, -0.0, 1.0, -1.0, 0.1, 100.0, 1e16, 1e-7, 5e-324, -5e-324, .greatestFiniteMagnitude,
          -.greatestFiniteMagnitude, .leastNormalMagnitude, 123456789012345680.0,
        ] as [Double]
      ).eraseToAny()
    ),
  ).filter { !$0.isNaN }

  static let atom = Gen.frequency(
    (3, Gen.int().map { Datum.int($0) }.eraseToAny()),
    (1, pick([0, -1, .min, .max] as [Int]).map { Datum.int($0) }.eraseToAny()),
    (2, double.map { Datum.double($0) }.eraseToAny()),
    (1, pick([.infinity, -.infinity] as [Double]).map { Datum.double($0) }.eraseToAny()),
    (3, string.map { Datum.string($0) }.eraseToAny()),
    (2, name.map { Datum.symbol($0) }.eraseToAny()),
    (2, name.map { Datum.keyword($0) }.eraseToAny()),
    (1, Gen.bool.map { Datum.bool($0) }.eraseToAny()),
    (1, Gen.always(Datum.null).eraseToAny()),
  )

  /// Data nested up to `depth` containers deep.
  static func datum(depth: Int) -> Generator<Datum, AnySequence<Any>> {
    guard depth > 0 else { return atom.eraseToAny() }
    let inner = datum(depth: depth - 1)
    return Gen.frequency(
      (4, atom.eraseToAny()),
      (1, inner.array(of: 0...4).map { Datum.list($0, tail: nil) }.eraseToAny()),
      (
        1,
        zip(inner.array(of: 1...3), atom).map { items, tail in Datum.list(items, tail: tail) }
          .eraseToAny()
      ),
      (1, inner.array(of: 0...4).map { Datum.vector($0) }.eraseToAny()),
      (
        1,
        zip(inner, inner).array(of: 0...4).map { Datum.map($0.map(\.0), $0.map(\.1)) }
          .eraseToAny()
      ),
    ).eraseToAny()
  }
}

@Suite struct ReaderRoundTripProperties {
  /// `written` is the readable form: reading it back gives a value `equal?` to the original,
  /// and writing that value again gives the same text.
  @Test func writtenValuesReadBackEqual() async {
    await forAll(DatumGen.datum(depth: 4), count: 2_000, seed: 0x5EED_0001) { datum in
      let original = datum.value
      let text = original.written
      let forms = try Reader.readAll(text, file: "written")
      try #require(forms.count == 1, "\(text) read as \(forms.count) forms")
      let read = forms[0].value
      try #require(read.isEqual(to: original), "\(text) read back as \(read.written)")
      try #require(read.written == text)
    }
  }
}
