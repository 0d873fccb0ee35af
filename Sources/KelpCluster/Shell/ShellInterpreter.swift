/// Runs ShellSyntax on a host: lists, `&&`/`||`, pipes (the output of one command is the input
/// of the next), redirections, `if`, loops, assignments and builtins; programs are the host's.
struct ShellInterpreter<Host: ShellHost> {
  var host: Host
  var variables: [String: String]
  /// bash's arrays (`items=(a b c)`); busybox ash has none, but `bash -c` scripts use them.
  var arrays: [String: [String]] = [:]
  var exported: Set<String>
  var status = 0
  /// bash rather than ash: arrays are allowed.
  var bash = false
  /// Output being captured (by a pipe or a command substitution), innermost last.
  var captures: [String] = []
  /// The status of the last `$(…)` of the command being expanded.
  var substitutionStatus: Int?
  private var loopDepth = 0
  /// Passes of loops run so far: past `passLimit` a loop is taken to run forever.
  private var passes = 0
  /// Loop passes a script may run: a loop that sleeps is held back by its host, one that does
  /// not ends long before this, or never does.
  static var passLimit: Int { 100_000 }

  typealias Stop = ShellStop

  init(host: Host, environment: [String: String]) {
    self.host = host
    variables = environment
    exported = Set(environment.keys)
  }

  /// Runs a script (`sh -c SCRIPT`); a syntax error ends it with status 2, as ash does.
  mutating func run(script: String) -> ShellEnd {
    do {
      try execute(try ShellParser.parse(script, bash: bash))
      return .exited(status)
    } catch let error as ShellSyntaxError {
      host.emit(output: "", errors: "sh: \(error.message)\n")
      return .exited(2)
    } catch Stop.exit(let code) {
      return .exited(code)
    } catch {
      return .forever
    }
  }

  /// Runs one program with its arguments, without a shell (a container's exec-form command).
  mutating func run(words: [String]) -> ShellEnd {
    do {
      var io = ShellIO()
      try runCommand(words, &io, environment: [:])
      host.emit(output: io.output, errors: io.errors)
      return .exited(status)
    } catch Stop.exit(let code) {
      return .exited(code)
    } catch {
      return .forever
    }
  }

  mutating func execute(_ list: [ShellAndOr]) throws(Stop) {
    for chain in list {
      try execute(chain.first)
      for (connector, pipeline) in chain.rest
      where (connector == .and) == (status == 0) {
        try execute(pipeline)
      }
    }
  }

  private mutating func execute(_ pipeline: ShellPipeline) throws(Stop) {
    var input: String?
    for (index, command) in pipeline.commands.enumerated() {
      let piped = index < pipeline.commands.count - 1
      if piped { captures.append("") }
      do {
        try execute(command, input: input)
      } catch {
        if piped { captures.removeLast() }
        throw error
      }
      input = piped ? captures.removeLast() : nil
    }
    if pipeline.negated { status = status == 0 ? 1 : 0 }
  }

  /// Where output goes: the innermost capture, or the host.
  mutating func write(output: String, errors: String) {
    if !output.isEmpty, !captures.isEmpty {
      captures[captures.count - 1] += output
      if !errors.isEmpty { host.emit(output: "", errors: errors) }
    } else if !output.isEmpty || !errors.isEmpty {
      host.emit(output: output, errors: errors)
    }
  }

