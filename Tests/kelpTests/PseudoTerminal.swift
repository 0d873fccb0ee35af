import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program on a pseudo-terminal of its own, as if a person sat at it:
/// the program sees a real terminal on stdin, stdout and stderr (so a line
/// editor switches to raw mode) and the terminal is its controlling one (so
/// sending "\u{03}", Ctrl-C, delivers SIGINT).
///
/// Output is everything the program draws, escape sequences included.
/// Not thread-safe: drive one instance from one test.
final class PseudoTerminal {
  enum Failure: Error, CustomStringConvertible {
    case systemCall(String, errno: Int32)
    case timedOut(waitingFor: String, output: String)
    case outputEnded(waitingFor: String, output: String)
    case exitTimedOut(output: String)

    var description: String {
      switch self {
      case let .systemCall(name, code):
        return "\(name) failed: \(String(cString: strerror(code)))"
      case let .timedOut(expected, output):
        return "timed out waiting for \(expected.debugDescription); output so far:\n\(output)"
      case let .outputEnded(expected, output):
        return
          "program closed the terminal before printing \(expected.debugDescription); output:\n\(output)"
      case let .exitTimedOut(output):
        return "program did not exit in time; output so far:\n\(output)"
      }
    }
  }

  let processID: pid_t
  private var master: Int32
  /// Output not yet matched by `expect`.
  private var pending: [UInt8] = []
  /// All output since the start, for error messages.
  private var transcript: [UInt8] = []
  /// Set once every slave descriptor is closed, normally because the
  /// program exited; reads then fail with EIO instead of blocking.
  private var outputEnded = false
  private var exitStatus: Int32?

  /// Everything the program has written so far, with control characters
  /// made visible.
  var output: String { Self.visible(transcript) }

  /// Starts `executable` (a path; PATH is not searched).
  ///
  /// `environment` replaces the program's environment entirely; the
  /// default is this process's environment with TERM set to xterm.
  init(
    executable: String,
    arguments: [String] = [],
    environment: [String: String] = PseudoTerminal.defaultEnvironment,
    columns: Int = 80,
    rows: Int = 24
  ) throws {
    // Held from openpty until the program has started: until fcntl marks
    // the descriptors close-on-exec, a program another PseudoTerminal
    // spawns would inherit this terminal and keep it open after ours
    // exits, so the end of output would never be seen. (Foundation's
    // Process closes every inherited descriptor in its child itself.)
    Self.spawnLock.lock()
    defer { Self.spawnLock.unlock() }
    var master: Int32 = -1
    var slave: Int32 = -1
    var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else {
      throw Failure.systemCall("openpty", errno: errno)
    }
    var ownsMaster = true
    defer {
      // The program opens the slave itself; the parent's copy would
      // only keep the terminal alive after the program exits.
      close(slave)
      if ownsMaster { close(master) }
    }
    // Other tests may spawn processes concurrently; they must not inherit
    // this terminal.
    _ = fcntl(master, F_SETFD, FD_CLOEXEC)
    _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
    var nameBuffer = [CChar](repeating: 0, count: 128)
    let nameResult = ttyname_r(slave, &nameBuffer, nameBuffer.count)
    guard nameResult == 0 else { throw Failure.systemCall("ttyname_r", errno: nameResult) }
    let slavePath = String(
      decoding: nameBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
      as: UTF8.self)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A new session has no controlling terminal, so the slave opened
    // below (without O_NOCTTY) becomes it, and the program is then the
    // foreground process group that the terminal sends Ctrl-C to. glibc
    // runs setsid before the file actions.
    posix_spawnattr_setflags(
      &attributes, Int16(Self.spawnSetSessionID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    // The test runner may block or ignore signals; the program must not
    // inherit that.
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaultSignals = sigset_t()
    sigemptyset(&defaultSignals)
    for signal in [SIGINT, SIGQUIT, SIGTSTP, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH] {
      sigaddset(&defaultSignals, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }

    var pid: pid_t = 0
    let spawnResult = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawnResult == 0 else {
      throw Failure.systemCall("posix_spawn(\(executable))", errno: spawnResult)
    }

    self.processID = pid
    self.master = master
    ownsMaster = false
  }

  deinit {
    terminate()
  }

  private static let spawnLock = NSLock()

  /// glibc's POSIX_SPAWN_SETSID, a GNU extension Swift's Glibc module
  /// does not export.
  private static let spawnSetSessionID: Int32 = 0x80

  static var defaultEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "xterm"
    return environment
  }

  /// Types `text`. Use "\r" for Enter, "\t" for Tab, "\u{03}" for Ctrl-C,
  /// "\u{04}" for Ctrl-D.
  func send(_ text: String) throws {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw Failure.systemCall("write", errno: errno)
      }
      bytes = bytes.dropFirst(written)
    }
  }

  /// Changes the terminal size; the program gets SIGWINCH.
  func resize(columns: Int, rows: Int) throws {
    var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
    guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else {
      throw Failure.systemCall("ioctl(TIOCSWINSZ)", errno: errno)
    }
  }

