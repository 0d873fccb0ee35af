/// Go's `text/tabwriter`, which kubectl prints every table with: cells end at a tab; a column's
/// width is the widest cell of a block of consecutive lines that have that column, plus padding;
/// a line without the column ends the block; the last cell of a line is never padded.
/// `get` uses (minWidth 6, padding 3), `describe` uses (minWidth 0, padding 2).
struct TabWriter {
  var minWidth: Int
  var padding: Int

  static let get = TabWriter(minWidth: 6, padding: 3)
  static let describe = TabWriter(minWidth: 0, padding: 2)

  func format(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
    if lines.last == [""] { lines.removeLast() }
    var widths: [Int] = []
    var out = ""
    formatBlock(lines, 0, lines.count, &widths, &out)
    return out
  }

  private func formatBlock(
    _ lines: [[String]], _ start: Int, _ end: Int, _ widths: inout [Int], _ out: inout String
  ) {
    let column = widths.count
    var blockStart = start
    var index = start
    while index < end {
      if column >= lines[index].count - 1 {
        index += 1
        continue
      }
      write(lines, blockStart, index, widths, &out)
      blockStart = index
      var width = minWidth
      while index < end && column < lines[index].count - 1 {
        width = max(width, lines[index][column].count + padding)
        index += 1
      }
      widths.append(width)
      formatBlock(lines, blockStart, index, &widths, &out)
      widths.removeLast()
      blockStart = index
    }
    write(lines, blockStart, end, widths, &out)
  }

  private func write(
    _ lines: [[String]], _ start: Int, _ end: Int, _ widths: [Int], _ out: inout String
  ) {
    guard start < end else { return }
    for line in lines[start..<end] {
      for (column, cell) in line.enumerated() {
        out += cell
        if column < widths.count && column < line.count - 1 {
          out += String(repeating: " ", count: max(0, widths[column] - cell.count))
        }
      }
      out += "\n"
    }
  }
}
