#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Arithmetic on 64-bit integers (overflow is an error, never a wrap) and floats; an integer
/// meets a float as a float.
enum Arithmetic {
  static func overflow(_ op: String, _ a: Int, _ b: Int) -> LispError {
    LispError(
      .overflow, "integer overflow in (\(op) \(a) \(b))",
      hint: "integers are 64-bit; use floats (\(a).0) for larger magnitudes")
  }

  @inline(__always)
  static func add(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b {
      let (sum, overflowed) = x.addingReportingOverflow(y)
      if overflowed { throw overflow("+", x, y) }
      return .int(sum)
    }
    return .double(try Arguments.double(a, "+") + Arguments.double(b, "+"))
  }

  @inline(__always)
  static func subtract(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b {
      let (difference, overflowed) = x.subtractingReportingOverflow(y)
      if overflowed { throw overflow("-", x, y) }
      return .int(difference)
    }
    return .double(try Arguments.double(a, "-") - Arguments.double(b, "-"))
  }

  @inline(__always)
  static func multiply(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b {
      let (product, overflowed) = x.multipliedReportingOverflow(by: y)
      if overflowed { throw overflow("*", x, y) }
      return .int(product)
    }
    return .double(try Arguments.double(a, "*") * Arguments.double(b, "*"))
  }

  /// Integer division that comes out even stays an integer; otherwise the result is a float
  /// (Kelp has no rationals).
  static func divide(_ a: Value, _ b: Value) throws(LispError) -> Value {
    if case .int(let x) = a, case .int(let y) = b {
      if y == 0 { throw LispError(.value, "/: division by zero") }
      let (remainder, overflowed) = x.remainderReportingOverflow(dividingBy: y)
      if overflowed { throw overflow("/", x, y) }
      if remainder == 0 { return .int(x / y) }
      return .double(Double(x) / Double(y))
    }
    // A float divided by zero follows IEEE 754 (+inf.0, -inf.0, +nan.0).
    return .double(try Arguments.double(a, "/") / Arguments.double(b, "/"))
  }

  /// -1, 0 or 1, comparing numerically.
  @inline(__always)
  static func compare(_ a: Value, _ b: Value, _ op: String) throws(LispError) -> Int {
    if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : (x == y ? 0 : 1) }
    let x = try Arguments.double(a, op)
    let y = try Arguments.double(b, op)
    return x < y ? -1 : (x == y ? 0 : 1)
  }

  static func integerDivision(
    _ name: String, _ a: Value, _ b: Value, _ op: (Int, Int) -> (Int, Bool)
  ) throws(LispError) -> Value {
    let x = try Arguments.int(a, name)
    let y = try Arguments.int(b, name)
    if y == 0 { throw LispError(.value, "\(name): division by zero") }
    let (result, overflowed) = op(x, y)
    if overflowed { throw overflow(name, x, y) }
    return .int(result)
  }

  static func rounded(_ name: String, _ value: Value, _ rule: FloatingPointRoundingRule)
    throws(LispError) -> Value
  {
    switch value {
    case .int: return value
    case .double(let d): return .double(d.rounded(rule))
    default: throw Arguments.typeError(name, "a number", value)
    }
  }
}