  private mutating func execute(_ command: ShellCommand, input: String?) throws(Stop) {
    switch command {
    case .simple(let simple):
      try execute(simple, input: input)
    case .ifClause(let branches, let otherwise):
      for branch in branches {
        try execute(branch.condition)
        if status == 0 { return try execute(branch.body) }
      }
      status = 0
      if let otherwise { try execute(otherwise) }
    case .forLoop(let name, let items, let body):
      var values: [String] = []
      for item in items { values += try fields(item) }
      var last = 0
      for value in values {
        variables[name] = value
        let next = try pass(body)
        last = status
        if next == .leave { break }
      }
      status = last
    case .whileLoop(let condition, let body, let until):
      var last = 0
      while true {
        try execute(condition)
        if (status == 0) == until { break }
        let next = try pass(body)
        last = status
        if next == .leave { break }
      }
      status = last
    case .group(let body, let subshell):
      let saved = (variables, arrays, exported)
      if subshell {
        // `( … )`: its exit ends only the subshell, and its assignments do not last.
        defer { (variables, arrays, exported) = saved }
        do throws(Stop) {
          try execute(body)
        } catch .exit(let code) {
          status = code
        } catch {
          throw error
        }
      } else {
        try execute(body)
      }
    case .redirected(let inner, let redirects):
      var io = ShellIO(input: input)
      guard let destinations = try destinations(redirects, &io) else { return }
      captures.append("")
      do throws(Stop) {
        try execute(inner, input: io.input)
      } catch {
        write(output: captures.removeLast(), errors: "")
        throw error
      }
      io.output = captures.removeLast()
      route(io, destinations)
    }
  }

  private enum LoopStep {
    case next, leave
  }

  /// One pass of a loop's body, counted against the limit; `break` and `continue` end it.
  private mutating func pass(_ body: [ShellAndOr]) throws(Stop) -> LoopStep {
    passes += 1
    if passes > Self.passLimit { throw Stop.forever }
    loopDepth += 1
    defer { loopDepth -= 1 }
    do throws(Stop) {
      try execute(body)
    } catch .breakLoop(let levels) {
      if levels > 1 { throw .breakLoop(levels - 1) }
      return .leave
    } catch .continueLoop(let levels) {
      if levels > 1 { throw .continueLoop(levels - 1) }
    } catch {
      throw error
    }
    return .next
  }

  // MARK: - Simple commands

  private mutating func execute(_ simple: ShellSimpleCommand, input: String?) throws(Stop) {
    substitutionStatus = nil
    var assignments: [(String, String)] = []
    var words: [String] = []
    for word in simple.words {
      guard words.isEmpty, let name = word.assignedName else {
        words += try fields(word)
        continue
      }
      let value = word.assignedValue
      if bash, case .literal(let text, quoted: false) = value.parts.first, text.hasPrefix("("),
        text.hasSuffix(")"), value.parts.count == 1
      {
        // bash's `items=(a "b c")`.
        var items: [String] = []
        for item in ShellParser.words(String(text.dropFirst().dropLast())) { items += try fields(item) }
        arrays[name] = items
        variables[name] = nil
        continue
      }
      assignments.append((name, try text(value)))
    }
    var io = ShellIO(input: input)
    guard let destinations = try destinations(simple.redirects, &io) else { return }
    if words.isEmpty {
      for (name, value) in assignments { assign(name, value) }
      // `X=$(cmd)` has the status of the command it ran.
      status = substitutionStatus ?? 0
    } else {
      var environment: [String: String] = [:]
      for (name, value) in assignments { environment[name] = value }
      try runCommand(words, &io, environment: environment)
    }
    route(io, destinations)
  }

  /// Where each stream of a command goes, and what it reads (`< file`); nil when a file it
  /// reads is missing (reported, status 1).
  private mutating func destinations(_ redirects: [ShellRedirect], _ io: inout ShellIO)
    throws(Stop) -> [Int: Destination]?
  {
    var destinations: [Int: Destination] = [1: .output, 2: .errors]
    for redirect in redirects {
      let path = try redirect.target.map { (word: ShellWord) throws(Stop) in try text(word) }
      switch redirect.kind {
      case .read:
        guard let path else { continue }
        switch host.file(path) {
        case .text(let text): io.input = text
        case .unknown: io.input = ""
        case .missing, .directory:
          write(output: "", errors: "sh: can't open '\(path)': No such file or directory\n")
          status = 1
          return nil
        }
      case .write, .append:
        guard let path else { continue }
        let destination: Destination =
          path == "/dev/null" ? .discard : .file(path, append: redirect.kind == .append)
        for stream in redirect.stream.map({ [$0] }) ?? [1, 2] { destinations[stream] = destination }
      case .duplicate(let target):
        destinations[redirect.stream ?? 1] = destinations[target] ?? .output
      }
    }
    return destinations
  }

  private typealias Destination = ShellDestination

