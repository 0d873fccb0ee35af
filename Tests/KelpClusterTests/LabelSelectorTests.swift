import Testing

@testable import KelpCluster

/// Expected strings are what apimachinery's `labels.Parse(text)` returns as `String()` or as
/// its error text.
@Suite struct LabelSelectorTests {
  @Test(
    arguments: [
      (
        "app=web,tier!=db,env in (prod,qa),!legacy,version",
        "app=web,env in (prod,qa),!legacy,tier!=db,version"
      ),
      ("x notin (a)", "x notin (a)"), ("", ""), ("  app = web  ", "app=web"), ("a==b", "a==b"),
      ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
      ("x in (b,a,a)", "x in (a,b)"), ("x>1", "x>1"), ("x<10", "x<10"), ("a=", "a="),
      ("example.com/app=web", "example.com/app=web"), ("in in (in,notin)", "in in (in,notin)"),
      ("a in (,)", "a in ()"), ("a in (b,)", "a in (,b)"), ("a=in", "a=in"), ("notin", "notin"),
      ("b=2,a=1,!c", "a=1,b=2,!c"), ("a\t=\tb,\nc", "a=b,c"),
    ] as [(String, String)])
  func selectorsPrintSortedByKeyAsUpstreamDoes(_ text: String, _ expected: String) throws {
    #expect(try LabelSelector(parsing: text).description == expected)
  }

