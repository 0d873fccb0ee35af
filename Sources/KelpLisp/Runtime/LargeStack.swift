#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs evaluation on a thread with a large stack, so that the depth limit (not the operating
/// system) is what stops a deep recursion. Re-entrant: code already on such a thread runs in place.
public enum LargeStack {
  /// Address space only: pages are touched (and so cost memory) only as deep as a program recurses.
  public static let size = 4 << 30

  private final class Job: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }

  nonisolated(unsafe) private static var key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  public static var isCurrent: Bool { pthread_getspecific(key) != nil }

  public static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    if isCurrent { return try body() }
    return try withoutActuallyEscaping(body) { (escapable) throws(E) -> T in
      var outcome: Result<T, E>?
      let job = Job {
        do throws(E) { outcome = .success(try escapable()) } catch { outcome = .failure(error) }
      }
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      pthread_attr_setstacksize(&attributes, size)
      defer { pthread_attr_destroy(&attributes) }
      let context = Unmanaged.passRetained(job).toOpaque()
      #if canImport(Glibc)
        var thread = pthread_t()
      #else
        var thread: pthread_t?
      #endif
      let created = pthread_create(
        &thread, &attributes,
        { raw in
          guard let raw else { return nil }
          let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
          pthread_setspecific(LargeStack.key, UnsafeRawPointer(bitPattern: 1))
          job.body()
          return nil
        }, context)
      if created != 0 {
        // No thread could be made (resource limits): run here, with the smaller stack; the
        // stack guard still turns a deep recursion into an error.
        Unmanaged<Job>.fromOpaque(context).release()
        return try escapable()
      }
      #if canImport(Glibc)
        pthread_join(thread, nil)
      #else
        if let thread { pthread_join(thread, nil) }
      #endif
      guard let outcome else { fatalError("the evaluation thread ended without a result") }
      return try outcome.get()
    }
  }
}
