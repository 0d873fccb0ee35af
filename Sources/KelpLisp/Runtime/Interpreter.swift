#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Kelp interpreter: its global variables, macros and running state. The embedding API:
///
///     let kelp = Interpreter()
///     kelp.define(Builtin("twice", "(twice n)", "Doubles n.", unary: { v in ... }))
///     let value = try kelp.evaluate("(twice 21)", file: "example.kelp")
///
/// One interpreter runs one program at a time; use separate interpreters on separate threads.
public final class Interpreter {
  public struct Options: Sendable {
    /// Nested (non-tail) calls allowed before "stack depth exceeded".
    public var maxDepth = 100_000
    /// Procedure calls allowed per `evaluate` (an infinite loop's budget); `Int.max` for none.
    public var maxSteps = Int.max
    /// The most resident memory, in bytes, the process may hold while a program runs: past it the
    /// program stops with an error rather than the process being killed. `Int.max` for none.
    public var maxMemory = Interpreter.Options.defaultMaxMemory
    /// The files a program may read and write: unrestricted unless the embedder says otherwise.
    public var sandbox = Sandbox.unrestricted
    /// 4 GiB, or half the machine's memory when that is less.
    public static var defaultMaxMemory: Int {
      let pages = sysconf(Int32(_SC_PHYS_PAGES))
      let size = sysconf(Int32(_SC_PAGESIZE))
      guard pages > 0, size > 0 else { return 4 << 30 }
      return min(4 << 30, pages * size / 2)
    }
    /// Where `display`, `print` and friends write.
    public var loadStandardLibrary = true
    public init() {}
  }

  let machine: Machine
  /// The files this interpreter's programs may read and write.
  public var sandbox: Sandbox
  private(set) var compiler: Compiler!
  var globals: [Symbol: GlobalCell] = [:]
  var macros: [Symbol: Closure] = [:]
  /// The original builtins that call sites may inline (see `Compiler+Primitives.swift`).
  var primitives: [Symbol: Builtin] = [:]
  /// Where printing builtins write. Defaults to standard output.
  public var output: (String) -> Void = { text in print(text, terminator: "") }
  private var running = 0
  /// The file being loaded, for relative `load` paths and error locations.
  public private(set) var currentFile: String?

  /// Points at a flag that a signal handler may set to interrupt the running program.
  public init(options: Options = Options(), interruptFlag: UnsafeMutablePointer<Int32>? = nil) {
    let flag =
      interruptFlag
      ?? {
        let owned = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        owned.initialize(to: 0)
        return owned
      }()
    sandbox = options.sandbox
    machine = Machine(
      maxDepth: options.maxDepth, maxSteps: options.maxSteps, maxMemory: options.maxMemory,
      interruptFlag: flag)
    compiler = Compiler(machine: machine, interpreter: self)
    for builtin in Builtins.all(self) {
      define(builtin)
      if builtin.name == "apply" { machine.applyBuiltin = builtin }
      if Compiler.primitiveNames.contains(builtin.name) {
        primitives[Symbol.intern(builtin.name)] = builtin
      }
    }
    define("*command-line-args*", .null)
    if options.loadStandardLibrary {
      for file in EmbeddedStdlib.files {
        do {
          _ = try evaluate(file.source, file: file.name)
        } catch {
          fatalError("the standard library failed to load: \(ErrorRenderer.render(error))")
        }
      }
    }
  }

  /// Throws the interruption (Ctrl-C) or step-budget error if either is due: long-running
  /// builtins call it as they go, so a running simulation can be stopped too.
  public func checkInterrupt() throws(LispError) { try machine.poll() }

  /// Throws the memory-budget error if allocating `bytes` more would pass it: for builtins
  /// (here and in embedders) that build a large value in one call.
  public func reserveMemory(_ bytes: Int) throws(LispError) { try machine.reserve(bytes) }

  // MARK: Evaluation

  /// Reads and evaluates every form of `source`; returns the last value (`.void` if none).
  public func evaluate(_ source: String, file: String = "<input>") throws(LispError) -> Value {
    let forms = try LargeStack.run { () throws(LispError) -> [Reader.Form] in
      try Reader.readAll(source, file: file)
    }
    return try evaluate(forms)
  }

  /// Evaluates `source` as if it were in the file `path` (relative paths start from its
  /// folder), naming its locations `file` (a notebook block: its lines count from 1).
  public func evaluate(_ source: String, file: String, loadingFrom path: String)
    throws(LispError) -> Value
  {
    let previous = currentFile
    currentFile = path
    defer { currentFile = previous }
    return try evaluate(source, file: file)
  }

  /// Evaluates forms already read, one at a time (a macro defined by one is used by the next).
  public func evaluate(_ forms: [Reader.Form]) throws(LispError) -> Value {
    try LargeStack.run { () throws(LispError) -> Value in
      machine.stackLimit = StackGuard.limit
      var last = Value.void
      for form in forms { last = try evaluateOne(form) }
      return last
    }
  }

