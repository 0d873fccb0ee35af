import Testing

@testable import KelpCluster

@Suite struct JSONPathTests {
  static let web: JSONValue = [
    "apiVersion": "v1", "kind": "Pod",
    "metadata": [
      "name": "web-1", "namespace": "default",
      "labels": ["tier": "front", "app": "web", "app.kubernetes.io/name": "web"],
    ],
    "spec": [
      "nodeName": "node-1",
      "containers": [["name": "nginx", "image": "nginx:1.27", "ports": [["containerPort": 80]]]],
    ],
    "status": ["phase": "Running", "restarts": 0, "ready": true, "cpu": .double(0.25)],
  ]
  static let db: JSONValue = [
    "apiVersion": "v1", "kind": "Pod",
    "metadata": ["name": "db-1", "namespace": "default", "labels": ["app": "db"]],
    "spec": [
      "containers": [
        ["name": "postgres", "image": "postgres:16"], ["name": "backup", "image": "busybox"],
      ]
    ],
    "status": ["phase": "Pending", "restarts": 3, "ready": false, "cpu": .double(1e6)],
  ]
  static let list: JSONValue = [
    "apiVersion": "v1", "items": [web, db], "kind": "List", "metadata": ["resourceVersion": ""],
  ]

  func render(_ template: String, _ value: JSONValue = list) throws -> String {
    try JSONPath(template).render(value)
  }

  func failure(_ template: String, _ value: JSONValue = list, allowMissingKeys: Bool = true)
    -> String?
  {
    do {
      _ = try JSONPath(template, allowMissingKeys: allowMissingKeys).render(value)
      return nil
    } catch {
      return error.message
    }
  }

