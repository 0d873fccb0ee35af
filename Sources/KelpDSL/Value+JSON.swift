import KelpCluster
import KelpLisp
import OrderedCollections

/// Objects cross the bridge as maps with Kubernetes' own field names as keywords
/// (`{:metadata {:name "web"}}`), lists of fields as vectors, so what users read in the
/// Kubernetes docs is what they type.
extension Value {
  init(json: JSONValue) {
    switch json {
    case .null: self = .null
    case .bool(let flag): self = .bool(flag)
    case .int(let number): self = .int(Int(number))
    case .double(let number): self = .double(number)
    case .string(let text): self = Value(text)
    case .array(let items): self = .vector(VectorBox(items.map(Value.init(json:))))
    case .object(let fields):
      self = .map(MapBox(fields.map { (Value.keyword($0.key), Value(json: $0.value)) }))
    }
  }

  /// Map keys may be keywords, strings or symbols; `nil` is an absent field.
  func json(_ function: String, path: String = "") throws(LispError) -> JSONValue {
    switch self {
    case .null, .void: return .null
    case .bool(let flag): return .bool(flag)
    case .int(let number): return .int(Int64(number))
    case .double(let number): return .double(number)
    case .string(let box): return .string(box.value)
    case .keyword(let symbol), .symbol(let symbol): return .string(symbol.name)
    case .vector(let vector):
      var items: [JSONValue] = []
      for (index, item) in vector.items.enumerated() {
        items.append(try item.json(function, path: "\(path)[\(index)]"))
      }
      return .array(items)
    case .pair:
      let items = try Arguments.sequence(self, function)
      var converted: [JSONValue] = []
      for (index, item) in items.enumerated() {
        converted.append(try item.json(function, path: "\(path)[\(index)]"))
      }
      return .array(converted)
    case .map(let map):
      var fields: OrderedDictionary<String, JSONValue> = [:]
      for (key, value) in map.ordered {
        let name: String
        switch key {
        case .keyword(let symbol), .symbol(let symbol): name = symbol.name
        case .string(let box): name = box.value
        default:
          throw LispError(
            .type,
            "\(function): field names must be keywords or strings, got \(Arguments.shown(key)) at \(path.isEmpty ? "the top" : path)"
          )
        }
        fields[name] = try value.json(function, path: path.isEmpty ? name : "\(path).\(name)")
      }
      return .object(fields)
    default:
      throw LispError(
        .type,
        "\(function): \(Arguments.shown(self)) (\(typeName)) cannot be part of a manifest\(path.isEmpty ? "" : " (at \(path))")"
      )
    }
  }

  /// A number of seconds (`90`, `1.5`) or a Go duration string (`"90s"`, `"1h30m"`), in ms.
  func milliseconds(_ function: String, _ name: String) throws(LispError) -> Millis {
    // A hundred years of virtual time is more than any script needs, and keeps sums in range.
    let limit: Millis = 100 * 365 * 86_400_000
    func checked(_ value: Millis) throws(LispError) -> Millis {
      guard value <= limit else {
        throw LispError(
          .value, "\(function): \(name) \(written) is longer than a hundred years of virtual time",
          hint: "durations look like \"90s\", \"5m\" or \"1h30m\"")
      }
      return value
    }
    switch self {
    case .int(let seconds) where seconds >= 0:
      return try checked(seconds > limit / 1000 ? limit + 1 : Millis(seconds) * 1000)
    case .double(let seconds) where seconds >= 0 && seconds.isFinite:
      return try checked(
        seconds * 1000 > Double(limit) ? limit + 1 : Millis((seconds * 1000).rounded()))
    case .string(let box):
      let parsed: Millis
      do {
        parsed = try DurationText.parse(box.value)
      } catch {
        throw LispError(
          .value, "\(function): \(error)", hint: "write durations as \"90s\", \"5m\" or \"1h30m\"")
      }
      guard parsed >= 0 else {
        throw LispError(.value, "\(function): \(name) must not be negative, got \(box.value)")
      }
      return try checked(parsed)
    default:
      throw Arguments.typeError(function, "a duration (\"90s\" or seconds)", self, name: name)
    }
  }

  /// A Kubernetes quantity: `"500m"`, `"8Gi"`, or a plain number.
  func quantity(_ function: String, _ name: String) throws(LispError) -> Quantity {
    let text: String
    switch self {
    case .string(let box): text = box.value
    case .int(let number): text = String(number)
    case .double(let number): text = String(number)
    default: throw Arguments.typeError(function, "a quantity (\"500m\", \"8Gi\")", self, name: name)
    }
    do {
      return try Quantity(text)
    } catch {
      throw LispError(.value, "\(function): \(name) \"\(text)\": \(error)")
    }
  }

  /// A map of strings (labels, node selectors): keyword or string keys, string values.
  func stringMap(_ function: String, _ name: String) throws(LispError) -> [String: String] {
    var result: [String: String] = [:]
    for (key, value) in try Arguments.map(self, function).ordered {
      let field: String
      switch key {
      case .keyword(let symbol), .symbol(let symbol): field = symbol.name
      case .string(let box): field = box.value
      default: throw Arguments.typeError(function, "keyword or string keys", key, name: name)
      }
      switch value {
      case .string(let box): result[field] = box.value
      case .int(let number): result[field] = String(number)
      case .bool(let flag): result[field] = flag ? "true" : "false"
      case .keyword(let symbol): result[field] = symbol.name
      default: throw Arguments.typeError(function, "string values", value, name: name)
      }
    }
    return result
  }
}

extension Millis {
  /// Seconds as Kelp shows them: an integer when whole.
  var secondsValue: Value {
    self % 1000 == 0 ? .int(Int(self / 1000)) : .double(Double(self) / 1000)
  }
}
