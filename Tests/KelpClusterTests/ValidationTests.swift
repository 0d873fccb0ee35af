import Testing

@testable import KelpCluster

/// Expected messages are those of k8s.io/apimachinery/pkg/util/validation at v1.32.
@Suite struct ValidationTests {
  static let label =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    + "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
  static let subdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    + #"used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
  static let dns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
  static let qualifiedName =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
  static let labelValue =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    + "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    + "'my_value',  or '12345', regex used for validation is "
    + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

  static let a63 = String(repeating: "a", count: 63)
  static let a64 = String(repeating: "a", count: 64)

  @Test(arguments: [
    ("my-name", [String]()), ("123-abc", []), ("a", []), ("0", []), (a63, []),
    ("example.com", [label]), ("-a", [label]), ("a-", [label]), ("My-Name", [label]),
    ("", [label]), ("a_b", [label]), (a64, ["must be no more than 63 characters"]),
    (a64 + "-", ["must be no more than 63 characters", label]),
  ])
  func dns1123LabelsFollowUpstream(_ value: String, _ expected: [String]) {
    #expect(Validation.isDNS1123Label(value) == expected)
  }

  static let longSubdomain = Array(repeating: "a", count: 127).joined(separator: ".")

  @Test(arguments: [
    ("example.com", [String]()), ("web-1", []), ("a.b.c", []), ("1.2.3.4", []), (a64, []),
    ("a..b", [subdomain]), (".a", [subdomain]), ("a.", [subdomain]), ("a.-b", [subdomain]),
    ("Example.com", [subdomain]), ("", [subdomain]), ("a_b.com", [subdomain]),
    (longSubdomain + ".aa", ["must be no more than 253 characters"]),
    (longSubdomain, []),
  ])
  func dns1123SubdomainsFollowUpstream(_ value: String, _ expected: [String]) {
    #expect(Validation.isDNS1123Subdomain(value) == expected)
  }

  @Test(arguments: [
    ("my-name", [String]()), ("abc-123", []), ("a", []), ("1abc", [dns1035]), ("-a", [dns1035]),
    ("a-", [dns1035]), ("web.svc", [dns1035]), ("", [dns1035]),
    (a64, ["must be no more than 63 characters"]),
  ])
  func dns1035LabelsFollowUpstream(_ value: String, _ expected: [String]) {
    #expect(Validation.isDNS1035Label(value) == expected)
  }

  static let namePart = "name part " + qualifiedName
  static let emptyName = "name part must be non-empty"
  static let tooManySlashes =
    "a qualified name " + qualifiedName
    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
  static let longName = "x/" + a64
  static let prefixPart = "prefix part " + subdomain

  @Test(
    arguments: [
      ("app", []), ("MyName", []), ("my.name", []), ("123-abc", []), ("a_b", []),
      ("example.com/app", []), ("kubernetes.io/os", []), ("app.kubernetes.io/name", []),
      ("a_", [namePart]), ("-a", [namePart]), ("a b", [namePart]), ("", [emptyName, namePart]),
      ("example.com/", [emptyName, namePart]), ("/app", ["prefix part must be non-empty"]),
      ("Example.com/app", [prefixPart]),
      (longName, ["name part must be no more than 63 characters"]), ("a/b/c", [tooManySlashes]),
    ] as [(String, [String])])
  func qualifiedNamesFollowUpstream(_ value: String, _ expected: [String]) {
    #expect(Validation.isQualifiedName(value) == expected)
  }

  @Test(arguments: [
    ("", [String]()), ("MyValue", []), ("my_value", []), ("12345", []), ("v1.2-rc", []),
    (a63, []), ("-x", [labelValue]), ("x.", [labelValue]), ("a b", [labelValue]),
    ("a/b", [labelValue]), (a64, ["must be no more than 63 characters"]),
  ])
  func labelValuesFollowUpstream(_ value: String, _ expected: [String]) {
    #expect(Validation.isValidLabelValue(value) == expected)
  }

  @Test(arguments: [
    ("default", "Namespace", [String]()), ("my.ns", "Namespace", [label]),
    ("web", "Service", []), ("web.svc", "Service", [dns1035]), ("1web", "Service", [dns1035]),
    ("web-7d9f.x", "Pod", []), ("Web", "Pod", [subdomain]), ("node-1.example.com", "Node", []),
    ("worker_1", "Node", [subdomain]), ("cfg.v1", "ConfigMap", []),
    ("web.v2", "Deployment", []), ("system:admin", "ClusterRole", []),
    ("a/b", "Role", ["may not contain '/'"]), ("..", "RoleBinding", ["may not be '..'"]),
    ("50%/x", "ClusterRoleBinding", ["may not contain '/'", "may not contain '%'"]),
    (String(repeating: "c", count: 52), "CronJob", []),
    (String(repeating: "c", count: 53), "CronJob", ["must be no more than 52 characters"]),
  ])
  func objectNamesFollowTheirKindsRule(_ name: String, _ kind: String, _ expected: [String]) {
    #expect(Validation.nameIsValid(name, kind: kind) == expected)
  }

  @Test func lengthsCountBytesAsGoDoes() {
    let accented = String(repeating: "é", count: 32)
    #expect(Validation.isValidLabelValue(accented).first == "must be no more than 63 characters")
  }

  @Test func regexErrorsListExamplesWithUpstreamsDoubleSpace() {
    #expect(
      Validation.regexError("m", "f", examples: ["a", "b", "c"])
        == "m (e.g. 'a',  or 'b',  or 'c', regex used for validation is 'f')")
    #expect(Validation.regexError("m", "f", examples: []) == "m (regex used for validation is 'f')")
  }
}