  @Test func fieldsAndLiteralText() throws {
    #expect(
      try render("name={.metadata.name} phase={.status.phase}", Self.web)
        == "name=web-1 phase=Running")
    #expect(try render("{.kind}") == "List")
    #expect(try render("no actions") == "no actions")
  }

  @Test func wildcardIndexPrintsEachResultSeparatedBySpaces() throws {
    #expect(try render("{.items[*].metadata.name}") == "web-1 db-1")
    #expect(try render("{.items[*].spec.containers[*].name}") == "nginx postgres backup")
  }

  @Test func indexesNegativeIndexesSlicesAndSteps() throws {
    #expect(try render("{.items[0].metadata.name}") == "web-1")
    #expect(try render("{.items[-1].metadata.name}") == "db-1")
    #expect(try render("{.items[1].spec.containers[-2].name}") == "postgres")
    #expect(try render("{.items[0:1].metadata.name}") == "web-1")
    #expect(try render("{.items[1:].metadata.name}") == "db-1")
    #expect(try render("{.items[:2].metadata.name}") == "web-1 db-1")
    #expect(try render("{.n[0:5:2]}", ["n": [0, 1, 2, 3, 4, 5]]) == "0 2 4")
    #expect(try render("{.n[1:1]}", ["n": [0, 1]]) == "")
  }

  @Test func mapsAndListsPrintAsCompactJSONWithSortedKeys() throws {
    #expect(
      try render("{.metadata.labels}", Self.web)
        == #"{"app":"web","app.kubernetes.io/name":"web","tier":"front"}"#)
    #expect(try render("{.spec.containers[0].ports}", Self.web) == #"[{"containerPort":80}]"#)
    #expect(try render("{.items[1].spec.containers[*].name}") == "postgres backup")
    #expect(
      try render("{.x}", ["x": ["a<b", "tab\there", .double(1e21), .double(1e-7), .null]])
        == #"["a\u003cb","tab\there",1e+21,1e-7,null]"#)
  }

  @Test func scalarsPrintAsGoPrintsThem() throws {
    #expect(try render("{.items[*].status.restarts}") == "0 3")
    #expect(try render("{.items[*].status.ready}") == "true false")
    // %v of a float64: shortest digits, exponent form from 1e+06 up.
    #expect(try render("{.items[*].status.cpu}") == "0.25 1e+06")
    #expect(try render("{.x}", ["x": .double(123456)]) == "123456")
    #expect(try render("{.x}", ["x": .double(-0.00001)]) == "-1e-05")
    #expect(try render("{.x}", ["x": .null]) == "<nil>")
    // Inside JSON the same float keeps encoding/json's form.
    #expect(try render("{.x}", ["x": [.double(1e6)]]) == "[1000000]")
  }

  @Test func wholeInput() throws {
    let small: JSONValue = ["b": 1, "a": ["x": true]]
    #expect(try render("{$}", small) == #"{"a":{"x":true},"b":1}"#)
    #expect(try render("{@}", small) == #"{"a":{"x":true},"b":1}"#)
    #expect(try render("{@.a.x}", small) == "true")
  }

  @Test func recursiveDescent() throws {
    #expect(try render("{..name}", Self.db) == "db-1 postgres backup")
    #expect(try render("{..image}") == "nginx:1.27 postgres:16 busybox")
    #expect(try render("{.metadata.*}", Self.db) == #"{"app":"db"} db-1 default"#)
  }

  @Test func filters() throws {
    #expect(try render(#"{.items[?(@.status.phase=="Running")].metadata.name}"#) == "web-1")
    #expect(try render("{.items[?(@.status.phase!='Running')].metadata.name}") == "db-1")
    #expect(try render("{.items[?(@.status.restarts>0)].metadata.name}") == "db-1")
    #expect(try render("{.items[?(@.status.restarts >= 0)].metadata.name}") == "web-1 db-1")
    #expect(try render("{.items[?(@.status.restarts<3)].metadata.name}") == "web-1")
    #expect(try render("{.items[?(@.status.restarts<=3)].metadata.name}") == "web-1 db-1")
    #expect(try render("{.items[?(@.status.ready==true)].metadata.name}") == "web-1")
    #expect(try render("{.items[?(@.status.cpu<1.5)].metadata.name}") == "web-1")
    #expect(try render("{.items[?(@.spec.nodeName)].metadata.name}") == "web-1")
    #expect(
      try render(#"{.items[*].spec.containers[?(@.image=="busybox")].name}"#) == "backup")
    #expect(try render(#"{..containers[?(@.name=="nginx")].image}"#) == "nginx:1.27")
  }

  @Test func comparingDifferentKindsIsAnError() {
    #expect(
      failure("{.items[?(@.status.restarts==1.5)].metadata.name}")?
        .contains("Error executing template: incompatible types for comparison.") == true)
    #expect(
      failure("{.items[?(@.status.ready<true)].metadata.name}")?
        .contains("Error executing template: invalid type for comparison.") == true)
  }

  @Test func rangeRunsTheBodyOncePerValue() throws {
    #expect(
      try render(#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#)
        == "web-1\tRunning\ndb-1\tPending\n")
    #expect(
      try render(
        #"{range .items[*]}{.metadata.name}:{range .spec.containers[*]} {.name}{end}{"\n"}{end}"#)
        == "web-1: nginx\ndb-1: postgres backup\n")
    #expect(try render("[{range .items[*]}{.metadata.name};{end}] done") == "[web-1;db-1;] done")
    #expect(try render("{range .items[*]}{.metadata.name}{end}none", ["items": []]) == "none")
  }

  @Test func aRangeWithoutEndRunsToTheEndThenTheRestRunsAgainOnTheInput() throws {
    // kubectl's engine resumes after the range's segments when it finds no `end`.
    #expect(try render("{range .items[*]}{.metadata.name}|{.kind}") == "web-1|Poddb-1|Pod|List")
  }

  @Test func quotedLiteralsUnescape() throws {
    #expect(try render(#"{"a\tb"}{'c\n'}{"\"q\""}{'\u00e9'}"#, Self.web) == "a\tbc\n\"q\"é")
  }

  @Test func escapedDotsAndBracketKeys() throws {
    #expect(try render(#"{.metadata.labels.app\.kubernetes\.io/name}"#, Self.web) == "web")
    #expect(try render("{['metadata']['name']}", Self.web) == "web-1")
    #expect(try render("{.metadata['labels']['tier']}", Self.web) == "front")
  }

  @Test func unionsGroupResultsByBranch() throws {
    #expect(
      try render("{.items[*]['metadata.name', 'status.phase']}") == "web-1 db-1 Running Pending")
    #expect(try render("{.n[0,2]}", ["n": ["a", "b", "c"]]) == "a c")
  }

  @Test func missingKeysPrintNothingAsKubectlAllowsThem() throws {
    #expect(try render("{.nope}") == "")
    #expect(try render("a{.metadata.nope.deeper}b", Self.web) == "ab")
    #expect(try render("{.items[*].spec.nodeName}") == "node-1")
  }

  @Test func missingKeysFailWhenNotAllowed() {
    let value: JSONValue = ["a": 1, "b": ["x", .null, .double(2.5)]]
    #expect(
      failure("{.nope}", value, allowMissingKeys: false)
        == """
        error: error executing jsonpath "{.nope}": Error executing template: nope is not found. \
        Printing more information for debugging the template:
        \ttemplate was:
        \t\t{.nope}
        \tobject given to jsonpath engine was:
        \t\tmap[string]interface {}{"a":1, "b":[]interface {}{"x", interface {}(nil), 2.5}}
        """)
  }

  @Test func executionErrors() {
    #expect(
      failure("{.items[5]}")?.hasPrefix(
        #"error: error executing jsonpath "{.items[5]}": Error executing template: "#
          + "array index out of bounds: index 5, length 2. Printing more information") == true)
    #expect(
      failure("{.items[0]}", ["items": []])?.contains(
        "array index out of bounds: index 0, length 0.") == true)
    #expect(
      failure("{.metadata[0]}")?.contains("map[string]interface {} is not array or slice.")
        == true)
    #expect(failure("{end}")?.contains("not in range, nothing to end.") == true)
    #expect(failure("{.items[0:2:0]}")?.contains("step must be > 0.") == true)
    #expect(
      failure(#"{.metadata[?(@.x=="y")]}"#)?.contains(
        "map[resourceVersion:] is not array or slice and cannot be filtered.") == true)
  }

  @Test func parseErrors() {
    #expect(failure("{.a") == "error: error parsing jsonpath {.a, unclosed action")
    #expect(
      failure("{.a,.b}")
        == "error: error parsing jsonpath {.a,.b}, unrecognized character in action: U+002C ','")
    #expect(
      failure("{.items[x]}") == "error: error parsing jsonpath {.items[x]}, invalid array index x")
    #expect(failure("{.items[0}") == "error: error parsing jsonpath {.items[0}, unterminated array")
    #expect(
      failure(#"{.items[?(@.a=="b"}"#)
        == #"error: error parsing jsonpath {.items[?(@.a=="b"}, unterminated filter"#)
    #expect(
      failure(#"{"abc}"#) == #"error: error parsing jsonpath {"abc}, unterminated quoted string"#)
    #expect(
      failure(#"{"\q"}"#)
        == #"error: error parsing jsonpath {"\q"}, unquote string "\q" error invalid syntax"#)
    #expect(
      failure("{....a}")
        == "error: error parsing jsonpath {....a}, invalid multiple recursive descent")
  }
}
