/// A label selector with the grammar, matching and printing of apimachinery `labels.Parse`:
/// `app=web,tier!=db,env in (prod,qa),!legacy,version`. Requirements are ANDed and kept sorted
/// by key, as upstream sorts them, so equal selectors print and compare equal.
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
  public struct Requirement: Hashable, Sendable, CustomStringConvertible {
    /// Upstream `selection.Operator`; the raw values are upstream's.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
      case equals = "="
      case doubleEquals = "=="
      case notEquals = "!="
      case `in` = "in"
      case notIn = "notin"
      case exists = "exists"
      case doesNotExist = "!"
      case greaterThan = "gt"
      case lessThan = "lt"
    }

    public let key: String
    public let `operator`: Operator
    /// Sorted, so that the order a selector was written in does not affect equality.
    public let values: [String]

    /// Upstream `NewRequirement`: validates the key, the value count for the operator, and
    /// every value; the error text is upstream's aggregated field errors.
    public init(key: String, operator op: Operator, values: [String] = []) throws(SelectorError) {
      var errors: [String] = []
      let keyErrors = Validation.isQualifiedName(key)
      if !keyErrors.isEmpty { errors.append(invalid("key", key, keyErrors)) }
      switch op {
      case .in, .notIn:
        if values.isEmpty {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "for 'in', 'notin' operators, values set can't be empty")
        }
      case .equals, .doubleEquals, .notEquals:
        if values.count != 1 {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "exact-match compatibility requires one single value")
        }
      case .exists, .doesNotExist:
        if !values.isEmpty {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "values set must be empty for exists and does not exist")
        }
      case .greaterThan, .lessThan:
        if values.count != 1 {
          errors.append(
            "values: Invalid value: \(goStringSlice(values)): "
              + "for 'Gt', 'Lt' operators, exactly one value is required")
        }
        for (index, value) in values.enumerated() where Int64(value, radix: 10) == nil {
          errors.append(
            "values[\(index)]: Invalid value: \(goQuote(value)): "
              + "for 'Gt', 'Lt' operators, the value must be an integer")
        }
      }
      for (index, value) in values.enumerated() {
        let valueErrors = Validation.isValidLabelValue(value)
        if !valueErrors.isEmpty {
          errors.append(invalid("values[\(index)][\(key)]", value, valueErrors))
        }
      }
      if !errors.isEmpty { throw SelectorError(aggregate: errors) }
      self.init(unchecked: key, op, values)
    }

    /// For callers that already validated, like upstream `SelectorFromValidatedSet`.
    init(unchecked key: String, _ op: Operator, _ values: [String]) {
      self.key = key
      self.operator = op
      self.values = values.sorted()
    }

    /// Upstream `Requirement.Matches`: `!=` and `notin` also match when the key is absent;
    /// `gt` and `lt` need the label to be an integer.
    public func matches(_ labels: [String: String]) -> Bool {
      switch self.operator {
      case .in, .equals, .doubleEquals:
        guard let value = labels[key] else { return false }
        return values.contains(value)
      case .notIn, .notEquals:
        guard let value = labels[key] else { return true }
        return !values.contains(value)
      case .exists:
        return labels[key] != nil
      case .doesNotExist:
        return labels[key] == nil
      case .greaterThan, .lessThan:
        guard let text = labels[key], let actual = Int64(text, radix: 10), values.count == 1,
          let bound = Int64(values[0], radix: 10)
        else { return false }
        return self.operator == .greaterThan ? actual > bound : actual < bound
      }
    }

    /// Upstream `Requirement.String()`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
    /// `a`, `!a`, `a>1`, `a<1`.
    public var description: String {
      let joined = values.joined(separator: ",")
      switch self.operator {
      case .equals: return key + "=" + joined
      case .doubleEquals: return key + "==" + joined
      case .notEquals: return key + "!=" + joined
      case .in: return key + " in (" + joined + ")"
      case .notIn: return key + " notin (" + joined + ")"
      case .exists: return key
      case .doesNotExist: return "!" + key
      case .greaterThan: return key + ">" + joined
      case .lessThan: return key + "<" + joined
      }
    }
  }

  public let requirements: [Requirement]

  /// Matches every set of labels; prints as the empty string.
  public static let everything = LabelSelector(requirements: [])

  /// Sorts by key, stably, as upstream `Selector.Add` does for selectors of up to twelve
  /// requirements (Go's sort only guarantees stability that far; Kelp always keeps it).
  public init(requirements: [Requirement]) {
    self.requirements = requirements.enumerated()
      .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
      .map(\.element)
  }

  /// A workload's `selector`: `matchLabels` become `=` requirements, merged with
  /// `matchExpressions` and sorted by key, as upstream `LabelSelectorAsSelector` does. The
  /// labels are not validated here; manifest decoding does that.
  public init(matchLabels: [String: String], requirements: [Requirement] = []) {
    let exact = matchLabels.sorted { $0.key < $1.key }.map {
      Requirement(unchecked: $0.key, .equals, [$0.value])
    }
    self.init(requirements: exact + requirements)
  }

  /// Upstream `labels.Parse`; the empty string selects everything.
  public init(parsing text: String) throws(SelectorError) {
    var lexer = SelectorLexer(Array(text.utf8))
    var parser = SelectorParser(tokens: lexer.tokens())
    self.init(requirements: try parser.parse())
  }

  public var isEverything: Bool { requirements.isEmpty }

  public func matches(_ labels: [String: String]) -> Bool {
    requirements.allSatisfy { $0.matches(labels) }
  }

  public var description: String {
    requirements.map(\.description).joined(separator: ",")
  }
}

/// Why a selector did not parse or a requirement was invalid; the text is upstream's.
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }

  /// Upstream `utilerrors.NewAggregate(...).Error()`: one message alone, several in brackets.
  init(aggregate messages: [String]) {
    var unique: [String] = []
    for message in messages where !unique.contains(message) { unique.append(message) }
    description = unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
  }
}

// MARK: - Field error text

/// A `field.Invalid` error as Go prints it: `path: Invalid value: "v": detail; detail`.
func invalid(_ path: String, _ value: String, _ details: [String]) -> String {
  "\(path): Invalid value: \(goQuote(value)): " + details.joined(separator: "; ")
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`.
func goStringSlice(_ values: [String]) -> String {
  "[]string{" + values.map(goQuote).joined(separator: ", ") + "}"
}

/// Go's `%q` for the strings a selector can hold: quotes, backslashes and control characters
/// are escaped; other characters are kept.
func goQuote(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7F {
        let hex = String(scalar.value, radix: 16)
        out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

// MARK: - Lexer

/// A lexer token. Operators and punctuation are `symbol`s holding upstream's literal, which is
/// also the text its error messages quote.
