/// The name and label checks of `k8s.io/apimachinery/pkg/util/validation` as of Kubernetes
/// v1.32. Each returns upstream's messages (empty when valid), so the API server's
/// `Invalid value` errors read word for word like a real cluster's. The regular expressions are
/// matched by hand over UTF-8 bytes; lengths count bytes, as Go's `len` does.
public enum Validation {
  public static let dns1123LabelMaxLength = 63
  public static let dns1123SubdomainMaxLength = 253
  public static let dns1035LabelMaxLength = 63
  public static let qualifiedNameMaxLength = 63
  public static let labelValueMaxLength = 63

  static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
  static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
  static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
  static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
  static let labelValueFormat = "(" + qualifiedNameFormat + ")?"

  static let dns1123LabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    + "and must start and end with an alphanumeric character"
  static let dns1123SubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    + "or '.', and must start and end with an alphanumeric character"
  static let dns1035LabelMessage =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    + "alphabetic character, and end with an alphanumeric character"
  static let qualifiedNameMessage =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    + "alphanumeric character"
  static let labelValueMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    + "'.', and must start and end with an alphanumeric character"

  /// Namespace names, volume and port names: `my-name`, no dots, at most 63 bytes.
  public static func isDNS1123Label(_ value: String) -> [String] {
    var errors: [String] = []
    let bytes = Array(value.utf8)
    if bytes.count > dns1123LabelMaxLength { errors.append(maxLenError(dns1123LabelMaxLength)) }
    if !matchesDNS1123Label(bytes[...]) {
      errors.append(
        regexError(dns1123LabelMessage, dns1123LabelFormat, examples: ["my-name", "123-abc"]))
    }
    return errors
  }

  /// Most object names (Pod, Node, Deployment, ConfigMap): dot-separated labels, at most 253.
  public static func isDNS1123Subdomain(_ value: String) -> [String] {
    var errors: [String] = []
    let bytes = Array(value.utf8)
    if bytes.count > dns1123SubdomainMaxLength {
      errors.append(maxLenError(dns1123SubdomainMaxLength))
    }
    if !matchesDNS1123Subdomain(bytes[...]) {
      errors.append(
        regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, examples: ["example.com"]))
    }
    return errors
  }

  /// Service names: like a DNS-1123 label but starting with a letter, so they are valid
  /// environment-variable stems and DNS names.
  public static func isDNS1035Label(_ value: String) -> [String] {
    var errors: [String] = []
    let bytes = Array(value.utf8)
    if bytes.count > dns1035LabelMaxLength { errors.append(maxLenError(dns1035LabelMaxLength)) }
    let startsWithLetter = bytes.first.map(isLowerLetter) ?? false
    if !startsWithLetter || !matchesDNS1123Label(bytes[...]) {
      errors.append(
        regexError(dns1035LabelMessage, dns1035LabelFormat, examples: ["my-name", "abc-123"]))
    }
    return errors
  }

  /// Label and annotation keys: `name` or `prefix/name`, where the prefix is a DNS subdomain
  /// and the name at most 63 bytes of `[-A-Za-z0-9_.]` starting and ending alphanumeric.
  public static func isQualifiedName(_ value: String) -> [String] {
    var errors: [String] = []
    let parts = value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    let name: Substring.UTF8View
    switch parts.count {
    case 1:
      name = parts[0]
    case 2:
      name = parts[1]
      let prefix = String(decoding: parts[0], as: UTF8.self)
      if prefix.isEmpty {
        errors.append("prefix part " + emptyError)
      } else {
        errors += isDNS1123Subdomain(prefix).map { "prefix part " + $0 }
      }
    default:
      return [
        "a qualified name "
          + regexError(
            qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
      ]
    }
    if name.isEmpty {
      errors.append("name part " + emptyError)
    } else if name.count > qualifiedNameMaxLength {
      errors.append("name part " + maxLenError(qualifiedNameMaxLength))
    }
    if !matchesQualifiedName(Array(name)[...]) {
      errors.append(
        "name part "
          + regexError(
            qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"]))
    }
    return errors
  }

  /// Label values: empty, or a qualified name's name part.
  public static func isValidLabelValue(_ value: String) -> [String] {
    var errors: [String] = []
    let bytes = Array(value.utf8)
    if bytes.count > labelValueMaxLength { errors.append(maxLenError(labelValueMaxLength)) }
    if !bytes.isEmpty && !matchesQualifiedName(bytes[...]) {
      errors.append(
        regexError(labelValueMessage, labelValueFormat, examples: ["MyValue", "my_value", "12345"]))
    }
    return errors
  }

  /// Upstream `path.IsValidPathSegmentName`, the only rule for RBAC object names: anything
  /// that can sit in a URL path segment.
  public static func isValidPathSegmentName(_ name: String) -> [String] {
    if name == "." || name == ".." { return ["may not be '\(name)'"] }
    var errors: [String] = []
    if name.contains("/") { errors.append("may not contain '/'") }
    if name.contains("%") { errors.append("may not contain '%'") }
    return errors
  }

  /// The messages upstream's name-validation function for `kind` gives for `metadata.name`:
  /// Namespace names are DNS-1123 labels, Service names DNS-1035 labels, RBAC names path
  /// segments, CronJob names subdomains of at most 52 bytes (its Jobs append an 11-byte
  /// suffix), and every other kind a DNS-1123 subdomain. An empty name fails the rule like any
  /// other; the API server reports it earlier as `Required value`.
  public static func nameIsValid(_ name: String, kind: String) -> [String] {
    switch kind {
    case "Namespace":
      return isDNS1123Label(name)
    case "Service":
      return isDNS1035Label(name)
    case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
      return isValidPathSegmentName(name)
    case "CronJob":
      var errors = isDNS1123Subdomain(name)
      if name.utf8.count > dns1035LabelMaxLength - 11 {
        errors.append(maxLenError(dns1035LabelMaxLength - 11))
      }
      return errors
    default:
      return isDNS1123Subdomain(name)
    }
  }

  /// Upstream `MaxLenError`.
  public static func maxLenError(_ length: Int) -> String {
    "must be no more than \(length) characters"
  }

  /// Upstream `EmptyError`.
  public static let emptyError = "must be non-empty"

  /// Upstream `RegexError`, including its double space before each " or ".
  public static func regexError(_ message: String, _ format: String, examples: [String])
    -> String
  {
    if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
    let listed = examples.map { "'" + $0 + "', " }.joined(separator: " or ")
    return message + " (e.g. " + listed + "regex used for validation is '" + format + "')"
  }

  // MARK: Hand-written matchers

  private static func isLowerLetter(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || isLowerLetter(byte)
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }

  /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
  private static func matchesDNS1123Label(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard let first = bytes.first, let last = bytes.last else { return false }
    let lowerAlphanumeric = { (byte: UInt8) in isLowerLetter(byte) || isDigit(byte) }
    return lowerAlphanumeric(first) && lowerAlphanumeric(last)
      && bytes.allSatisfy { lowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
  }

  /// `^label(\.label)*$`
  private static func matchesDNS1123Subdomain(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
      .allSatisfy(matchesDNS1123Label)
  }

  /// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
  private static func matchesQualifiedName(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard let first = bytes.first, let last = bytes.last else { return false }
    let allowed = Array("-_.".utf8)
    return isAlphanumeric(first) && isAlphanumeric(last)
      && bytes.allSatisfy { isAlphanumeric($0) || allowed.contains($0) }
  }
}
