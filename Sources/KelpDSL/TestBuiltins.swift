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
  }

  /// How one test went: its error (nil: passed), and the virtual and wall time it took.
  public struct TestResult {
    public var test: TestCase
    public var failure: LispError?
    public var virtualSeconds: Double
    public var wallSeconds: Double
  }

  static let testMacros = """
    (define-macro (deftest name . body)
      "Defines a test: BODY runs on a fresh cluster (`kelp test` runs every test of a file and reports each). Options before the body: :seed N, :tags [...]."
      (let loop ((rest body) (options '()))
        (if (and (pair? rest) (keyword? (car rest)) (pair? (cdr rest)))
            (loop (cddr rest) (append options (list (car rest) (cadr rest))))
            `(deftest* ,name (lambda () ,@rest) ,@options))))
    """

  func testBuiltins() -> [Builtin] {
    [
      Builtin(
        "deftest*", "(deftest \"name\" :seed 7 BODY...)",
        "Defines a test (use the deftest macro): collected under `kelp test`, run at once otherwise.",
        arity: 2...6
      ) { args throws(LispError) in
        let name = try Arguments.string(args[0], "deftest", "name")
        let options = try Arguments.keywords(args[2...], "deftest", allowed: ["seed", "tags"])
        var tags: [String] = []
        if let given = options["tags"] {
          tags = try Arguments.sequence(given, "deftest").map { tag throws(LispError) in
            try Arguments.string(tag, "deftest", "tag")
          }
        }
        let test = TestCase(
          name: name, file: self.interpreter.currentFile ?? "<input>", body: args[1], tags: tags,
          seed: try ClusterSession.int(options["seed"], "deftest", "seed"))
        if self.collectingTests {
          self.collectedTests.append(test)
          return .void
        }
        let result = self.run(test, seed: nil)
        if let failure = result.failure { throw failure }
        self.interpreter.output("✔ \(name)\n")
        return .void
      }
    ]
  }

  /// Runs a test on a fresh default cluster (3 nodes, the test's or the given seed).
  public func run(_ test: TestCase, seed: Int?) -> TestResult {
    let chosen = UInt64(truncatingIfNeeded: test.seed ?? seed ?? 0)
    replace(
      with: ClusterSession.makeCluster(
        nodes: 3, cpu: .cpu(millis: 4000), memory: .bytes(8 << 30), seed: chosen))
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    var failure: LispError?
    do throws(LispError) {
      _ = try interpreter.call(test.body, [])
    } catch {
      failure = error
    }
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let wall = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    return TestResult(
      test: test, failure: failure, virtualSeconds: Double(cluster.now) / 1000,
      wallSeconds: wall)
  }
}