  private func evaluateOne(_ form: Reader.Form) throws(LispError) -> Value {
    let location: Int32
    if case .pair(let cell) = form.value, cell.location != 0 {
      location = cell.location
    } else {
      location = SourceMap.record(form.location)
    }
    let scope = Scope(parent: nil, isToplevel: true)
    // A step budget is per top-level form of the outermost program, not per nested `load`.
    if running == 0 { machine.resetSteps() }
    running += 1
    defer { running -= 1 }
    do throws(LispError) {
      let code = try compiler.compile(form.value, scope, tail: false, at: location)
      let result = try code(Frame.make(parent: nil, count: scope.size))
      return result
    } catch {
      machine.pendingClosure = nil
      machine.pendingFrame = nil
      throw error.located(location)
    }
  }

  /// Calls a procedure value with arguments, as `(f args...)` would.
  public func call(_ procedure: Value, _ args: [Value]) throws(LispError) -> Value {
    try LargeStack.run { () throws(LispError) -> Value in
      machine.stackLimit = StackGuard.limit
      return try machine.apply(procedure, args)
    }
  }

  /// Reads and evaluates a file. Relative paths are taken from the file being loaded, if any.
  @discardableResult
  public func load(path: String) throws(LispError) -> Value {
    let (resolved, source) = try readFileRelative(path)
    var text = source
    if text.hasPrefix("#!") { text = "" + text.drop { $0 != "\n" } }
    let previous = currentFile
    currentFile = resolved
    defer { currentFile = previous }
    return try evaluate(text, file: resolved)
  }

  /// Reads a text file the way `load` finds it (relative to the loading file's folder); builtins
  /// that take file names (`apply-yaml`) use it so every path rule lives here.
  public func readFileRelative(_ path: String, by name: String = "load") throws(LispError)
    -> (path: String, text: String)
  {
    let resolved = resolve(path)
    try sandbox.checkRead(resolved, by: name)
    guard let text = Interpreter.readFile(resolved) else {
      throw LispError(
        .io, "cannot read \(path): \(String(cString: strerror(errno)))",
        hint: "check the path; relative paths start from the loading file's folder")
    }
    return (resolved, text)
  }

  /// Where a path a script names is: relative paths start from the loading file's folder.
  public func resolvePath(_ path: String) -> String { resolve(path) }

  func resolve(_ path: String) -> String {
    guard !path.hasPrefix("/"), let current = currentFile, let slash = current.lastIndex(of: "/")
    else { return path }
    return String(current[...slash]) + path
  }

  static func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count <= 0 { break }
      bytes += buffer[0..<count]
    }
    if ferror(file) != 0 { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: Globals

  func cell(for symbol: Symbol) -> GlobalCell {
    if let cell = globals[symbol] { return cell }
    let cell = GlobalCell(symbol)
    globals[symbol] = cell
    return cell
  }

  /// Defines (or redefines) a global variable.
  public func define(_ name: String, _ value: Value) {
    let symbol = Symbol.intern(name)
    macros[symbol] = nil
    cell(for: symbol).value = value
  }

  /// Makes a Swift function callable from Kelp under its name.
  public func define(_ builtin: Builtin) { define(builtin.name, .builtin(builtin)) }

  /// The value of a global, or nil when it is not defined.
  public func lookup(_ name: String) -> Value? {
    guard let value = globals[Symbol.intern(name)]?.value else { return nil }
    if case .unbound = value { return nil }
    return value
  }

  /// Every name a program can use at top level: globals, macros and special forms, sorted.
  /// Names starting with `%` are the standard library's private helpers and stay out of sight.
  public var definedNames: [String] {
    var names = Set(
      globals.values.filter { if case .unbound = $0.value { false } else { true } }.map(
        \.symbol.name))
    names.formUnion(macros.keys.map(\.name))
    names.formUnion(Compiler.specialFormTable.map(\.name))
    return names.filter { !$0.hasPrefix("%") }.sorted()
  }

  func unboundError(_ symbol: Symbol, at location: Int32) -> LispError {
    var hint = "define it with (define \(symbol.name) ...)"
    if let suggestion = Suggestions.closest(to: symbol.name, among: definedNames) {
      hint = "did you mean `\(suggestion)`?"
    }
    return LispError(
      .unbound, "\(symbol.name) is not defined", location: SourceMap.location(location), hint: hint)
  }

  // MARK: Documentation

  /// The usage line and doc string of a builtin, special form, macro or documented procedure.
  public func documentation(for name: String) -> String? {
    if let form = Compiler.specialFormTable.first(where: { $0.name == name }) {
      return "\(form.usage)\n  special form: \(form.doc)"
    }
    let symbol = Symbol.intern(name)
    if let macro = macros[symbol] {
      let usage = macro.lambda.usage
      return "\(usage)\n  macro: \(macro.lambda.doc ?? "no documentation")"
    }
    switch lookup(name) {
    case .builtin(let builtin)?: return "\(builtin.usage)\n  \(builtin.doc)"
    case .closure(let closure)?:
      return "\(closure.lambda.usage)\n  \(closure.lambda.doc ?? "procedure (no documentation)")"
    case let value?: return "\(name): a global variable, currently \(value.typeName)"
    case nil: return nil
    }
  }
}