  private mutating func route(_ io: ShellIO, _ destinations: [Int: Destination]) {
    var output = ""
    var errors = ""
    var files: [(path: String, append: Bool, text: String)] = []
    for (stream, text) in [(1, io.output), (2, io.errors)] {
      switch destinations[stream] ?? .output {
      case .output: output += text
      case .errors: errors += text
      case .discard: break
      case .file(let path, let append):
        if let index = files.firstIndex(where: { $0.path == path }) {
          files[index].text += text
        } else {
          files.append((path, append, text))
        }
      }
    }
    for file in files {
      var existing = ""
      if file.append, case .text(let text) = host.file(file.path) { existing = text }
      if let problem = host.writeFile(file.path, existing + file.text) {
        errors += "sh: \(problem)\n"
        status = 1
      }
    }
    write(output: output, errors: errors)
  }

  mutating func assign(_ name: String, _ value: String) {
    variables[name] = value
    arrays[name] = nil
  }

  /// A command's words after expansion: a builtin, or the host's program.
  mutating func runCommand(_ words: [String], _ io: inout ShellIO, environment extra: [String: String])
    throws(Stop)
  {
    guard let first = words.first else { return }
    let name = first.split(separator: "/").last.map(String.init) ?? first
    let arguments = Array(words.dropFirst())
    switch name {
    case ":", "true": status = 0
    case "false": status = 1
    case "exit":
      guard let argument = arguments.first else { throw Stop.exit(status) }
      guard let code = Int(argument) else {
        io.errors += "sh: exit: Illegal number: \(argument)\n"
        write(output: io.output, errors: io.errors)
        io = ShellIO()
        throw Stop.exit(2)
      }
      throw Stop.exit(code & 0xff)
    case "break", "continue":
      let levels = max(1, arguments.first.flatMap { Int($0) } ?? 1)
      status = 0
      guard loopDepth > 0 else { return }
      write(output: io.output, errors: io.errors)
      io = ShellIO()
      throw name == "break" ? Stop.breakLoop(min(levels, loopDepth)) : Stop.continueLoop(min(levels, loopDepth))
    case "pwd":
      io.output += "/\n"
      status = 0
    case "echo", "printf":
      let printed = TextTools.printed(name, arguments)
      io.output += printed.text
      if let problem = printed.error { io.errors += problem + "\n" }
      status = printed.error == nil ? 0 : 1
    case "test", "[":
      var operands = arguments
      if name == "[" {
        guard operands.last == "]" else {
          status = 2
          io.errors += "sh: missing ]\n"
          return
        }
        operands.removeLast()
      }
      status = TextTools.holds(operands[...], file: host.file) ? 0 : 1
    case "export", "readonly", "local":
      for argument in arguments {
        if let equals = argument.firstIndex(of: "=") {
          let variable = String(argument[..<equals])
          assign(variable, String(argument[argument.index(after: equals)...]))
          exported.insert(variable)
        } else {
          exported.insert(argument)
        }
      }
      status = 0
    case "unset":
      for argument in arguments where !argument.hasPrefix("-") {
        variables[argument] = nil
        arrays[argument] = nil
        exported.remove(argument)
      }
      status = 0
    case "cd", "set", "shift", "umask", "trap", "wait", "ulimit", "sync", "hash", "alias":
      status = 0
    case "sleep":
      guard let amount = arguments.first else {
        status = 1
        io.errors += "sleep: missing operand\n"
        return
      }
      let milliseconds: Millis?
      if amount == "infinity" || amount == "inf" {
        milliseconds = nil
      } else if let parsed = ContainerProgram.sleepSeconds(amount) {
        milliseconds = parsed
      } else {
        status = 1
        io.errors += "sleep: invalid number '\(amount)'\n"
        return
      }
      // What was printed before the sleep reaches the log before it.
      write(output: io.output, errors: io.errors)
      io.output = ""
      io.errors = ""
      guard host.sleep(milliseconds, inLoop: loopDepth > 0) else { throw Stop.forever }
      status = 0
    case "printenv": printEnvironment(names: arguments, extra, &io)
    case "env" where arguments.isEmpty: printEnvironment(names: [], extra, &io)
    case "env":
      // `env NAME=value… COMMAND…`
      var extra = extra
      var rest = arguments[...]
      while let word = rest.first, let equals = word.firstIndex(of: "="), !word.hasPrefix("-") {
        extra[String(word[..<equals])] = String(word[word.index(after: equals)...])
        rest = rest.dropFirst()
      }
      try runCommand(Array(rest), &io, environment: extra)
    case "cat", "grep", "wc", "head", "tail", "sort", "uniq", "base64", "rev", "tr", "cut", "tee":
      let result = TextTools.run(name, arguments, input: io.input, file: host.file)
      io.output += result.output
      io.errors += result.errors
      for (path, text) in result.written {
        if let problem = host.writeFile(path, text) { io.errors += "\(name): \(problem)\n" }
      }
      status = result.status
    case _ where ["sh", "bash", "ash", "dash"].contains(name) && arguments.count >= 2
      && arguments[0] == "-c":
      // A nested shell: its output joins this command's, its variables do not last.
      write(output: io.output, errors: "")
      io.output = ""
      captures.append("")
      let saved = (variables, arrays, exported, bash)
      defer { (variables, arrays, exported, bash) = saved }
      for (variable, value) in extra {
        variables[variable] = value
        exported.insert(variable)
      }
      bash = name == "bash"
      do {
        try execute(try ShellParser.parse(arguments[1], bash: bash))
      } catch let error as ShellSyntaxError {
        io.errors += "sh: \(error.message)\n"
        status = 2
      } catch Stop.exit(let code) {
        status = code
      } catch {
        write(output: captures.removeLast(), errors: "")
        throw Stop.forever
      }
      io.output += captures.removeLast()
    default:
      var environment = self.environment
      environment.merge(extra) { _, given in given }
      switch host.runProgram(words, &io, environment: environment) {
      case .status(let code): status = code
      case .forever:
        write(output: io.output, errors: io.errors)
        io = ShellIO()
        throw Stop.forever
      }
    }
  }

