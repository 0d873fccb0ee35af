import CLibEdit
import Glibc

/// The flag SIGINT sets. It is allocated once and never freed so its address
/// stays valid for the life of the process: the signal handler and the
/// evaluator both hold on to it.
///
/// `nonisolated(unsafe)` because the pointer itself never changes after
/// initialisation; the memory it points to is only ever accessed through
/// `kelp_flag_*`, which are atomic and so safe to use from a signal handler.
nonisolated(unsafe) private let interruptFlagStorage: UnsafeMutablePointer<Int32> = {
  let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  flag.initialize(to: 0)
  return flag
}()

/// Set by SIGALRM when `--timeout` ran out (besides the interrupt flag, which stops the run).
nonisolated(unsafe) private let timeoutFlagStorage: UnsafeMutablePointer<Int32> = {
  let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  flag.initialize(to: 0)
  return flag
}()

/// Ctrl-C handling for the whole process.
///
/// SIGINT does not kill Kelp: it sets a flag. The evaluator polls the flag
/// to abandon a long computation, and `LineEditor` uses it to tell a Ctrl-C
/// at the prompt from other interruptions of its read.
enum SignalHandling {
  /// The address SIGINT writes 1 to. Pass it to the interpreter, which
  /// should poll it and clear it (write 0) when it acts on it.
  static var interruptFlag: UnsafeMutablePointer<Int32> { interruptFlagStorage }

  /// Installs the SIGINT handler. Safe to call more than once.
  ///
  /// The handler is installed without SA_RESTART on purpose: a blocking
  /// read (the line editor waiting for a key, or the program reading
  /// stdin) must fail with EINTR so the caller notices the interrupt
  /// instead of staying blocked until the next key.
  static func install() {
    // Initialise the lazy global here, never for the first time inside
    // the handler, where running an initialiser would not be safe.
    let flag = interruptFlagStorage
    kelp_flag_store(flag, 0)

    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      kelp_flag_store(interruptFlagStorage, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
  }

  /// `--timeout`: after `seconds` of wall time, SIGALRM stops the run as Ctrl-C would and
  /// marks it as timed out.
  static func armTimeout(seconds: UInt32) {
    let timeout = timeoutFlagStorage
    kelp_flag_store(timeout, 0)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      kelp_flag_store(timeoutFlagStorage, 1)
      kelp_flag_store(interruptFlagStorage, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGALRM, &action, nil)
    // A parent may hand its blocked-signal mask down (test runners do); the alarm must arrive.
    var alarmOnly = sigset_t()
    sigemptyset(&alarmOnly)
    sigaddset(&alarmOnly, SIGALRM)
    pthread_sigmask(SIG_UNBLOCK, &alarmOnly, nil)
    alarm(seconds)
  }

  /// Whether `--timeout` ran out.
  static var timedOut: Bool { kelp_flag_load(timeoutFlagStorage) != 0 }

  /// Whether a Ctrl-C arrived since the flag was last cleared.
  static var isInterruptPending: Bool {
    kelp_flag_load(interruptFlagStorage) != 0
  }

  /// Reports whether a Ctrl-C arrived since the last call, and clears it.
  static func takeInterrupt() -> Bool {
    kelp_flag_exchange(interruptFlagStorage, 0) != 0
  }
}
