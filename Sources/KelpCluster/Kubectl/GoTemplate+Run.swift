import Foundation

extension GoTemplate {
  /// Executes a parsed template. A value is a JSONValue, or nil for Go's invalid reflect.Value:
  /// what a missing map key gives, printed as `<no value>`.
  struct Run {
    let root: JSONValue
    var output = ""
    private var variables: [(name: String, value: JSONValue?)]

    private enum Jump: Error {
      case breakLoop, continueLoop
    }

    init(root: JSONValue) {
      self.root = root
      variables = [("", root)]
    }

    mutating func execute(_ nodes: [Node], dot: JSONValue?) throws(Failure) {
      do {
        try walk(nodes, dot: dot)
      } catch let failure as Failure {
        throw failure
      } catch {
        throw Failure("1: break or continue outside range")
      }
    }

    private mutating func walk(_ nodes: [Node], dot: JSONValue?) throws {
      for node in nodes {
        switch node {
        case .text(let text): output += text
        case .action(let pipeline):
          let value = try evaluate(pipeline, dot: dot)
          if pipeline.variables.isEmpty { output += Run.printed(value) }
        case .conditional(let pipeline, let then, let otherwise):
          let mark = variables.count
          let value = try evaluate(pipeline, dot: dot)
          try walk(Run.truth(value) ? then : otherwise, dot: dot)
          variables.removeSubrange(mark...)
        case .with(let pipeline, let then, let otherwise):
          let mark = variables.count
          let value = try evaluate(pipeline, dot: dot)
          if Run.truth(value) { try walk(then, dot: value) } else { try walk(otherwise, dot: dot) }
          variables.removeSubrange(mark...)
        case .range(let pipeline, let body, let otherwise):
          try range(pipeline, body: body, otherwise: otherwise, dot: dot)
        case .breakLoop: throw Jump.breakLoop
        case .continueLoop: throw Jump.continueLoop
        }
      }
    }

    private mutating func range(_ pipeline: Pipeline, body: [Node], otherwise: [Node], dot: JSONValue?)
      throws
    {
      var declared = pipeline
      declared.variables = []
      let value = try evaluate(declared, dot: dot)
      let elements: [(key: JSONValue, value: JSONValue)]
      switch value {
      case nil, .null?: elements = []
      case .array(let items)?: elements = items.enumerated().map { (.int(Int64($0.offset)), $0.element) }
      case .object(let fields)?:
        elements = JSONPath.GoFormat.sorted(fields).map { (.string($0.key), $0.value) }
      case let other?:
        let last = pipeline.commands.last
        let node = last?.arguments.count == 1 ? last?.arguments[0] : nil
        throw Failure(
          Run.context(node?.text ?? last?.text ?? "", node?.position ?? pipeline.position)
            + "range can't iterate over \(Run.printed(other))")
      }
      if elements.isEmpty {
        try walk(otherwise, dot: dot)
        return
      }
      for element in elements {
        let mark = variables.count
        switch pipeline.variables.count {
        case 1: variables.append((pipeline.variables[0], element.value))
        case 2:
          variables.append((pipeline.variables[0], element.key))
          variables.append((pipeline.variables[1], element.value))
        default: break
        }
        defer { variables.removeSubrange(mark...) }
        do {
          try walk(body, dot: element.value)
        } catch Jump.breakLoop {
          break
        } catch Jump.continueLoop {
          continue
        }
      }
    }

    // MARK: Pipelines and commands

    private mutating func evaluate(_ pipeline: Pipeline, dot: JSONValue?) throws(Failure) -> JSONValue? {
      var value: JSONValue?
      var piped = false
      for command in pipeline.commands {
        value = try evaluate(command, dot: dot, final: piped ? .some(value) : nil)
        piped = true
      }
      if pipeline.isAssignment {
        guard let slot = variables.lastIndex(where: { $0.name == pipeline.variables[0] }) else {
          throw Failure("\(pipeline.position.line): undefined variable: $\(pipeline.variables[0])")
        }
        variables[slot].value = value
      } else if pipeline.variables.count == 1 {
        variables.append((pipeline.variables[0], value))
      }
      return value
    }

