extension Builtins {
  static func predicates() -> [Builtin] {
    func predicate(_ name: String, _ doc: String, _ test: @escaping (Value) -> Bool) -> Builtin {
      Builtin(name, "(\(name) value)", doc, unary: { value in .bool(test(value)) })
    }
    return [
      predicate("null?", "True for nil, the empty list.") {
        if case .null = $0 { true } else { false }
      },
      predicate("pair?", "True for a non-empty list (a cons cell).") {
        if case .pair = $0 { true } else { false }
      },
      predicate("list?", "True for a proper list (nil included).") { value in
        var rest = value
        while case .pair(let cell) = rest { rest = cell.cdr }
        if case .null = rest { return true }
        return false
      },
      predicate("vector?", "True for a vector.") { if case .vector = $0 { true } else { false } },
      predicate("map?", "True for a map.") { if case .map = $0 { true } else { false } },
      predicate("string?", "True for a string.") { if case .string = $0 { true } else { false } },
      predicate("symbol?", "True for a symbol.") { if case .symbol = $0 { true } else { false } },
      predicate("keyword?", "True for a keyword such as :name.") {
        if case .keyword = $0 { true } else { false }
      },
      predicate("boolean?", "True for #t and #f.") { if case .bool = $0 { true } else { false } },
      predicate("procedure?", "True for procedures and builtins.") {
        switch $0 {
        case .closure, .builtin: true;
        default: false
        }
      },
      predicate("error?", "True for an error value bound by catch.") {
        if case .error = $0 { true } else { false }
      },
      predicate("not", "True for #f and nil, false for anything else.") { !$0.isTruthy },
      Builtin(
        "eq?", "(eq? a b)",
        "True when a and b are the same object (numbers, symbols and keywords by value).",
        binary: { a, b in
          .bool(a.isIdentical(to: b))
        }),
      Builtin(
        "equal?", "(equal? a b)", "True when a and b have the same structure and contents.",
        binary: { a, b in
          .bool(a.isEqual(to: b))
        }),
    ]
  }

