/// Reads Kelp source text into values. Every list it builds carries its source location (see
/// `Pair.location`); top-level forms come back with theirs, since atoms carry none.
///
///     datum   := atom | '(' datum* ['.' datum] ')' | '[' datum* ']' | '{' (datum datum)* '}'
///              | '\'' datum | '`' datum | ',' datum | ',@' datum
///     atom    := integer | float | string | '#t' | '#f' | 'true' | 'false' | 'nil'
///              | ':'keyword | symbol
///     comment := ';' to end of line | '#|' nested '|#' | '#;' datum
///
/// An unterminated form at the end of the text is a `.incomplete` error, distinct from a syntax
/// error, so that the REPL can ask for another line.
public struct Reader {
  public struct Form {
    public let value: Value
    public let location: SourceLocation
    /// The line the form's last character is on.
    public var endLine: Int

    public init(value: Value, location: SourceLocation, endLine: Int? = nil) {
      self.value = value
      self.location = location
      self.endLine = endLine ?? location.line
    }
  }

  /// Deeper nesting than this is refused: it would only come from generated or hostile input.
  public static let maxNesting = 10_000
  /// The longest string literal accepted, in bytes.
  public static let maxStringBytes = 64 << 20

  let bytes: [UInt8]
  let file: String
  var offset = 0
  var line = 1
  var column = 1
  var depth = 0
  let stackLimit = StackGuard.limit

  public init(_ source: String, file: String) {
    self.bytes = Array(source.utf8)
    self.file = file
  }

  /// All the forms of a text.
  public static func readAll(_ source: String, file: String) throws(LispError) -> [Form] {
    var reader = Reader(source, file: file)
    var forms: [Form] = []
    while let form = try reader.next() { forms.append(form) }
    return forms
  }

  /// Whether `source` holds only complete forms: what the REPL asks before evaluating.
  public static func isIncomplete(_ source: String) -> Bool {
    LargeStack.run { () -> Bool in
      do throws(LispError) {
        _ = try readAll(source, file: "<repl>")
        return false
      } catch {
        return error.kind == .incomplete
      }
    }
  }

  /// The next top-level form, or nil at the end of the text.
  public mutating func next() throws(LispError) -> Form? {
    try skipAtmosphere()
    guard offset < bytes.count else { return nil }
    let start = here
    let value = try readDatum()
    return Form(value: value, location: start, endLine: line)
  }

  var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

  // MARK: Characters

  @inline(__always) var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

  @inline(__always) func peek(at distance: Int) -> UInt8? {
    offset + distance < bytes.count ? bytes[offset + distance] : nil
  }

  /// Consumes one byte, keeping line and column. Columns count characters, not bytes: UTF-8
  /// continuation bytes do not move the column.
  @inline(__always) mutating func advance() {
    let byte = bytes[offset]
    offset += 1
    if byte == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if byte & 0xC0 != 0x80 {
      column += 1
    }
  }

  static func isDelimiter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
      UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: ";"),
      UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: ","), 0x0C:
      return true
    default:
      return false
    }
  }

  func error(_ message: String, at location: SourceLocation, hint: String? = nil) -> LispError {
    LispError(.syntax, message, location: location, hint: hint)
  }

  func incomplete(_ message: String, at location: SourceLocation) -> LispError {
    LispError(.incomplete, message, location: location)
  }
}