    /// One command; `final` is the previous command's result when piped (Optional of a value
    /// that may itself be missing).
    private mutating func evaluate(_ command: Command, dot: JSONValue?, final: JSONValue??)
      throws(Failure) -> JSONValue?
    {
      let context = Run.context(command.text, command.position)
      guard case .function(let name) = command.operands[0] else {
        guard command.operands.count == 1, final == nil else {
          let first = command.arguments[0]
          switch first.operand {
          case .dot(let fields) where !fields.isEmpty, .variable(_, let fields) where !fields.isEmpty,
            .pipeline(_, let fields) where !fields.isEmpty:
            throw Failure(
              Run.context(first.text, first.position) + "\(fields.last!) is not a method but has arguments")
          default: throw Failure(context + "can't give argument to non-function \(first.text)")
          }
        }
        return try argument(command.arguments[0], dot: dot)
      }
      let arguments = command.arguments.dropFirst()
      do throws(Failure) {
        switch name {
        case "and", "or":
          // Short-circuit, returning the deciding value, as Go 1.18+ does.
          var last: JSONValue?
          var evaluated = 0
          for next in arguments {
            last = try argument(next, dot: dot)
            evaluated += 1
            if Run.truth(last) != (name == "and") { return last }
          }
          if let final {
            evaluated += 1
            last = final
          }
          guard evaluated > 0 else { throw Failure("wrong number of args for \(name): want at least 1 got 0") }
          return last
        default:
          var values: [JSONValue?] = []
          for next in arguments { values.append(try argument(next, dot: dot)) }
          if let final { values.append(final) }
          return try Run.call(name, values)
        }
      } catch {
        // An operand's own failure already says where it is.
        if error.message.contains(": executing \"output\" at <") { throw error }
        if error.message.hasPrefix("wrong number") { throw Failure(context + error.message) }
        throw Failure(context + "error calling \(name): " + error.message)
      }
    }

    static func context(_ text: String, _ position: Position) -> String {
      "\(position.line):\(position.column): executing \"output\" at <\(text)>: "
    }

    private mutating func argument(_ argument: Argument, dot: JSONValue?) throws(Failure) -> JSONValue? {
      let context = Run.context(argument.text, argument.position)
      switch argument.operand {
      case .dot(let fields): return try Run.fields(fields, of: dot, context: context)
      case .variable(let name, let fields):
        guard let found = variables.last(where: { $0.name == name }) else {
          throw Failure(context + "undefined variable: $\(name)")
        }
        return try Run.fields(fields, of: found.value, context: context)
      case .literal(let value): return value
      case .function:
        return try evaluate(
          Command(operands: [argument.operand], arguments: [argument], text: argument.text, position: argument.position),
          dot: dot, final: nil)
      case .pipeline(let pipeline, let fields):
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        return try Run.fields(fields, of: try evaluate(pipeline, dot: dot), context: context)
      }
    }

    /// `.a.b` on a value: a missing key gives a missing value, a field of nil is Go's error.
    static func fields(_ names: [String], of value: JSONValue?, context: String) throws(Failure) -> JSONValue? {
      var current = value
      for name in names {
        switch current {
        case nil: return nil
        case .null?: throw Failure(context + "nil pointer evaluating interface {}.\(name)")
        case .object(let fields)?: current = fields[name]
        case .some:
          // The value came out of a map[string]interface{}.
          throw Failure(context + "can't evaluate field \(name) in type interface {}")
        }
      }
      return current
    }

    // MARK: Values

    static func printed(_ value: JSONValue?) -> String {
      guard let value else { return "<no value>" }
      return JSONPath.GoFormat.dump(value, syntax: false)
    }

    /// text/template's truth: false, 0, "", nil and empty maps and lists are false.
    static func truth(_ value: JSONValue?) -> Bool {
      switch value {
      case nil, .null?: return false
      case .bool(let flag)?: return flag
      case .int(let number)?: return number != 0
      case .double(let number)?: return number != 0
      case .string(let text)?: return !text.isEmpty
      case .array(let items)?: return !items.isEmpty
      case .object(let fields)?: return !fields.isEmpty
      }
    }
  }
}
