/// A place in a source text: file name, 1-based line and 1-based column (in characters).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// Where every list the reader built came from. A `Pair` stores only a 32-bit index into this
/// process-wide table, which keeps cons cells at 48 bytes.
public enum SourceMap {
  private static let storage = Storage()

  private final class Storage: @unchecked Sendable {
    let lock = NSLockLike()
    var locations: [SourceLocation] = [SourceLocation(file: "?", line: 0, column: 0)]
  }

  /// Records a location and returns its index (never 0, which means "unknown").
  public static func record(_ location: SourceLocation) -> Int32 {
    storage.lock.withLock {
      // Past 2^31 locations, new forms simply go without one.
      guard storage.locations.count < Int(Int32.max) else { return 0 }
      storage.locations.append(location)
      return Int32(storage.locations.count - 1)
    }
  }

  public static func location(_ index: Int32) -> SourceLocation? {
    guard index > 0 else { return nil }
    return storage.lock.withLock { storage.locations[Int(index)] }
  }
}
