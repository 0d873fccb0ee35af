import KelpCluster
import PropertyBased
import Testing

/// One generated requirement, kept as plain data so the reference matcher below does not share
/// code with `LabelSelector.Requirement`.
struct GeneratedRequirement: Sendable, CustomStringConvertible {
  typealias Operator = LabelSelector.Requirement.Operator
  var key: String
  var op: Operator
  var values: [String]

  var description: String { "\(key) \(op.rawValue) \(values)" }

  /// Upstream `Requirement.Matches`, written out from the Kubernetes docs' table:
  /// `=`/`==`/`in` need the key with one of the values; `!=`/`notin` hold when the key is absent
  /// or has another value; `gt`/`lt` need an integer label compared with the integer value.
  func referenceMatches(_ labels: [String: String]) -> Bool {
    let label = labels[key]
    switch op {
    case .equals, .doubleEquals, .in: return label != nil && values.contains(label ?? "")
    case .notEquals, .notIn: return label == nil || !values.contains(label ?? "")
    case .exists: return label != nil
    case .doesNotExist: return label == nil
    case .greaterThan, .lessThan:
      guard let label, let have = Int64(label), let bound = Int64(values[0]) else { return false }
      return op == .greaterThan ? have > bound : have < bound
    }
  }

  /// The requirement written by hand, with optional blanks wherever the grammar allows them
  /// (`in`/`notin` need one on each side, being words).
  func spelled(_ blanks: [String]) -> String {
    var blank = blanks.makeIterator()
    func b() -> String { blank.next() ?? "" }
    func word() -> String { " " + b() }
    switch op {
    case .exists: return b() + key + b()
    case .doesNotExist: return b() + "!" + b() + key + b()
    case .in, .notIn:
      let list = values.map { b() + $0 + b() }.joined(separator: ",")
      return b() + key + word() + op.rawValue + word() + "(" + list + ")" + b()
    case .greaterThan, .lessThan:
      return b() + key + b() + (op == .greaterThan ? ">" : "<") + b() + values[0] + b()
    case .equals, .doubleEquals, .notEquals:
      return b() + key + b() + op.rawValue + b() + values[0] + b()
    }
  }
}

enum SelectorGen {
  /// A small pool, so selectors and label sets talk about the same keys. `in` and `notin` are
  /// keys and values too: the grammar reads them as words only in operator position.
  static let keys = [
    "app", "tier", "env", "example.com/team", "k8s.io/zone", "a-b", "a_b.c", "in", "notin", "x1",
  ]
  static let values = ["", "web", "db", "1", "42", "007", "in", "notin", "a.b-c_d", "x"]
  static let integers = ["0", "1", "9", "42", "007", "100"]

  static let requirement = zip(
    pick(keys), pick(LabelSelector.Requirement.Operator.allCases),
    pick(values).set(ofAtMost: 1...3),
    pick(integers)
  ).map { key, op, set, integer -> GeneratedRequirement in
    switch op {
    case .exists, .doesNotExist: GeneratedRequirement(key: key, op: op, values: [])
    case .greaterThan, .lessThan: GeneratedRequirement(key: key, op: op, values: [integer])
    case .in, .notIn: GeneratedRequirement(key: key, op: op, values: set.sorted())
    case .equals, .doubleEquals, .notEquals:
      GeneratedRequirement(key: key, op: op, values: [set.sorted()[0]])
    }
  }

  static let labels = zip(pick(keys), pick(values + integers)).dictionary(ofAtMost: 0...6)

  static let blanks = pick(["", "", "", " ", "  ", "\t"]).array(of: 40)
}

@Suite struct LabelSelectorProperties {
  /// Printing a selector and parsing the text gives the same selector (and the same text).
  @Test func printedSelectorsParseBackEqual() async {
    await forAll(SelectorGen.requirement.array(of: 0...5), count: 3_000, seed: 0x5EED_0002) {
      generated in
      let selector = LabelSelector(
        requirements: try generated.map {
          try LabelSelector.Requirement(key: $0.key, operator: $0.op, values: $0.values)
        })
      let text = selector.description
      let parsed = try LabelSelector(parsing: text)
      try #require(parsed == selector, "\(text) parsed as \(parsed)")
      try #require(parsed.description == text)
    }
  }

  /// Hand-written spellings with blanks around tokens parse to the same selector.
  @Test func blanksBetweenTokensDoNotMatter() async {
    await forAll(
      zip(SelectorGen.requirement.array(of: 1...4), SelectorGen.blanks), count: 2_000,
      seed: 0x5EED_0003
    ) { generated, blanks in
      let expected = LabelSelector(
        requirements: try generated.map {
          try LabelSelector.Requirement(key: $0.key, operator: $0.op, values: $0.values)
        })
      var rest = blanks[...]
      let text = generated.map { requirement -> String in
        defer { rest = rest.dropFirst(8) }
        return requirement.spelled(Array(rest.prefix(8)))
      }.joined(separator: ",")
      let parsed = try LabelSelector(parsing: text)
      try #require(parsed == expected, "\(text.debugDescription) parsed as \(parsed)")
    }
  }

  /// A selector (as built, and as parsed back from its text) matches exactly the label sets
  /// the reference evaluator says it does.
  @Test func matchingAgreesWithTheReference() async {
    await forAll(
      zip(SelectorGen.requirement.array(of: 0...4), SelectorGen.labels.array(of: 8)),
      count: 3_000, seed: 0x5EED_0004
    ) { generated, labelSets in
      let selector = LabelSelector(
        requirements: try generated.map {
          try LabelSelector.Requirement(key: $0.key, operator: $0.op, values: $0.values)
        })
      let parsed = try LabelSelector(parsing: selector.description)
      for labels in labelSets {
        let expected = generated.allSatisfy { $0.referenceMatches(labels) }
        try #require(selector.matches(labels) == expected, "\(selector) on \(labels)")
        try #require(parsed.matches(labels) == expected, "parsed \(parsed) on \(labels)")
      }
    }
  }
}
