import OrderedCollections

extension JSONPath {
  /// One execution. `{range …}` and `{end}` are actions of their own, so, as upstream, a range runs
  /// the segments after it once per value until one of them is an `end` (counted here), then
  /// resumes after the last `end` seen. A range without an `end` runs to the template's end, and
  /// the segments after it then run once more on the outer value, as in kubectl.
  struct Run {
    typealias Node = JSONPath.Node
    let segments: [[Node]]
    let allowMissingKeys: Bool
    var opened = 0
    var inside = 0
    var closed = 0
    var lastEnd: Int?

    mutating func results(for data: JSONValue, from first: Int) throws(Failure) -> [[JSONValue]] {
      var all: [[JSONValue]] = []
      var index = first
      while index < segments.count {
        let found = try walk([data], segments[index])
        if closed > 0 && closed <= inside {
          closed -= 1
          lastEnd = index
          break
        }
        if opened > 0 {
          opened -= 1
          inside += 1
          // With no values the body still runs once, on nothing, to find its `end`.
          for value in found.isEmpty ? [JSONValue.null] : found {
            let body = try results(for: value, from: index + 1)
            if !found.isEmpty { all += body }
          }
          inside -= 1
          if let lastEnd, lastEnd > index { index = lastEnd }
        } else {
          all.append(found)
        }
        index += 1
      }
      return all
    }

    mutating func walk(_ input: [JSONValue], _ nodes: [Node]) throws(Failure) -> [JSONValue] {
      var current = input
      for node in nodes { current = try step(current, node) }
      return current
    }

    /// Null is Go's nil here: paths step over it, but a field holding null is found (and prints).
    mutating func step(_ input: [JSONValue], _ node: Node) throws(Failure) -> [JSONValue] {
      switch node {
      case .text(let text): return [.string(text)]
      case .int(let number): return input.map { _ in .int(Int64(number)) }
      case .float(let number): return input.map { _ in .double(number) }
      case .bool(let flag): return input.map { _ in .bool(flag) }
      case .identifier("range"):
        opened += 1
        return input
      case .identifier("end"):
        guard inside > 0 else { throw Failure("not in range, nothing to end") }
        closed += 1
        return []
      case .identifier(let name): throw Failure("unrecognized identifier \(name)")
      case .field(let name):
        let found = input.compactMap { $0[name] }
        if found.isEmpty && !input.isEmpty && !allowMissingKeys {
          throw Failure("\(name) is not found")
        }
        return found
      case .wildcard: return input.flatMap(Run.children)
      case .recursive: return input.flatMap(Run.descendants)
      case .union(let lists):
        var all: [JSONValue] = []
        for list in lists { all += try walk(input, list) }
        return all
      case .slice(let start, let end, let step, let single):
        var all: [JSONValue] = []
        for value in input where value != .null {
          guard case .array(let items) = value else {
            throw Failure("\(GoFormat.typeName(value)) is not array or slice")
          }
          let count = items.count
          var from = start ?? 0
          if from < 0 { from += count }
          var to = end ?? count
          if to < 0 || (to == 0 && single) { to += count }  // `[-1]` derives the end 0: the end
          if from == to { return all }  // upstream returns here, skipping any further inputs
          if from >= count || from < 0 {
            throw Failure("array index out of bounds: index \(from), length \(count)")
          }
          if to > count || to < 0 {
            throw Failure("array index out of bounds: index \(to - 1), length \(count)")
          }
          if from > to { throw Failure("starting index \(from) is greater than ending index \(to)") }
          if let step, step <= 0 { throw Failure("step must be > 0") }
          all += stride(from: from, to: to, by: step ?? 1).map { items[$0] }
        }
        return all
      case .filter(let left, let op, let right):
        var kept: [JSONValue] = []
        for value in input {
          guard case .array(let items) = value else {
            throw Failure(
              "\(GoFormat.dump(value, syntax: false)) is not array or slice and cannot be filtered")
          }
          for item in items {
            if op == "exists" {
              if let found = try? walk([item], left), !found.isEmpty { kept.append(item) }
              continue
            }
            let lefts = try walk([item], left)
            if lefts.isEmpty { continue }
            guard lefts.count == 1 else { throw Failure("can only compare one element at a time") }
            let rights = try walk([item], right)
            if rights.isEmpty { continue }
            guard rights.count == 1 else { throw Failure("can only compare one element at a time") }
            if try Run.compare(lefts[0], op, rights[0]) { kept.append(item) }
          }
        }
        return kept
      }
    }

    static func children(_ value: JSONValue) -> [JSONValue] {
      switch value {
      case .object(let fields): return GoFormat.sorted(fields).map(\.value)
      case .array(let items): return items
      case .string(let text): return text.utf8.map { .int(Int64($0)) }  // Go indexes bytes
      default: return []
      }
    }

    static func descendants(_ value: JSONValue) -> [JSONValue] {
      let inner = children(value)
      return inner.isEmpty ? [] : [value] + inner.flatMap(descendants)
    }

    /// Go text/template's eq and lt: basic values of the same kind only, and bools don't order.
    static func compare(_ left: JSONValue, _ op: String, _ right: JSONValue) throws(Failure) -> Bool {
      guard ["==", "!=", "<", "<=", ">", ">="].contains(op) else {
        throw Failure("unrecognized filter operator \(op)")
      }
      let less: Bool
      let equal: Bool
      switch (left, right) {
      case (.int(let x), .int(let y)): (less, equal) = (x < y, x == y)
      case (.double(let x), .double(let y)): (less, equal) = (x < y, x == y)
      case (.string(let x), .string(let y)):
        (less, equal) = (x.utf8.lexicographicallyPrecedes(y.utf8), x.utf8.elementsEqual(y.utf8))
      case (.bool(let x), .bool(let y)) where op == "==" || op == "!=":
        (less, equal) = (false, x == y)
      case (.bool, .bool), (.null, _), (.array, _), (.object, _), (_, .null), (_, .array),
        (_, .object):
        throw Failure("invalid type for comparison")
      default: throw Failure("incompatible types for comparison")
      }
      switch op {
      case "==": return equal
      case "!=": return !equal
      case "<": return less
      case "<=": return less || equal
      case ">": return !(less || equal)
      default: return !less  // >=
      }
    }
  }
}
