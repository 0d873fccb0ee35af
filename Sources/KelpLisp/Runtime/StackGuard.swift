#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Knows how much of the current thread's stack is left, so every recursive part of Kelp (calls
/// through builtins, the reader, the compiler, printing) can stop with an error instead of
/// overflowing, whichever thread it runs on and however deep each level's frames are.
public enum StackGuard {
  /// Kept free below the limit: enough for an error to be built and thrown.
  static let margin: UInt = 256 << 10

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  /// The lowest address this thread's stack may reach, cached per thread.
  public static var limit: UInt {
    if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
    let computed = lowestAddress() + margin
    pthread_setspecific(key, UnsafeRawPointer(bitPattern: computed))
    return computed
  }

  private static func lowestAddress() -> UInt {
    #if canImport(Glibc)
      // pthread_getattr_np is a GNU extension the Glibc module does not import.
      typealias GetAttributes =
        @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else {
        return fallback()
      }
      let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
      var attributes = pthread_attr_t()
      guard getAttributes(pthread_self(), &attributes) == 0 else { return fallback() }
      defer { pthread_attr_destroy(&attributes) }
      var base: UnsafeMutableRawPointer?
      var size = 0
      guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base else {
        return fallback()
      }
      return UInt(bitPattern: base)
    #else
      let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
      return top - UInt(pthread_get_stacksize_np(pthread_self()))
    #endif
  }

  /// Without the thread's bounds, assume a 512 KiB stack below here: cautious, never wrong.
  private static func fallback() -> UInt { currentAddress &- (512 << 10) }

  /// Roughly the current stack pointer.
  @inline(__always)
  public static var currentAddress: UInt {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
  }

  /// Whether there is room for more recursion on this thread.
  @inline(__always)
  public static func hasRoom(below limit: UInt) -> Bool { currentAddress > limit }

  public static var hasRoom: Bool { currentAddress > limit }
}
