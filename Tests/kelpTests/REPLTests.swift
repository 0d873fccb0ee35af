import Foundation
import Testing

/// A `kelp` REPL on a pseudo-terminal of its own, with HOME and the history
/// file in a scratch folder, so no test sees the user's files or another
/// test's history.
final class REPLSession {
  let folder: ScratchFolder
  let terminal: PseudoTerminal
  var historyPath: String { folder.url.appendingPathComponent("history").path }

  /// Every wait is bounded; a failure shows everything the REPL drew.
  static let timeout = 10.0

  /// Starts the REPL and waits for its first prompt.
  ///
  /// Pass `folder` to reuse another session's home (and so its history).
  init(folder: ScratchFolder? = nil) throws {
    self.folder = try folder ?? ScratchFolder("kelp-repl")
    var environment: [String: String] = [
      "HOME": self.folder.path,
      "KELP_HISTORY": self.folder.url.appendingPathComponent("history").path,
      "TERM": "xterm",
      "NO_COLOR": "1",
    ]
    environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
    terminal = try PseudoTerminal(executable: try KelpBinary.path(), environment: environment)
    try expectPrompt()
  }

  deinit {
    terminal.terminate()
  }

  /// Types `text` ("\r" is Enter, "\t" Tab, "\u{03}" Ctrl-C, "\u{04}" Ctrl-D).
  func type(_ text: String) throws {
    try terminal.send(text)
  }

  /// Waits for `text` and returns the output up to it.
  @discardableResult
  func expect(_ text: String) throws -> String {
    try terminal.expect(text, timeout: Self.timeout)
  }

  /// Waits for `prompt` and then until the line editor reads keys (see
  /// `PseudoTerminal.waitForRawMode`); returns the output up to the prompt.
  @discardableResult
  func expectPrompt(_ prompt: String = "kelp> ") throws -> String {
    let shown = try expect(prompt)
    try terminal.waitForRawMode(timeout: Self.timeout)
    return shown
  }

  /// Enters `line`, presses Ctrl-C once it is running, and waits for the
  /// `interrupted` report and the next prompt.
  func interruptWhileRunning(_ line: String) throws {
    try type(line + "\r")
    try expect(line + "\r\n")
    // Let the evaluation start: a Ctrl-C that lands before it does is
    // discarded as belonging to the line just entered. The line editor
    // hands the terminal back (cooked mode) just before evaluating.
    let deadline = ContinuousClock.now + .seconds(Self.timeout)
    while try !terminal.isCanonical(), ContinuousClock.now < deadline { usleep(5_000) }
    usleep(300_000)
    try type("\u{03}")
    try expect("interrupted")
    try expectPrompt()
  }

  /// Types `line` and Enter, and returns what the REPL drew until its next
  /// prompt (the echo of the line included).
  @discardableResult
  func enter(_ line: String, until prompt: String = "kelp> ") throws -> String {
    try type(line + "\r")
    return try expectPrompt(prompt)
  }

  var transcript: String { terminal.output }

  /// The history file's entries, decoded: libedit writes a header line,
  /// then one entry a line with spaces, tabs, newlines and backslashes as
  /// octal escapes (strvis with VIS_WHITE).
  func historyEntries() throws -> [String] {
    let text = try String(contentsOfFile: historyPath, encoding: .utf8)
    return text.split(separator: "\n")
      .filter { $0 != "_HiStOrY_V2_" }
      .map { Self.unvis(String($0)) }
  }

  /// Undoes strvis: `\ooo` (three octal digits) is that byte, `\\` a backslash.
  private static func unvis(_ encoded: String) -> String {
    let backslash = UInt8(ascii: "\\")
    let octalDigits = UInt8(ascii: "0")...UInt8(ascii: "7")
    var input = Array(encoded.utf8)[...]
    var bytes: [UInt8] = []
    while let byte = input.popFirst() {
      let escape = input.prefix(3)
      if byte == backslash, escape.count == 3, escape.allSatisfy(octalDigits.contains) {
        bytes.append(escape.reduce(0) { $0 &* 8 &+ ($1 - octalDigits.lowerBound) })
        input.removeFirst(3)
      } else if byte == backslash, input.first == backslash {
        bytes.append(backslash)
        input.removeFirst()
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

@Suite("The kelp REPL")
struct REPLTests {
  @Test("The REPL greets with a banner and a prompt")
  func showsBannerAndPrompt() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    #expect(
      repl.transcript.contains("Kelp — type ,help for help, Ctrl-D to quit."), "\(repl.transcript)")
    #expect(repl.transcript.hasSuffix("kelp> "), "\(repl.transcript)")
  }

  @Test("An expression entered at the prompt prints its value")
  func printsValue() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    let shown = try repl.enter("(+ 1 2)")
    #expect(shown.contains("\n3\r\n"), "\(repl.transcript)")
  }

  @Test("A misspelt name reports an error that suggests the right one, and the REPL goes on")
  func suggestsName() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(define replicas 3)")
    let shown = try repl.enter("replicaz")
    #expect(shown.contains("replicaz is not defined"), "\(repl.transcript)")
    #expect(shown.contains("did you mean `replicas`"), "\(repl.transcript)")
    let after = try repl.enter("(* replicas 2)")
    #expect(after.contains("\n6\r\n"), "\(repl.transcript)")
  }