  /// `printenv NAME…` (each value set; status 1 when one is not), or every exported variable
  /// as `NAME=value` in name order.
  private mutating func printEnvironment(
    names: [String], _ extra: [String: String], _ io: inout ShellIO
  ) {
    let environment = self.environment.merging(extra) { _, given in given }
    let lines =
      names.isEmpty
      ? environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      : names.compactMap { environment[$0] }
    io.output += lines.map { $0 + "\n" }.joined()
    status = names.isEmpty || lines.count == names.count ? 0 : 1
  }

  /// The exported variables, as a program started from here sees them.
  var environment: [String: String] {
    variables.filter { exported.contains($0.key) }
  }
}

/// A script's first command, expanded but not run: what an exec probe's `sh -c` does first.
enum ShellPreview {
  private struct Silent: ShellHost {
    mutating func runProgram(_ words: [String], _ io: inout ShellIO, environment: [String: String])
      -> ShellStep
    { .status(0) }
    func file(_ path: String) -> ShellFile { .unknown }
    mutating func writeFile(_ path: String, _ text: String) -> String? { nil }
    mutating func emit(output: String, errors: String) {}
    mutating func sleep(_ milliseconds: Millis?, inLoop: Bool) -> Bool { true }
  }

  static func firstCommand(_ script: String, environment: [String: String]) -> [String] {
    guard let list = try? ShellParser.parse(script),
      case .simple(let command) = list.first?.first.commands.first
    else { return [] }
    var shell = ShellInterpreter(host: Silent(), environment: environment)
    var words: [String] = []
    for word in command.words where word.assignedName == nil || !words.isEmpty {
      words += (try? shell.fields(word)) ?? []
    }
    return words
  }
}

/// How a script stops early. Outside the generic interpreter, which the optimizer needs.
enum ShellStop: Error {
  case exit(Int)
  case forever
  /// `break N` and `continue N`, on their way out of N loops.
  case breakLoop(Int)
  case continueLoop(Int)
}

/// Where a command's stream goes.
enum ShellDestination: Equatable {
  case output, errors, discard
  case file(String, append: Bool)
}