extension Builtins {
  static func numbers() -> [Builtin] {
    func fold(_ name: String, _ identity: Int, _ op: @escaping Builtin.Binary) -> Builtin {
      Builtin(
        name, "(\(name) number...)",
        name == "+" ? "The sum of the numbers." : "The product of the numbers.",
        atLeast: 0,
        { (args: [Value]) throws(LispError) -> Value in
          var result = Value.int(identity)
          for arg in args { result = try op(result, arg) }
          if args.count == 1 { _ = try Arguments.double(args[0], name) }
          return result
        }, binary: op)
    }
    func comparison(_ name: String, _ doc: String, _ holds: @escaping (Int) -> Bool) -> Builtin {
      Builtin(
        name, "(\(name) number number...)", doc, atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          if args.count == 1 { _ = try Arguments.double(args[0], name) }
          for index in 1..<max(args.count, 1) where index < args.count {
            if !holds(try Arithmetic.compare(args[index - 1], args[index], name)) { return .false }
          }
          return .true
        },
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          .bool(holds(try Arithmetic.compare(a, b, name)))
        })
    }
    func predicate(_ name: String, _ doc: String, _ test: @escaping (Value) -> Bool) -> Builtin {
      Builtin(name, "(\(name) value)", doc, unary: { value in .bool(test(value)) })
    }
    func numberPredicate(_ name: String, _ doc: String, _ test: @escaping (Double) -> Bool)
      -> Builtin
    {
      Builtin(
        name, "(\(name) number)", doc,
        unary: { (value: Value) throws(LispError) -> Value in
          .bool(test(try Arguments.double(value, name)))
        })
    }
    func rounding(_ name: String, _ doc: String, _ rule: FloatingPointRoundingRule) -> Builtin {
      Builtin(
        name, "(\(name) number)", doc,
        unary: { (value: Value) throws(LispError) -> Value in
          try Arithmetic.rounded(name, value, rule)
        })
    }
    func math(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double) -> Builtin {
      Builtin(
        name, "(\(name) number)", doc,
        unary: { (value: Value) throws(LispError) -> Value in
          .double(f(try Arguments.double(value, name)))
        })
    }
    return [
      fold("+", 0, Arithmetic.add),
      fold("*", 1, Arithmetic.multiply),
      Builtin(
        "-", "(- number number...)", "Subtracts the rest from the first; negates a single number.",
        atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          if args.count == 1 {
            switch args[0] {
            case .int(Int.min):
              throw LispError(
                .overflow, "integer overflow in (- \(Int.min))",
                hint: "integers are 64-bit; use a float for this magnitude")
            case .double(let d): return .double(-d)
            default: return try Arithmetic.subtract(.int(0), args[0])
            }
          }
          var result = args[0]
          for arg in args.dropFirst() { result = try Arithmetic.subtract(result, arg) }
          return result
        }, binary: Arithmetic.subtract),
      Builtin(
        "/", "(/ number number...)",
        "Divides the first by the rest; an uneven integer division gives a float.", atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          if args.count == 1 { return try Arithmetic.divide(.int(1), args[0]) }
          var result = args[0]
          for arg in args.dropFirst() { result = try Arithmetic.divide(result, arg) }
          return result
        }, binary: Arithmetic.divide),
      comparison("=", "True when all the numbers are numerically equal.") { $0 == 0 },
      comparison("<", "True when the numbers strictly increase.") { $0 < 0 },
      comparison(">", "True when the numbers strictly decrease.") { $0 > 0 },
      comparison("<=", "True when the numbers never decrease.") { $0 <= 0 },
      comparison(">=", "True when the numbers never increase.") { $0 >= 0 },
      Builtin(
        "quotient", "(quotient a b)", "Integer division, rounding toward zero.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          try Arithmetic.integerDivision("quotient", a, b) { $0.dividedReportingOverflow(by: $1) }
        }),
      Builtin(
        "remainder", "(remainder a b)", "The remainder of quotient; it has the sign of a.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          try Arithmetic.integerDivision("remainder", a, b) {
            $0.remainderReportingOverflow(dividingBy: $1)
          }
        }),
      Builtin(
        "modulo", "(modulo a b)", "a modulo b; the result has the sign of b.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          try Arithmetic.integerDivision("modulo", a, b) { x, y in
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return (r != 0 && (r < 0) != (y < 0) ? r + y : r, o)
          }
        }),
      Builtin(
        "abs", "(abs number)", "The absolute value.",
        unary: { (value: Value) throws(LispError) -> Value in
          switch value {
          case .int(let i):
            guard i != Int.min else { throw LispError(.overflow, "integer overflow in (abs \(i))") }
            return .int(abs(i))
          case .double(let d): return .double(abs(d))
          default: throw Arguments.typeError("abs", "a number", value)
          }
        }),
      Builtin(
        "min", "(min number...)", "The smallest number.", atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          var best = args[0]
          _ = try Arguments.double(best, "min")
          for arg in args.dropFirst() where try Arithmetic.compare(arg, best, "min") < 0 {
            best = arg
          }
          return best
        }),
      Builtin(
        "max", "(max number...)", "The largest number.", atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          var best = args[0]
          _ = try Arguments.double(best, "max")
          for arg in args.dropFirst() where try Arithmetic.compare(arg, best, "max") > 0 {
            best = arg
          }
          return best
        }),
      rounding("floor", "The largest integral value not above number.", .down),
      rounding("ceiling", "The smallest integral value not below number.", .up),
      rounding(
        "round", "The nearest integral value; halves go to even, as in Scheme.", .toNearestOrEven),
      rounding("truncate", "The integral part of number.", .towardZero),
      math("sqrt", "The square root, as a float.") { $0.squareRoot() },
      math("exp", "e raised to number.") { Glibc.exp($0) },
      math("log", "The natural logarithm.") { Glibc.log($0) },
      Builtin(
        "expt", "(expt base power)",
        "base raised to power; exact for integer base and non-negative integer power.",
        binary: { (a: Value, b: Value) throws(LispError) -> Value in
          if case .int(var base) = a, case .int(var power) = b, power >= 0 {
            var result = 1
            while power > 0 {
              if power & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: base)
                if o { throw LispError(.overflow, "integer overflow in (expt \(a) \(b))") }
                result = r
              }
              power >>= 1
              if power > 0 {
                let (square, o) = base.multipliedReportingOverflow(by: base)
                if o { throw LispError(.overflow, "integer overflow in (expt \(a) \(b))") }
                base = square
              }
            }
            return .int(result)
          }
          return .double(pow(try Arguments.double(a, "expt"), try Arguments.double(b, "expt")))
        }),
      Builtin(
        "exact->inexact", "(exact->inexact number)", "The number as a float.",
        unary: { (v: Value) throws(LispError) -> Value in
          .double(try Arguments.double(v, "exact->inexact"))
        }),
      Builtin(
        "inexact->exact", "(inexact->exact number)", "A float with no fraction as an integer.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .int: return v
          case .double(let d):
            guard d.rounded() == d, let i = Int(exactly: d) else {
              throw LispError(
                .value, "inexact->exact: \(Value.formatDouble(d)) has no exact integer value",
                hint: "round it first: (round x)")
            }
            return .int(i)
          default: throw Arguments.typeError("inexact->exact", "a number", v)
          }
        }),
      predicate("number?", "True for integers and floats.") {
        switch $0 {
        case .int, .double: true;
        default: false
        }
      },
      predicate("integer?", "True for integers (and floats with no fraction).") {
        switch $0 {
        case .int: true;
        case .double(let d): d.rounded() == d;
        default: false
        }
      },
      predicate("float?", "True for floats.") { if case .double = $0 { true } else { false } },
      numberPredicate("zero?", "True when number is 0.") { $0 == 0 },
      numberPredicate("positive?", "True when number is above 0.") { $0 > 0 },
      numberPredicate("negative?", "True when number is below 0.") { $0 < 0 },
      Builtin(
        "even?", "(even? integer)", "True for even integers.",
        unary: { (v: Value) throws(LispError) -> Value in
          .bool(try Arguments.int(v, "even?") % 2 == 0)
        }),
      Builtin(
        "odd?", "(odd? integer)", "True for odd integers.",
        unary: { (v: Value) throws(LispError) -> Value in
          .bool(try Arguments.int(v, "odd?") % 2 != 0)
        }),
      Builtin(
        "number->string", "(number->string number)", "The number as text.",
        unary: { (v: Value) throws(LispError) -> Value in
          switch v {
          case .int(let i): return Value(String(i))
          case .double(let d): return Value(Value.formatDouble(d))
          default: throw Arguments.typeError("number->string", "a number", v)
          }
        }),
      Builtin(
        "string->number", "(string->number text)", "The number text spells, or #f.",
        unary: { (v: Value) throws(LispError) -> Value in
          // As in Scheme, surrounding spaces make it not a number.
          let text = try Arguments.string(v, "string->number")
          guard !text.isEmpty else { return .false }
          if let number = try? Reader.number(text, at: SourceLocation(file: "", line: 0, column: 0))
          {
            return number
          }
          return .false
        }),
    ]
  }
}

extension String {
  var trimmingSpaces: String {
    var slice = Substring(self)
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }
}