  /// Reads until the output contains `substring`, then returns the output
  /// up to and including it. Output after the match is kept for the next
  /// call, so each expectation only sees what came after the previous one.
  @discardableResult
  func expect(_ substring: String, timeout: Double = 5) throws -> String {
    let needle = Array(substring.utf8)
    let deadline = ContinuousClock.now + .seconds(timeout)
    while true {
      if let match = pending.firstRange(of: needle) {
        let consumed = pending[..<match.upperBound]
        pending.removeFirst(match.upperBound)
        return String(decoding: consumed, as: UTF8.self)
      }
      if outputEnded {
        throw Failure.outputEnded(waitingFor: substring, output: output)
      }
      let remaining = ContinuousClock.now.duration(to: deadline)
      guard remaining > .zero else {
        throw Failure.timedOut(waitingFor: substring, output: output)
      }
      try readAvailableOutput(waitingAtMost: remaining)
    }
  }

  /// Waits for the program to exit and returns its exit status, or 128 +
  /// the signal number if a signal killed it (as shells report it).
  /// Output printed meanwhile is kept for `expect` and `output`.
  @discardableResult
  func waitForExit(timeout: Double = 5) throws -> Int32 {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while true {
      if let exitStatus { return exitStatus }
      var status: Int32 = 0
      let result = waitpid(processID, &status, WNOHANG)
      if result == processID {
        let code = Self.exitCode(fromWaitStatus: status)
        exitStatus = code
        return code
      }
      if result < 0 && errno != EINTR {
        throw Failure.systemCall("waitpid", errno: errno)
      }
      let remaining = ContinuousClock.now.duration(to: deadline)
      guard remaining > .zero else { throw Failure.exitTimedOut(output: output) }
      // Draining the terminal matters: a program blocked writing to a
      // full terminal buffer would never exit.
      if outputEnded {
        usleep(10_000)
      } else {
        try readAvailableOutput(waitingAtMost: min(remaining, .milliseconds(20)))
      }
    }
  }

  /// Whether the terminal is in canonical ("cooked") mode, where the
  /// kernel echoes what is typed and collects whole lines, as opposed to
  /// the raw mode a line editor reads keys in. (On Linux, terminal
  /// attributes read through the master are the slave's.)
  func isCanonical() throws -> Bool {
    var attributes = termios()
    guard tcgetattr(master, &attributes) == 0 else {
      throw Failure.systemCall("tcgetattr", errno: errno)
    }
    return attributes.c_lflag & tcflag_t(ICANON) != 0
  }

  /// Waits until the program has put the terminal in raw mode.
  ///
  /// libedit draws its prompt first and switches to raw mode only when it
  /// reads the first key; what is typed in between reaches a terminal that
  /// is still cooked, so the kernel echoes it a second time and turns
  /// Ctrl-D into an end-of-line marker that libedit never sees as Ctrl-D.
  /// Type after a prompt only once this returns.
  func waitForRawMode(timeout: Double = 5) throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while try isCanonical() {
      guard ContinuousClock.now < deadline else {
        throw Failure.timedOut(waitingFor: "raw mode", output: output)
      }
      // Keep reading meanwhile: a program blocked on a full terminal
      // never gets to switch modes.
      if !outputEnded {
        try readAvailableOutput(waitingAtMost: .milliseconds(5))
      } else {
        usleep(5_000)
      }
    }
  }

  /// Reads until the program has closed the terminal (normally by
  /// exiting) and returns the output not yet matched by `expect`.
  @discardableResult
  func readToEnd(timeout: Double = 5) throws -> String {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while !outputEnded {
      let remaining = ContinuousClock.now.duration(to: deadline)
      guard remaining > .zero else {
        throw Failure.timedOut(waitingFor: "the end of output", output: output)
      }
      try readAvailableOutput(waitingAtMost: remaining)
    }
    let rest = pending
    pending.removeAll()
    return String(decoding: rest, as: UTF8.self)
  }

  /// Kills the program (its whole session) if it is still running and
  /// releases the terminal. Called automatically on deinit.
  func terminate() {
    if exitStatus == nil {
      kill(-processID, SIGKILL)
      kill(processID, SIGKILL)
      var status: Int32 = 0
      while waitpid(processID, &status, 0) < 0 && errno == EINTR {}
      exitStatus = Self.exitCode(fromWaitStatus: status)
    }
    if master >= 0 {
      close(master)
      master = -1
    }
  }

  private func readAvailableOutput(waitingAtMost wait: Duration) throws {
    let (seconds, attoseconds) = wait.components
    let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, max(milliseconds, 1))
    if ready < 0 {
      if errno == EINTR { return }
      throw Failure.systemCall("poll", errno: errno)
    }
    guard ready > 0 else { return }

    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = read(master, &buffer, buffer.count)
    if count > 0 {
      pending += buffer[..<count]
      transcript += buffer[..<count]
    } else if count == 0 || errno == EIO {
      // Linux reports a terminal with no slave left as EIO.
      outputEnded = true
    } else if errno != EINTR && errno != EAGAIN {
      throw Failure.systemCall("read", errno: errno)
    }
  }

  private static func exitCode(fromWaitStatus status: Int32) -> Int32 {
    // The <sys/wait.h> macros are not imported; these are their
    // definitions.
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }

  private static func visible(_ bytes: [UInt8]) -> String {
    var text = ""
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      switch scalar {
      case "\n": text += "\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case "\u{1B}": text += "\\e"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        text += "^" + String(UnicodeScalar(UInt8(scalar.value ^ 0x40)))
      default: text.unicodeScalars.append(scalar)
      }
    }
    return text
  }
}
