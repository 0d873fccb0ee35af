/// An error the API server returns, with its HTTP reason, so kubectl can print
/// `Error from server (NotFound): pods "web" not found`.
public struct APIError: Error, Sendable, CustomStringConvertible {
  public enum Reason: String, Sendable {
    case notFound = "NotFound"
    case alreadyExists = "AlreadyExists"
    case invalid = "Invalid"
    case badRequest = "BadRequest"
    case forbidden = "Forbidden"
    case conflict = "Conflict"
  }
  public var reason: Reason
  public var message: String
  /// For Invalid: the object (`Pod "web"`) and each field's problem, which kubectl lists.
  public var invalidObject: String?
  public var causes: [String] = []

  public init(_ reason: Reason, _ message: String) {
    self.reason = reason
    self.message = message
  }

  public var description: String { message }

  /// As kubectl prints it: `Error from server (NotFound): …`, or for a rejected object
  /// `The Pod "Web" is invalid: …` with one `* cause` line per field when there are several.
  public var kubectlText: String {
    if reason == .invalid, let object = invalidObject {
      if causes.count == 1 { return "The \(object) is invalid: \(causes[0])" }
      return "The \(object) is invalid: \n" + causes.map { "* " + $0 }.joined(separator: "\n")
    }
    return "Error from server (\(reason.rawValue)): \(message)"
  }

  public static func notFound(_ kind: ResourceKind, _ name: String) -> APIError {
    APIError(.notFound, "\(kind.qualifiedPlural) \"\(name)\" not found")
  }
  public static func alreadyExists(_ kind: ResourceKind, _ name: String) -> APIError {
    APIError(.alreadyExists, "\(kind.qualifiedPlural) \"\(name)\" already exists")
  }
  /// `The Pod "Web" is invalid: metadata.name: Invalid value: "Web": …`
  public static func invalid(_ kind: ResourceKind, _ name: String, _ causes: [String]) -> APIError {
    let joined = causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]"
    var error = APIError(.invalid, "\(kind.kind) \"\(name)\" is invalid: \(joined)")
    error.invalidObject = "\(kind.kind) \"\(name)\""
    error.causes = causes
    return error
  }
}