  @Test("A new user starts a cluster, watches a pod start, loses its node and sees kubectl's view")
  func firstCluster() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(cluster :nodes 3 :seed 42)")
    #expect(try repl.enter("(kubectl \"run web --image=nginx:1.25\")").contains("pod/web created"))
    let starting = try repl.enter("(kubectl \"get pods\")")
    // Text that ends in a newline shows as text, as kubectl prints it.
    #expect(
      starting.contains("web    0/1     ContainerCreating   0          0s"), "\(repl.transcript)")
    try repl.enter("(advance \"5s\")")
    let running = try repl.enter("(kubectl \"get pods -o wide\")")
    #expect(running.contains("web    1/1     Running   0          5s"), "\(repl.transcript)")
    try repl.enter("(fail-node (get (first (pods)) :node))")
    try repl.enter("(advance \"50s\")")
    let nodes = try repl.enter("(kubectl \"get nodes\")")
    #expect(nodes.contains("NotReady"), "\(repl.transcript)")
    try repl.enter("(advance \"300s\")")
    let evicted = try repl.enter("(kubectl \"get pods\")")
    #expect(evicted.contains("Terminating"), "\(repl.transcript)")
    let error = try repl.enter("(kubectl \"get pod nope\")")
    #expect(
      error.contains("Error from server (NotFound): pods \"nope\" not found"), "\(repl.transcript)")
  }

  @Test("An unfinished form continues on a continuation prompt")
  func continuesUnfinishedForm() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(define (sq x)", until: "  ... ")
    let rest = try repl.enter("(* x x))")
    #expect(!rest.contains("error"), "\(repl.transcript)")
    let shown = try repl.enter("(sq 7)")
    #expect(shown.contains("\n49\r\n"), "\(repl.transcript)")
  }

  @Test("Tab completes a name")
  func completesName() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.type("(string-up\t")
    // libedit redraws the line with the rest of the name and a space.
    try repl.expect("case ")
    let shown = try repl.enter(#""kelp")"#)
    #expect(shown.contains("\n\"KELP\"\r\n"), "\(repl.transcript)")
  }

  @Test("Ctrl-C stops a running evaluation with an interrupted error, and the REPL goes on")
  func interruptsEvaluation() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.interruptWhileRunning("(let loop () (loop))")
    let shown = try repl.enter("(+ 2 2)")
    #expect(shown.contains("\n4\r\n"), "\(repl.transcript)")
  }

  @Test("Ctrl-C stops a long advance of the virtual clock; the cluster stays usable")
  func interruptsAdvance() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(cluster :nodes 2 :seed 1)")
    try repl.enter(
      "(for-each (lambda (i) (pod (str \"c\" i) :image \"busybox:1.36\" :command [\"sh\" \"-c\" \"exit 1\"])) (range 200))"
    )
    try repl.interruptWhileRunning("(advance \"800000h\")")
    let shown = try repl.enter("(< (now) (* 800000 3600))")
    #expect(shown.contains("\n#t\r\n"), "\(repl.transcript)")
    let pods = try repl.enter("(length (pods))")
    #expect(pods.contains("\n200\r\n"), "\(repl.transcript)")
  }

  @Test("Ctrl-C at the prompt discards the text typed")
  func interruptClearsLine() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.type("(+ 100 200")
    try repl.expect("200")
    try repl.type("\u{03}")
    try repl.expectPrompt()
    let shown = try repl.enter("(+ 5 5)")
    // Had the text stayed, the line would read "(+ 100 200(+ 5 5)" and
    // still be unfinished.
    #expect(shown.contains("\n10\r\n"), "\(repl.transcript)")
    #expect(!shown.contains("300"), "\(repl.transcript)")
    #expect(!shown.contains("..."), "\(repl.transcript)")
  }

  @Test("Ctrl-C on a continuation line abandons the unfinished form")
  func interruptAbandonsForm() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(define (sq x)", until: "  ... ")
    try repl.type("\u{03}")
    try repl.expectPrompt()
    let shown = try repl.enter("(+ 1 1)")
    #expect(shown.contains("\n2\r\n"), "\(repl.transcript)")
    let undefined = try repl.enter("(sq 3)")
    #expect(undefined.contains("sq is not defined"), "\(repl.transcript)")
  }

  @Test(",doc NAME prints the usage and documentation of NAME")
  func showsDocumentation() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    let shown = try repl.enter(",doc map")
    #expect(shown.contains("(map f seq...)"), "\(repl.transcript)")
  }

  @Test(",doc shows the docstring of a procedure defined in the session")
  func showsOwnDocumentation() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(define (pod-name app i)", until: "  ... ")
    try repl.enter(#""The name of the i-th pod of an app.""#, until: "  ... ")
    try repl.enter(#"(str app "-" i))"#)
    let shown = try repl.enter(",doc pod-name")
    #expect(shown.contains("(pod-name app i)"), "\(repl.transcript)")
    #expect(shown.contains("The name of the i-th pod of an app."), "\(repl.transcript)")
  }

  @Test("An unknown REPL command is reported and the REPL goes on")
  func rejectsUnknownCommand() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    let shown = try repl.enter(",frobnicate")
    #expect(shown.contains("unknown command ,frobnicate"), "\(repl.transcript)")
    let after = try repl.enter("(+ 20 22)")
    #expect(after.contains("\n42\r\n"), "\(repl.transcript)")
  }

  @Test(",help lists the REPL commands")
  func showsHelp() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    let shown = try repl.enter(",help")
    #expect(shown.contains(",doc NAME"), "\(repl.transcript)")
    #expect(shown.contains(",quit"), "\(repl.transcript)")
    #expect(shown.contains("Ctrl-C"), "\(repl.transcript)")
  }

  @Test("Ctrl-D exits with status 0 and saves the history, a multi-line form as one entry")
  func exitsOnEndOfFile() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(+ 1 2)")
    try repl.enter("(define (sq x)", until: "  ... ")
    try repl.enter("(* x x))")
    try repl.enter("(sq 7)")
    try repl.type("\u{04}")
    #expect(try repl.terminal.waitForExit(timeout: REPLSession.timeout) == 0, "\(repl.transcript)")

    let raw = try String(contentsOfFile: repl.historyPath, encoding: .utf8)
    #expect(
      raw.contains("define") && raw.contains("(sq") && raw.contains("x)"), "history file:\n\(raw)")
    let entries = try repl.historyEntries()
    #expect(entries.contains("(+ 1 2)"), "history file:\n\(raw)")
    #expect(entries.contains("(define (sq x)\n(* x x))"), "history file:\n\(raw)")
    #expect(entries.contains("(sq 7)"), "history file:\n\(raw)")
    #expect(entries.last == "(sq 7)", "history file:\n\(raw)")
  }

  @Test("The next session recalls the history with the up arrow, a multi-line form whole")
  func recallsHistory() throws {
    let first = try REPLSession()
    defer { first.folder.remove() }
    try first.enter("(define (cube x)", until: "  ... ")
    try first.enter("(* x x x))")
    try first.type("\u{04}")
    #expect(
      try first.terminal.waitForExit(timeout: REPLSession.timeout) == 0, "\(first.transcript)")

    let second = try REPLSession(folder: first.folder)
    try second.type("\u{1B}[A")
    try second.expect("(* x x x))")
    try second.enter("")
    let shown = try second.enter("(cube 3)")
    #expect(shown.contains("\n27\r\n"), "\(second.transcript)")
  }

  @Test(",quit exits with status 0 and keeps the history of the session")
  func quits() throws {
    let repl = try REPLSession()
    defer { repl.folder.remove() }
    try repl.enter("(+ 1 2)")
    try repl.enter(",doc map")
    try repl.type(",quit\r")
    #expect(try repl.terminal.waitForExit(timeout: REPLSession.timeout) == 0, "\(repl.transcript)")
    let entries = try repl.historyEntries()
    #expect(entries.contains("(+ 1 2)"), "history: \(entries)")
    #expect(entries.contains(",doc map"), "history: \(entries)")
  }
}