  static func lists(_ interpreter: Interpreter) -> [Builtin] {
    // The machine, not the interpreter: builtins live in the interpreter's globals.
    let machine = interpreter.machine
    func pairArgument(_ value: Value, _ name: String) throws(LispError) -> Pair {
      guard case .pair(let cell) = value else {
        throw Arguments.typeError(name, "a non-empty list", value)
      }
      return cell
    }
    func path(_ name: String, _ steps: String) -> Builtin {
      Builtin(
        name, "(\(name) list)", "Composed car/cdr access: \(name).",
        unary: { (value: Value) throws(LispError) -> Value in
          var current = value
          for step in steps.reversed() {
            let cell = try pairArgument(current, name)
            current = step == "a" ? cell.car : cell.cdr
          }
          return current
        })
    }
    return [
      Builtin(
        "cons", "(cons x list)", "A new list with x in front of list.",
        binary: { a, b in .pair(Pair(a, b)) }),
      Builtin(
        "car", "(car list)", "The first element of a non-empty list.",
        unary: { (value: Value) throws(LispError) -> Value in
          try pairArgument(value, "car").car
        }),
      Builtin(
        "cdr", "(cdr list)", "The list without its first element.",
        unary: { (value: Value) throws(LispError) -> Value in
          try pairArgument(value, "cdr").cdr
        }),
      path("cadr", "ad"), path("cddr", "dd"), path("caar", "aa"), path("cdar", "da"),
      path("caddr", "add"),
      Builtin(
        "list", "(list x...)", "A list of the arguments.", atLeast: 0, { args in Value.list(args) }),
      Builtin(
        "vector", "(vector x...)", "A vector of the arguments.", atLeast: 0,
        { args in .vector(VectorBox(args)) }),
      Builtin(
        "list->vector", "(list->vector seq)", "The elements of a list or vector as a vector.",
        unary: { (v: Value) throws(LispError) -> Value in
          .vector(VectorBox(try Arguments.sequence(v, "list->vector")))
        }),
      Builtin(
        "vector->list", "(vector->list seq)", "The elements of a vector or list as a list.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value.list(try Arguments.sequence(v, "vector->list"))
        }),
      Builtin(
        "length", "(length seq)",
        "The number of elements of a list, vector or map, or characters of a string.",
        unary: { (value: Value) throws(LispError) -> Value in
          switch value {
          case .string(let s): return .int(s.value.count)
          case .map(let m): return .int(m.count)
          case .vector(let v): return .int(v.items.count)
          case .null: return .int(0)
          case .pair:
            var count = 0
            var rest = value
            while case .pair(let cell) = rest {
              count += 1
              rest = cell.cdr
            }
            guard case .null = rest else {
              throw Arguments.typeError("length", "a proper list", value)
            }
            return .int(count)
          default: throw Arguments.typeError("length", "a list, vector, map or string", value)
          }
        }),
      Builtin(
        "append", "(append seq...)", "A list of the elements of each list or vector in turn.",
        atLeast: 0,
        { (args: [Value]) throws(LispError) -> Value in
          guard let last = args.last else { return .null }
          var items: [Value] = []
          for arg in args.dropLast() { items += try Arguments.sequence(arg, "append") }
          // The last list is shared, not copied, as in Scheme.
          if case .vector(let v) = last { return Value.list(items + v.items) }
          return Value.list(items, tail: last)
        }),
      Builtin(
        "reverse", "(reverse seq)", "The elements in reverse order, as a list.",
        unary: { (v: Value) throws(LispError) -> Value in
          var result = Value.null
          for item in try Arguments.sequence(v, "reverse") { result = .pair(Pair(item, result)) }
          return result
        }),
      Builtin(
        "range", "(range end) | (range start end [step])",
        "The list of integers from start (0) below end, by step (1).", arity: 1...3,
        { (args: [Value]) throws(LispError) -> Value in
          let start = args.count > 1 ? try Arguments.int(args[0], "range", "start") : 0
          let end = try Arguments.int(args[args.count > 1 ? 1 : 0], "range", "end")
          let step = args.count > 2 ? try Arguments.int(args[2], "range", "step") : 1
          guard step != 0 else { throw LispError(.value, "range: step must not be 0") }
          // In 128-bit arithmetic: the span of two 64-bit integers may not fit in 64 bits.
          let span = step > 0 ? Int128(end) - Int128(start) : Int128(start) - Int128(end)
          let stride = Int128(step).magnitude
          let count128 = span > 0 ? (span + Int128(stride) - 1) / Int128(stride) : 0
          guard count128 <= 100_000_000 else {
            throw LispError(
              .limit, "range: \(count128) elements is more than the 100000000 allowed")
          }
          let count = Int(count128)
          try machine.reserve(count * 48)  // a cons cell on the heap
          var result = Value.null
          var index = count - 1
          while index >= 0 {
            result = .pair(Pair(.int(Int(Int128(start) + Int128(index) * Int128(step))), result))
            index -= 1
          }
          return result
        }),
      Builtin(
        "nth", "(nth seq index)", "The element at index (from 0) of a list or vector.",
        binary: { (seq: Value, i: Value) throws(LispError) -> Value in
          let index = try Arguments.int(i, "nth", "index")
          if case .vector(let v) = seq {
            guard index >= 0, index < v.items.count else {
              throw LispError(
                .value,
                "nth: index \(index) is out of range for a vector of \(v.items.count) elements")
            }
            return v.items[index]
          }
          var rest = seq
          var position = 0
          while case .pair(let cell) = rest {
            if position == index { return cell.car }
            position += 1
            rest = cell.cdr
          }
          if case .null = rest {
            throw LispError(
              .value, "nth: index \(index) is out of range for a list of \(position) elements")
          }
          throw Arguments.typeError("nth", "a list or vector", seq)
        }),
      Builtin(
        "first", "(first seq)", "The first element of a list or vector, or nil if it is empty.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .pair(let cell): return cell.car
          case .vector(let vector): return vector.items.first ?? .null
          case .null: return .null
          default: throw Arguments.typeError("first", "a list or vector", v)
          }
        }),
      Builtin(
        "rest", "(rest seq)", "All but the first element, as a list (nil if none).",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .pair(let cell): return cell.cdr
          case .vector(let vector): return Value.list(vector.items.dropFirst())
          case .null: return .null
          default: throw Arguments.typeError("rest", "a list or vector", v)
          }
        }),
      Builtin(
        "last", "(last seq)", "The last element of a list or vector, or nil if it is empty.",
        unary: { (v: Value) throws(LispError) -> Value in
          try Arguments.sequence(v, "last").last ?? .null
        }),
      Builtin(
        "take", "(take n seq)", "The first n elements, as a list.",
        binary: { (n: Value, seq: Value) throws(LispError) -> Value in
          Value.list(
            try Arguments.sequence(seq, "take").prefix(max(0, try Arguments.int(n, "take"))))
        }),
      Builtin(
        "drop", "(drop n seq)", "All but the first n elements, as a list.",
        binary: { (n: Value, seq: Value) throws(LispError) -> Value in
          Value.list(
            try Arguments.sequence(seq, "drop").dropFirst(max(0, try Arguments.int(n, "drop"))))
        }),
      Builtin(
        "member", "(member x seq)",
        "The tail of the list starting at the first element equal? to x, or #f.",
        binary: { (x: Value, seq: Value) throws(LispError) -> Value in
          if case .vector(let v) = seq {
            guard let index = v.items.firstIndex(of: x) else { return .false }
            return Value.list(v.items[index...])
          }
          var rest = seq
          while case .pair(let cell) = rest {
            if cell.car.isEqual(to: x) { return rest }
            rest = cell.cdr
          }
          guard case .null = rest else {
            throw Arguments.typeError("member", "a list or vector", seq)
          }
          return .false
        }),
      Builtin(
        "empty?", "(empty? seq)", "True for an empty list, vector, map or string.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .null: return .true
          case .pair: return .false
          case .vector(let vector): return .bool(vector.items.isEmpty)
          case .map(let map): return .bool(map.count == 0)
          case .string(let s): return .bool(s.value.isEmpty)
          default: throw Arguments.typeError("empty?", "a list, vector, map or string", v)
          }
        }),
    ]
  }
}
