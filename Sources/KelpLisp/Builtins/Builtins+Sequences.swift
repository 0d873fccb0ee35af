/// Higher-order sequence functions: they accept lists and vectors alike and return lists.
extension Builtins {
  static func sequences(_ interpreter: Interpreter) -> [Builtin] {
    let machine = interpreter.machine
    /// Calls `procedure` on one argument, skipping the argument array for plain closures.
    func call1(_ procedure: Value, _ x: Value) throws(LispError) -> Value {
      if case .closure(let closure) = procedure, closure.lambda.required == 1,
        !closure.lambda.hasRest
      {
        var frame = machine.makeFrame(parent: closure.frameParent, count: closure.lambda.frameSize)
        frame[0] = x
        let result: Value
        do throws(LispError) {
          result = try machine.run(closure, frame)
        } catch {
          throw machine.traced(error, closure.lambda, at: 0)
        }
        machine.recycle(&frame)
        return result
      }
      if case .builtin(let builtin) = procedure, case .unary(let unary) = builtin.fast {
        return try unary(x)
      }
      return try machine.apply(procedure, [x])
    }
    func call2(_ procedure: Value, _ x: Value, _ y: Value) throws(LispError) -> Value {
      if case .builtin(let builtin) = procedure, case .binary(let binary) = builtin.fast {
        return try binary(x, y)
      }
      return try machine.apply(procedure, [x, y])
    }
    /// Walks a list or vector without copying it into an array.
    func each(_ seq: Value, _ name: String, _ body: (Value) throws(LispError) -> Void)
      throws(LispError)
    {
      switch seq {
      case .vector(let vector):
        for item in vector.items { try body(item) }
      case .null: return
      case .pair:
        var rest = seq
        while case .pair(let cell) = rest {
          try body(cell.car)
          rest = cell.cdr
        }
        guard case .null = rest else { throw Arguments.typeError(name, "a proper list", seq) }
      default:
        throw Arguments.typeError(name, "a list or vector", seq)
      }
    }
    return [
      Builtin(
        "map", "(map f seq...)",
        "The list of (f x) for each element x; with several sequences, f takes one element of each and the shortest ends it.",
        atLeast: 2,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[0], "map")
          var results: [Value] = []
          if args.count == 2 {
            try each(args[1], "map") { (x: Value) throws(LispError) in
              results.append(try call1(f, x))
            }
            return Value.list(results)
          }
          var sequences: [[Value]] = []
          for arg in args.dropFirst() { sequences.append(try Arguments.sequence(arg, "map")) }
          let count = sequences.map(\.count).min() ?? 0
          for index in 0..<count {
            results.append(try machine.apply(f, sequences.map { $0[index] }))
          }
          return Value.list(results)
        }),
      Builtin(
        "for-each", "(for-each f seq...)",
        "Calls f on each element (of each sequence, in step), for its effects.", atLeast: 2,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[0], "for-each")
          if args.count == 2 {
            try each(args[1], "for-each") { (x: Value) throws(LispError) in _ = try call1(f, x) }
            return .void
          }
          var sequences: [[Value]] = []
          for arg in args.dropFirst() { sequences.append(try Arguments.sequence(arg, "for-each")) }
          for index in 0..<(sequences.map(\.count).min() ?? 0) {
            _ = try machine.apply(f, sequences.map { $0[index] })
          }
          return .void
        }),
      Builtin(
        "filter", "(filter pred seq)", "The list of elements for which pred is true.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "filter")
          var results: [Value] = []
          try each(seq, "filter") { (x: Value) throws(LispError) in
            if try call1(pred, x).isTruthy { results.append(x) }
          }
          return Value.list(results)
        }),
      Builtin(
        "remove", "(remove pred seq)", "The list of elements for which pred is false.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "remove")
          var results: [Value] = []
          try each(seq, "remove") { (x: Value) throws(LispError) in
            if !(try call1(pred, x).isTruthy) { results.append(x) }
          }
          return Value.list(results)
        }),
      Builtin(
        "reduce", "(reduce f init seq) | (reduce f seq)",
        "Folds from the left: (f (f init x1) x2)...; without init, the first element starts.",
        arity: 2...3,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[0], "reduce")
          var accumulator: Value
          var items: ArraySlice<Value>
          if args.count == 3 {
            accumulator = args[1]
            items = try Arguments.sequence(args[2], "reduce")[...]
          } else {
            let all = try Arguments.sequence(args[1], "reduce")
            guard let first = all.first else { return try machine.apply(f, []) }
            accumulator = first
            items = all.dropFirst()
          }
          for item in items { accumulator = try call2(f, accumulator, item) }
          return accumulator
        }),
      Builtin(
        "apply", "(apply f arg... seq)", "Calls f with the args followed by the elements of seq.",
        atLeast: 2,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[0], "apply")
          let spread =
            Array(args[1..<(args.count - 1)])
            + (try Arguments.sequence(args[args.count - 1], "apply"))
          return try machine.apply(f, spread)
        }),
      Builtin(
        "sort", "(sort seq [less?] [:key f] [:reverse #t])",
        "A sorted list of the elements; stable; less? defaults to < for numbers and string order for strings; :key sorts by (f x).",
        atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          let items = try Arguments.sequence(args[0], "sort")
          var less: (Value, Value) throws(LispError) -> Bool = {
            (a: Value, b: Value) throws(LispError) -> Bool in
            try Builtins.naturalLess(a, b)
          }
          var rest = args.dropFirst()
          if let first = rest.first, case .keyword = first {
          } else if let first = rest.first {
            let f = try Arguments.procedure(first, "sort")
            less = { (a: Value, b: Value) throws(LispError) -> Bool in try call2(f, a, b).isTruthy }
            rest = rest.dropFirst()
          }
          let options = try Arguments.keywords(rest, "sort", allowed: ["key", "reverse"])
          var keyed = items.map { ($0, $0) }
          if let key = options["key"] {
            let f = try Arguments.procedure(key, "sort")
            keyed = []
            for item in items { keyed.append((try call1(f, item), item)) }
          }
          let descending = options["reverse"]?.isTruthy ?? false
          let sorted = try mergeSort(keyed) {
            (a: (Value, Value), b: (Value, Value)) throws(LispError) -> Bool in
            descending ? try less(b.0, a.0) : try less(a.0, b.0)
          }
          return Value.list(sorted.map(\.1))
        }),
      Builtin(
        "count", "(count pred seq)", "The number of elements of seq for which pred is true.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "count")
          var count = 0
          try each(seq, "count") { (x: Value) throws(LispError) in
            if try call1(pred, x).isTruthy { count += 1 }
          }
          return .int(count)
        }),
      Builtin(
        "any?", "(any? pred seq)", "True when pred is true for some element.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "any?")
          for item in try Arguments.sequence(seq, "any?") where try call1(pred, item).isTruthy {
            return .true
          }
          return .false
        }),
      Builtin(
        "every?", "(every? pred seq)", "True when pred is true for every element.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "every?")
          for item in try Arguments.sequence(seq, "every?") where !(try call1(pred, item).isTruthy)
          { return .false }
          return .true
        }),
      Builtin(
        "find", "(find pred seq)", "The first element for which pred is true, or nil.",
        binary: { (f: Value, seq: Value) throws(LispError) -> Value in
          let pred = try Arguments.procedure(f, "find")
          for item in try Arguments.sequence(seq, "find") where try call1(pred, item).isTruthy {
            return item
          }
          return .null
        }),
    ]
  }

  /// The default order of `sort`: numbers numerically, strings, symbols and keywords by text.
  static func naturalLess(_ a: Value, _ b: Value) throws(LispError) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x.value < y.value
    case (.symbol(let x), .symbol(let y)), (.keyword(let x), .keyword(let y)):
      return x.name < y.name
    default: return try Arithmetic.compare(a, b, "sort") < 0
    }
  }

  /// A stable merge sort whose comparison may fail (Swift's `sort` cannot take a throwing one).
  static func mergeSort<Element>(
    _ items: [Element], _ less: (Element, Element) throws(LispError) -> Bool
  ) throws(LispError) -> [Element] {
    var source = items
    var target = items
    var width = 1
    let count = items.count
    while width < count {
      var start = 0
      while start < count {
        let middle = min(start + width, count)
        let end = min(start + 2 * width, count)
        var left = start
        var right = middle
        var out = start
        while left < middle && right < end {
          if try less(source[right], source[left]) {
            target[out] = source[right]
            right += 1
          } else {
            target[out] = source[left]
            left += 1
          }
          out += 1
        }
        while left < middle {
          target[out] = source[left]
          left += 1
          out += 1
        }
        while right < end {
          target[out] = source[right]
          right += 1
          out += 1
        }
        start += 2 * width
      }
      swap(&source, &target)
      width *= 2
    }
    return source
  }
}
