/// Every error Kelp raises: what went wrong (kind and message), where (source location), and
/// how we got there (a short Kelp call trace). `ErrorRenderer` turns it into text in one place.
public struct LispError: Error, Sendable {
  public enum Kind: String, Sendable {
    /// The reader met malformed text.
    case syntax = "syntax error"
    /// The text ended inside a form: the REPL asks for more instead of reporting it.
    case incomplete = "incomplete input"
    /// A special form used with the wrong shape.
    case form = "bad form"
    case unbound = "unbound name"
    case type = "type error"
    case arity = "arity error"
    case value = "error"
    /// Raised by `(error ...)` in a program.
    case user = "user error"
    case assertion = "assertion failed"
    case overflow = "integer overflow"
    case stackDepth = "stack depth exceeded"
    case interrupted = "interrupted"
    case limit = "limit exceeded"
    case io = "i/o error"
    /// The sandbox refused a file access (see `Sandbox`).
    case permission = "not allowed"
  }

  public var kind: Kind
  public var message: String
  public var location: SourceLocation?
  /// What to do about it, when we can tell ("did you mean `replicas`?").
  public var hint: String?
  /// Innermost call first; capped so a deep recursion does not print a wall of text.
  public var trace: [String] = []
  /// Extra data given to `(error "message" data)`.
  public var data: Value = .null

  public init(
    _ kind: Kind, _ message: String, location: SourceLocation? = nil, hint: String? = nil,
    data: Value = .null
  ) {
    self.kind = kind
    self.message = message
    self.location = location
    self.hint = hint
    self.data = data
  }

  /// Interrupts and resource limits stop the program: `catch` must not swallow them, or Ctrl-C
  /// could not stop a loop that catches everything.
  public var isCatchable: Bool {
    switch kind {
    case .interrupted, .limit, .stackDepth: return false
    default: return true
    }
  }

  static let traceLimit = 12

  /// How many times the last trace entry repeated (a recursion shows as one line with a count).
  public var lastTraceRepeats = 1

  mutating func addTrace(_ entry: String) {
    if trace.last == entry {
      lastTraceRepeats += 1
    } else if trace.count < LispError.traceLimit {
      if lastTraceRepeats > 1, let last = trace.popLast() {
        trace.append("\(last) (\(lastTraceRepeats) times)")
      }
      lastTraceRepeats = 1
      trace.append(entry)
    }
  }

  /// Attaches a location if the error has none yet: the innermost known place wins.
  func located(_ index: Int32) -> LispError {
    guard location == nil, let where_ = SourceMap.location(index) else { return self }
    var copy = self
    copy.location = where_
    return copy
  }
}
