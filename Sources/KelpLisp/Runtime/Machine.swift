/// The running state of an interpreter: the pending tail call, the call depth, the step count and
/// the interrupt flag. Compiled code captures the machine, not the interpreter, so that code and
/// globals never form a reference cycle through it.
final class Machine {
  /// A call in tail position leaves its callee here and returns `.tailCall`; the `run` loop below
  /// picks it up, so tail calls take no stack.
  var pendingClosure: Closure?
  var pendingFrame: Frame?

  var depth = 0
  let maxDepth: Int
  /// The running thread's `StackGuard.limit`, read once per evaluation.
  var stackLimit: UInt = 0
  /// Set asynchronously (by a SIGINT handler) to ask the running program to stop.
  let interruptFlag: UnsafeMutablePointer<Int32>
  var steps = 0
  var maxSteps: Int { didSet { scheduleNextStop() } }
  /// The most resident memory a program may use, in bytes (the memory budget).
  var maxMemory: Int
  /// The step at which `poll` next leaves its fast path: the step budget or the next memory check.
  private var stopAt = 0
  /// Steps between two looks at the process's memory (a read of /proc/self/statm each).
  static let memoryCheckInterval = 1 << 16
  var framePool = FramePool()

  @inline(__always)
  func makeFrame(parent: Frame?, count: Int) -> Frame {
    framePool.take(parent: parent, count: count)
  }

  /// Returns a finished call's frame to the pool when nothing else holds it: no closure captured
  /// it (a closure may outlive the call) and the caller's is the only reference.
  @inline(__always)
  func recycle(_ frame: inout Frame) {
    if !frame.captured, isKnownUniquelyReferenced(&frame) { framePool.give(frame) }
  }

  /// The `apply` builtin, which a call in tail position turns into a tail call.
  var applyBuiltin: Builtin?

  init(maxDepth: Int, maxSteps: Int, maxMemory: Int, interruptFlag: UnsafeMutablePointer<Int32>) {
    self.maxDepth = maxDepth
    self.maxSteps = maxSteps
    self.maxMemory = maxMemory
    self.interruptFlag = interruptFlag
    scheduleNextStop()
  }

  /// Starts the step count of a new evaluation.
  func resetSteps() {
    steps = 0
    scheduleNextStop()
  }

  private func scheduleNextStop() {
    let nextCheck = maxMemory == Int.max ? Int.max : steps &+ Machine.memoryCheckInterval
    stopAt = min(maxSteps, nextCheck)
  }

  /// Bytes builtins have announced since the memory was last looked at.
  private var allocatedSinceCheck = 0

  /// Notes that a builtin is about to allocate `bytes`: a large allocation, or many smaller ones
  /// that add up, is checked against the budget first (a builtin can allocate much in one step).
  func reserve(_ bytes: Int) throws(LispError) {
    allocatedSinceCheck &+= bytes
    guard bytes >= 1 << 20 || allocatedSinceCheck >= 32 << 20 else { return }
    allocatedSinceCheck = 0
    try checkMemory(adding: bytes)
  }

  /// Throws the memory-budget error when the process holds more than the budget, or would
  /// after allocating `bytes` more. Builtins that build a large value in one go call it first.
  func checkMemory(adding bytes: Int = 0) throws(LispError) {
    guard maxMemory != Int.max, let resident = MemoryUse.residentBytes() else { return }
    let wanted = resident.addingReportingOverflow(max(0, bytes))
    guard wanted.overflow || wanted.partialValue > maxMemory else { return }
    let detail =
      bytes > 0
      ? "\(MemoryUse.describe(resident)) in use and \(MemoryUse.describe(bytes)) more asked for"
      : "\(MemoryUse.describe(resident)) in use"
    throw LispError(
      .limit, "memory budget of \(MemoryUse.describe(maxMemory)) exceeded (\(detail))",
      hint: "raise it with --max-memory, or look for data that grows without end")
  }

