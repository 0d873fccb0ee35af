import KelpCluster
import KelpLisp

#if canImport(Glibc)
  import Glibc
#endif

/// Tests: `(deftest "name" :seed 7 :tags ["slow"] BODY...)`. Under `kelp test` each test is
/// collected and run later on a fresh cluster; elsewhere (a script, the REPL) it runs at once.
extension ClusterSession {
  /// One collected test.
  public struct TestCase {
    public var name: String
    public var file: String
    public var body: Value
    public var tags: [String]
    public var seed: Int?
    /// Why it is skipped (`:skip "reason"`), or nil.
    public var skip: String?
    /// False (`:fresh #f`): the test goes on with the cluster as the file or the test before it
    /// left it, instead of a fresh one.
    public var fresh = true
    /// The file's `before-each` and `after-each` bodies in force when it was defined.
    var setups: [Value] = []
    var teardowns: [Value] = []
    /// The file's invariants declared before it, in force while its chaos runs.
    var invariants: [Invariant] = []
  }

  /// How one test went: its error (nil: passed), and the virtual and wall time it took.
  public struct TestResult {
    public var test: TestCase
    public var failure: LispError?
    public var virtualSeconds: Double
    public var wallSeconds: Double
    /// The end of the run's timeline, for a failure's report.
    public var timelineTail: [String] = []
  }

  static let testMacros = """
    (define-macro (deftest name . body)
      "Defines a test: BODY runs on a fresh cluster (`kelp test` runs every test of a file and reports each). Options before the body: :seed N, :tags [...], :skip REASON, :fresh #f (go on with the cluster as it is)."
      (let loop ((rest body) (options '()))
        (if (and (pair? rest) (keyword? (car rest)) (pair? (cdr rest)))
            (loop (cddr rest) (append options (list (car rest) (cadr rest))))
            `(deftest* ,name (lambda () ,@rest) ,@options))))
    (define-macro (before-each . body)
      "BODY runs at the start of every later test of the file, on its fresh cluster (set-up)."
      `(before-each* (lambda () ,@body)))
    (define-macro (after-each . body)
      "BODY runs at the end of every later test of the file, passed or failed (tear-down)."
      `(after-each* (lambda () ,@body)))
    """

  func testBuiltins() -> [Builtin] {
    [
      Builtin(
        "deftest*", "(deftest \"name\" :seed 7 BODY...)",
        "Defines a test (use the deftest macro): collected under `kelp test`, run at once otherwise.",
        arity: 2...8
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "deftest", "name")
        let options = try Arguments.keywords(
          args[2...], "deftest", allowed: ["seed", "tags", "skip", "fresh"])
        var tags: [String] = []
        if let given = options["tags"] {
          tags = try Arguments.sequence(given, "deftest").map { tag throws(LispError) in
            try Arguments.string(tag, "deftest", "tag")
          }
        }
        let test = TestCase(
          name: name, file: self.interpreter.currentFile ?? "<input>", body: args[1], tags: tags,
          seed: try ClusterSession.int(options["seed"], "deftest", "seed"),
          skip: try ClusterSession.string(options["skip"], "deftest", "skip"),
          fresh: options["fresh"]?.isTruthy ?? true, setups: self.setups,
          teardowns: self.teardowns, invariants: self.invariants)
        if self.collectingTests {
          self.collectedTests.append(test)
          return .void
        }
        if let skip = test.skip {
          self.interpreter.output("- \(name) (skipped: \(skip))\n")
          return .void
        }
        let result = self.run(test, seed: nil)
        if let failure = result.failure { throw failure }
        self.interpreter.output("✔ \(name)\n")
        return .void
      },
      Builtin(
        "before-each*", "(before-each BODY...)",
        "Adds a set-up run at the start of every later test of the file (use the before-each macro).",
        unary: { body throws(LispError) in
          self.setups.append(body)
          return .void
        }),
      Builtin(
        "after-each*", "(after-each BODY...)",
        "Adds a tear-down run at the end of every later test of the file (use the after-each macro).",
        unary: { body throws(LispError) in
          self.teardowns.append(body)
          return .void
        }),
    ]
  }

  /// A new file starts on a fresh default cluster, with no set-up, tear-down or invariant of
  /// another file's (so a `:fresh #f` test sees only what its own file made).
  public func startTestFile() {
    setups = []
    teardowns = []
    invariants = []
    replace(
      with: ClusterSession.makeCluster(
        nodes: 3, cpu: .cpu(millis: 4000), memory: .bytes(8 << 30), seed: defaultSeed))
  }

  /// Runs a test on a fresh default cluster (3 nodes, the test's or the given seed).
  public func run(_ test: TestCase, seed: Int?) -> TestResult {
    let chosen = UInt64(truncatingIfNeeded: test.seed ?? seed ?? 0)
    if test.fresh {
      replace(
        with: ClusterSession.makeCluster(
          nodes: 3, cpu: .cpu(millis: 4000), memory: .bytes(8 << 30), seed: chosen))
    }
    let virtualStart = cluster.now
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    var failure: LispError?
    invariants = test.invariants
    currentTest = test
    defer { currentTest = nil }
    do throws(LispError) {
      for setup in test.setups { _ = try interpreter.call(setup, []) }
      _ = try interpreter.call(test.body, [])
    } catch {
      failure = error
    }
    for teardown in test.teardowns {
      do throws(LispError) {
        _ = try interpreter.call(teardown, [])
      } catch {
        failure = failure ?? error
      }
    }
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let wall = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    return TestResult(
      test: test, failure: failure, virtualSeconds: Double(cluster.now - virtualStart) / 1000,
      wallSeconds: wall)
  }
}
