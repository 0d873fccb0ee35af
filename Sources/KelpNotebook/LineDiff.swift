/// A unified diff of two texts, line by line (the longest common subsequence), with three lines
/// of context: how `kelp notebook check` shows an output that changed.
enum LineDiff {
  enum Edit: Equatable {
    case same(String)
    case removed(String)
    case added(String)
  }

  static func edits(_ old: [String], _ new: [String]) -> [Edit] {
    // Outputs are short: the quadratic table is fine.
    var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
      for j in stride(from: new.count - 1, through: 0, by: -1) {
        table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var edits: [Edit] = []
    var (i, j) = (0, 0)
    while i < old.count || j < new.count {
      if i < old.count, j < new.count, old[i] == new[j] {
        edits.append(.same(old[i]))
        i += 1
        j += 1
      } else if i < old.count && (j == new.count || table[i + 1][j] >= table[i][j + 1]) {
        // Removals before additions, as diff -u prints a changed line.
        edits.append(.removed(old[i]))
        i += 1
      } else {
        edits.append(.added(new[j]))
        j += 1
      }
    }
    return edits
  }

  /// `--- old`, `+++ new`, then `@@ -a,b +c,d @@` hunks.
  static func unified(_ old: String, _ new: String, oldName: String, newName: String) -> String {
    let split = { (text: String) -> [String] in
      text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast(text.hasSuffix("\n") ? 1 : 0).map(String.init)
    }
    let edits = edits(split(old), split(new))
    let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
    guard !changed.isEmpty else { return "" }
    var text = "--- \(oldName)\n+++ \(newName)\n"
    var groups: [ClosedRange<Int>] = []
    for index in changed {
      let range = max(0, index - 3)...min(edits.count - 1, index + 3)
      if let last = groups.last, range.lowerBound <= last.upperBound + 1 {
        groups[groups.count - 1] = last.lowerBound...range.upperBound
      } else {
        groups.append(range)
      }
    }
    for group in groups {
      var oldStart = 1
      var newStart = 1
      for edit in edits[..<group.lowerBound] {
        switch edit {
        case .same: oldStart += 1; newStart += 1
        case .removed: oldStart += 1
        case .added: newStart += 1
        }
      }
      let slice = edits[group]
      let oldCount = slice.filter { if case .added = $0 { false } else { true } }.count
      let newCount = slice.filter { if case .removed = $0 { false } else { true } }.count
      text += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) "
        + "+\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
      for edit in slice {
        switch edit {
        case .same(let line): text += " \(line)\n"
        case .removed(let line): text += "-\(line)\n"
        case .added(let line): text += "+\(line)\n"
        }
      }
    }
    return text
  }
}