  /// Runs a closure whose frame is bound, following tail calls until a value comes back.
  @inline(__always)
  func run(_ closure: Closure, _ frame: Frame) throws(LispError) -> Value {
    depth += 1
    defer { depth -= 1 }
    // The count gives the documented limit; the stack check catches recursion that passes
    // through builtins (map, apply, sort), whose Swift frames make each level deeper.
    if depth > maxDepth || !StackGuard.hasRoom(below: stackLimit) { throw depthExceeded() }
    try poll()
    // The caller's closure and frame are borrowed: a procedure that returns, or loops by calling
    // itself in tail position (which leaves no pending call: see `jumpToSelf`), takes ownership
    // of nothing. Only a tail call of another procedure does.
    var result = try closure.lambda.body(frame)
    while case .tailCall = result {
      guard pendingClosure == nil else { return try runPendingTailCalls() }
      try poll()
      result = try closure.lambda.body(frame)
    }
    return result
  }

  @inline(never)
  func runPendingTailCalls() throws(LispError) -> Value {
    var closure = pendingClosure.take().unsafelyUnwrapped
    var frame = pendingFrame.take().unsafelyUnwrapped
    while true {
      try poll()
      let result = try closure.lambda.body(frame)
      guard case .tailCall = result else { return result }
      if let next = pendingClosure.take() {
        closure = next
        frame = pendingFrame.take().unsafelyUnwrapped
      }
    }
  }

  /// Called at every procedure call and loop iteration: the only place a running program can be
  /// stopped from outside.
  @inline(__always)
  func poll() throws(LispError) {
    steps &+= 1
    if interruptFlag.pointee != 0 || steps > stopAt { try stop() }
  }

  @inline(never)
  func stop() throws(LispError) {
    if interruptFlag.pointee != 0 {
      interruptFlag.pointee = 0
      throw LispError(.interrupted, "interrupted", hint: "the program was stopped by Ctrl-C")
    }
    if steps <= maxSteps {
      // Only the memory check was due.
      scheduleNextStop()
      try checkMemory()
      return
    }
    throw LispError(
      .limit, "step budget of \(maxSteps) calls exhausted",
      hint: "raise it with --max-steps, or look for a loop that does not end")
  }

  @inline(never)
  func depthExceeded() -> LispError {
    let count =
      depth > maxDepth ? "\(maxDepth) nested calls" : "the stack is full at \(depth) nested calls"
    return LispError(
      .stackDepth, "stack depth exceeded (\(count))",
      hint: "a recursion this deep usually never ends; write the loop with a tail call (named let)")
  }

  /// Binds arguments to a fresh frame for `closure`, checking the arity and packing rest arguments.
  func bind(_ closure: Closure, _ args: [Value]) throws(LispError) -> Frame {
    let lambda = closure.lambda
    guard args.count == lambda.required || (lambda.hasRest && args.count > lambda.required) else {
      throw arityError(lambda, got: args.count)
    }
    let frame = makeFrame(parent: closure.frameParent, count: lambda.frameSize)
    for index in 0..<lambda.required { frame[index] = args[index] }
    if lambda.hasRest { frame[lambda.required] = Value.list(args[lambda.required...]) }
    return frame
  }

  func arityError(_ lambda: Lambda, got count: Int) -> LispError {
    LispError(
      .arity, "\(lambda.name): expected \(lambda.arityText), got \(count)",
      hint: "usage: \(lambda.usage)")
  }

  /// Calls any procedure value with evaluated arguments (for `map`, `apply`, `sort`, embedding).
  func apply(_ procedure: Value, _ args: [Value]) throws(LispError) -> Value {
    switch procedure {
    case .closure(let closure):
      var frame = try bind(closure, args)
      let result: Value
      do throws(LispError) {
        result = try run(closure, frame)
      } catch {
        throw traced(error, closure.lambda, at: 0)
      }
      recycle(&frame)
      return result
    case .builtin(let builtin):
      return try builtin.invoke(args)
    default:
      throw Machine.notProcedure(procedure)
    }
  }

  static func notProcedure(_ value: Value) -> LispError {
    LispError(
      .type, "\(value.written.prefix(60)) is not a procedure (it is \(value.typeName))",
      hint: "the first element of a call must be a procedure")
  }
}
