extension Builtins {
  static func maps(_ interpreter: Interpreter) -> [Builtin] {
    let machine = interpreter.machine
    /// `get` on maps (by key) and vectors (by index); nil and absent keys give the default.
    func lookup(_ collection: Value, _ key: Value, _ name: String = "get") throws(LispError)
      -> Value?
    {
      switch collection {
      case .map(let map): return map.get(key)
      case .null: return nil
      case .vector(let vector):
        guard case .int(let index) = key, index >= 0, index < vector.items.count else { return nil }
        return vector.items[index]
      default: throw Arguments.typeError(name, "a map or vector", collection)
      }
    }
    func assoc(_ collection: Value, _ key: Value, _ value: Value) throws(LispError) -> Value {
      switch collection {
      case .map(let map): return .map(map.assoc(key, value))
      case .null: return .map(MapBox.empty.assoc(key, value))
      case .vector(let vector):
        guard case .int(let index) = key, index >= 0, index <= vector.items.count else {
          throw LispError(
            .value,
            "assoc: index \(key.written) is out of range for a vector of \(vector.items.count) elements"
          )
        }
        var items = vector.items
        if index == items.count { items.append(value) } else { items[index] = value }
        return .vector(VectorBox(items))
      default: throw Arguments.typeError("assoc", "a map or vector", collection)
      }
    }
    func path(_ value: Value, _ name: String) throws(LispError) -> [Value] {
      let keys = try Arguments.sequence(value, name)
      return keys
    }
    func assocIn(_ collection: Value, _ keys: ArraySlice<Value>, _ value: Value, _ name: String)
      throws(LispError) -> Value
    {
      guard let key = keys.first else { return value }
      let inner = try lookup(collection, key, name) ?? .null
      return try assoc(collection, key, try assocIn(inner, keys.dropFirst(), value, name))
    }
    func transientArgument(_ value: Value, _ name: String) throws(LispError) -> MapBox {
      guard case .map(let map) = value, map.isTransient else {
        throw LispError(
          .type,
          "\(name): expected a transient map, got \(Arguments.shown(value)) (\(value.typeName))",
          hint: "make one with (transient m); after persistent! use assoc")
      }
      return map
    }
    return [
      Builtin(
        "get", "(get map key [default])",
        "The value at key (an index for vectors), or default (nil).", arity: 2...3,
        { (args: [Value]) throws(LispError) -> Value in
          try lookup(args[0], args[1]) ?? (args.count == 3 ? args[2] : .null)
        }),
      Builtin(
        "get-in", "(get-in map keys [default])",
        "The value at a path of keys through nested maps, or default (nil).", arity: 2...3,
        { (args: [Value]) throws(LispError) -> Value in
          var current = args[0]
          for key in try path(args[1], "get-in") {
            guard let next = try lookup(current, key, "get-in") else {
              return args.count == 3 ? args[2] : .null
            }
            current = next
          }
          return current
        }),
      Builtin(
        "assoc", "(assoc map key value [key value]...)",
        "A new map with key set to value (the original is unchanged).", atLeast: 3,
        { (args: [Value]) throws(LispError) -> Value in
          guard args.count % 2 == 1 else {
            throw LispError(
              .arity, "assoc: expected key/value pairs after the map, got an odd number",
              hint: "usage: (assoc map key value ...)")
          }
          var result = args[0]
          for index in stride(from: 1, to: args.count, by: 2) {
            result = try assoc(result, args[index], args[index + 1])
          }
          return result
        }),
      Builtin(
        "assoc-in", "(assoc-in map keys value)",
        "A new map with the value at a path of keys set, creating maps along the way.",
        arity: 3...3,
        { (args: [Value]) throws(LispError) -> Value in
          try assocIn(args[0], try path(args[1], "assoc-in")[...], args[2], "assoc-in")
        }),
      Builtin(
        "dissoc", "(dissoc map key...)", "A new map without the keys.", atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          var map = try Arguments.map(args[0], "dissoc")
          for key in args.dropFirst() { map = map.dissoc(key) }
          return .map(map)
        }),
      Builtin(
        "update", "(update map key f arg...)",
        "A new map with the value at key replaced by (f value arg...).", atLeast: 3,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[2], "update")
          let old = try lookup(args[0], args[1], "update") ?? .null
          return try assoc(args[0], args[1], try machine.apply(f, [old] + args.dropFirst(3)))
        }),
      Builtin(
        "update-in", "(update-in map keys f arg...)",
        "A new map with the value at a path replaced by (f value arg...).", atLeast: 3,
        { (args: [Value]) throws(LispError) -> Value in
          let f = try Arguments.procedure(args[2], "update-in")
          let keys = try path(args[1], "update-in")
          var old = args[0]
          for key in keys { old = try lookup(old, key, "update-in") ?? .null }
          return try assocIn(
            args[0], keys[...], try machine.apply(f, [old] + args.dropFirst(3)), "update-in")
        }),
      Builtin(
        "keys", "(keys map)", "The keys, in insertion order, as a list.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value.list(try Arguments.map(v, "keys").ordered.map(\.key))
        }),
      Builtin(
        "vals", "(vals map)", "The values, in insertion order, as a list.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value.list(try Arguments.map(v, "vals").ordered.map(\.value))
        }),
      Builtin(
        "contains?", "(contains? map key)",
        "True when the map has key (for a vector: when the index is in range).",
        binary: { (c: Value, key: Value) throws(LispError) -> Value in
          switch c {
          case .map(let map): return .bool(map.get(key) != nil)
          case .null: return .false
          case .vector(let vector):
            guard case .int(let index) = key else { return .false }
            return .bool(index >= 0 && index < vector.items.count)
          default: throw Arguments.typeError("contains?", "a map or vector", c)
          }
        }),
      Builtin(
        "merge", "(merge map...)",
        "One map with the entries of all; later maps win. nil counts as an empty map.", atLeast: 0,
        { (args: [Value]) throws(LispError) -> Value in
          var result = MapBox.empty
          var first = true
          for arg in args {
            let map = try Arguments.map(arg, "merge")
            if first {
              result = map
              first = false
              continue
            }
            for entry in map.ordered { result = result.assoc(entry.key, entry.value) }
          }
          return .map(result)
        }),
      Builtin(
        "hash-map", "(hash-map key value ...)", "A map of the key/value pairs.", atLeast: 0,
        { (args: [Value]) throws(LispError) -> Value in
          guard args.count % 2 == 0 else {
            throw LispError(
              .arity, "hash-map: expected key/value pairs, got an odd number of arguments")
          }
          return .map(
            MapBox(stride(from: 0, to: args.count, by: 2).map { (args[$0], args[$0 + 1]) }))
        }),
      Builtin(
        "transient", "(transient map)",
        "A mutable copy of map for building it fast with assoc! and dissoc!; persistent! freezes it.",
        unary: { (v: Value) throws(LispError) -> Value in
          .map(try Arguments.map(v, "transient").transient())
        }),
      Builtin(
        "assoc!", "(assoc! transient key value [key value]...)",
        "Sets keys of a transient map in place; returns it.", atLeast: 3,
        { (args: [Value]) throws(LispError) -> Value in
          let map = try transientArgument(args[0], "assoc!")
          guard args.count % 2 == 1 else {
            throw LispError(
              .arity, "assoc!: expected key/value pairs after the map, got an odd number")
          }
          for index in stride(from: 1, to: args.count, by: 2) {
            map.insertInPlace(args[index], args[index + 1])
          }
          return args[0]
        }),
      Builtin(
        "dissoc!", "(dissoc! transient key...)",
        "Removes keys from a transient map in place; returns it.", atLeast: 1,
        { (args: [Value]) throws(LispError) -> Value in
          let map = try transientArgument(args[0], "dissoc!")
          for key in args.dropFirst() { map.removeInPlace(key) }
          return args[0]
        }),
      Builtin(
        "persistent!", "(persistent! transient)",
        "Freezes a transient map: it is an ordinary immutable map from then on.",
        unary: { (v: Value) throws(LispError) -> Value in
          try transientArgument(v, "persistent!").makePersistent()
          return v
        }),
      Builtin(
        "entries", "(entries map)",
        "The [key value] pairs, in insertion order, as a list of vectors.",
        unary: { (v: Value) throws(LispError) -> Value in
          Value.list(
            try Arguments.map(v, "entries").ordered.map { .vector(VectorBox([$0.key, $0.value])) })
        }),
    ]
  }
}