  @Test func parsingBuildsOneRequirementPerClause() throws {
    let selector = try LabelSelector(parsing: "env in (qa,prod),!legacy,tier!=db")
    #expect(
      selector.requirements == [
        LabelSelector.Requirement(unchecked: "env", .in, ["prod", "qa"]),
        LabelSelector.Requirement(unchecked: "legacy", .doesNotExist, []),
        LabelSelector.Requirement(unchecked: "tier", .notEquals, ["db"]),
      ])
    #expect(selector.requirements[0].values == ["prod", "qa"])
  }

  static let labelValueRule =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    + "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    + "'my_value',  or '12345', regex used for validation is "
    + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
  static let keyNameRule =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
    + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
  static let binaryOperators = "expected: in, notin, =, ==, !=, gt, lt"

  @Test(
    arguments: [
      (",a", "found ',', expected: !, identifier, or 'end of string'"),
      ("=a", "found '=', expected: !, identifier, or 'end of string'"),
      ("a=b,,c", "found ',', expected: identifier after ','"),
      ("a,", "found '', expected: identifier after ','"),
      ("!a=b", "found '=', expected: ',' or 'end of string'"),
      ("a=b c", "found 'c', expected: ',' or 'end of string'"),
      ("!,", "unable to parse requirement: found ',', expected: identifier"),
      ("a b", "unable to parse requirement: found 'b', " + binaryOperators),
      ("a!b", "unable to parse requirement: found '!', " + binaryOperators),
      ("x>=1", "unable to parse requirement: found '=', expected: identifier"),
      ("a=(b", "unable to parse requirement: found '(', expected: identifier"),
      ("x in a", "unable to parse requirement: found 'a' expected: '('"),
      ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
      ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
      ("x in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
      ("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
      ("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
      (
        "x>abc",
        "unable to parse requirement: values[0]: Invalid value: \"abc\": "
          + "for 'Gt', 'Lt' operators, the value must be an integer"
      ),
      (
        "x>",
        "unable to parse requirement: values[0]: Invalid value: \"\": "
          + "for 'Gt', 'Lt' operators, the value must be an integer"
      ),
      (
        "a=b_",
        "unable to parse requirement: values[0][a]: Invalid value: \"b_\": " + labelValueRule
      ),
      ("a_=b", "unable to parse requirement: <nil>: Invalid value: \"a_\": " + keyNameRule),
      (
        "/a=b",
        "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"
      ),
    ] as [(String, String)])
  func malformedSelectorsFailWithUpstreamsMessage(_ text: String, _ message: String) {
    do {
      _ = try LabelSelector(parsing: text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test(
    arguments: [
      ("app=web", ["app": "web"], true), ("app=web", ["app": "db"], false),
      ("app=web", [:], false), ("app==web", ["app": "web"], true),
      ("app!=web", [:], true), ("app!=web", ["app": "web"], false),
      ("app!=web", ["app": "db"], true), ("env in (prod,qa)", ["env": "qa"], true),
      ("env in (prod,qa)", [:], false), ("env notin (prod)", [:], true),
      ("env notin (prod)", ["env": "prod"], false), ("env in ()", ["env": ""], true),
      ("legacy", ["legacy": ""], true), ("legacy", [:], false), ("!legacy", [:], true),
      ("!legacy", ["legacy": "yes"], false), ("n>3", ["n": "4"], true), ("n>3", ["n": "3"], false),
      ("n<3", ["n": "-1"], true), ("n>3", ["n": "four"], false), ("n>3", [:], false),
      ("", ["any": "thing"], true), ("a=1,b=2", ["a": "1"], false),
      ("a=1,b=2", ["a": "1", "b": "2", "c": "3"], true),
    ] as [(String, [String: String], Bool)])
  func selectorsMatchLabelsWithUpstreamSemantics(
    _ text: String, _ labels: [String: String], _ expected: Bool
  ) throws {
    #expect(try LabelSelector(parsing: text).matches(labels) == expected)
  }

  @Test func everythingIsEmptyAndMatchesAnything() throws {
    #expect(LabelSelector.everything.isEverything)
    #expect(LabelSelector.everything.description == "")
    #expect(LabelSelector.everything.matches([:]))
    #expect(try LabelSelector(parsing: "  ") == .everything)
    #expect(try !LabelSelector(parsing: "a").isEverything)
  }

  @Test func matchLabelsBecomeEqualityRequirementsSortedWithTheExpressions() throws {
    let selector = LabelSelector(
      matchLabels: ["tier": "web", "app": "shop"],
      requirements: [
        try LabelSelector.Requirement(key: "env", operator: .in, values: ["qa", "prod"])
      ])
    #expect(selector.description == "app=shop,env in (prod,qa),tier=web")
    #expect(selector.matches(["app": "shop", "tier": "web", "env": "prod"]))
    #expect(!selector.matches(["app": "shop", "tier": "web"]))
    #expect(LabelSelector(matchLabels: [:]).isEverything)
  }

  @Test func equalSelectorsCompareEqualWhateverTheirClauseOrder() throws {
    #expect(
      try LabelSelector(parsing: "b=2,a in (y,x)") == LabelSelector(parsing: "a in (x,y),b=2"))
  }

  @Test func requirementsAreValidatedAsUpstreamNewRequirementDoes() {
    func message(_ key: String, _ op: LabelSelector.Requirement.Operator, _ values: [String])
      -> String
    {
      do {
        _ = try LabelSelector.Requirement(key: key, operator: op, values: values)
        return ""
      } catch {
        return error.description
      }
    }
    #expect(
      message("a", .in, []) == "values: Invalid value: []string{}: "
        + "for 'in', 'notin' operators, values set can't be empty")
    #expect(
      message("a", .equals, ["x", "y"]) == #"values: Invalid value: []string{"x", "y"}: "#
        + "exact-match compatibility requires one single value")
    #expect(
      message("a", .exists, ["x"]) == #"values: Invalid value: []string{"x"}: "#
        + "values set must be empty for exists and does not exist")
    #expect(
      message("a", .greaterThan, ["1", "x"])
        == #"[values: Invalid value: []string{"1", "x"}: "#
        + "for 'Gt', 'Lt' operators, exactly one value is required, "
        + #"values[1]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer]"#
    )
    #expect(message("a_", .exists, []) == #"key: Invalid value: "a_": "# + Self.keyNameRule)
    #expect(message("a", .notIn, ["x"]) == "")
  }

  @Test(arguments: [
    (LabelSelector.Requirement.Operator.equals, "k=v"), (.doubleEquals, "k==v"),
    (.notEquals, "k!=v"), (.in, "k in (v)"), (.notIn, "k notin (v)"), (.greaterThan, "k>v"),
    (.lessThan, "k<v"),
  ])
  func requirementsPrintWithUpstreamOperatorSpelling(
    _ op: LabelSelector.Requirement.Operator, _ expected: String
  ) {
    #expect(LabelSelector.Requirement(unchecked: "k", op, ["v"]).description == expected)
  }

  @Test func operatorRawValuesAreUpstreamSelectionOperators() {
    #expect(
      LabelSelector.Requirement.Operator.allCases.map(\.rawValue) == [
        "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt",
      ])
  }
}
