import Foundation
import Ink
import Plot

/// A notebook as one self-contained HTML page (`kelp notebook render`): its prose through Ink,
/// its code highlighted, each block's output, and its pictures as SVG where it drew them; the
/// page is built with Plot and fetches nothing.
public struct NotebookHTML {
  public init() {}

  public func render(_ notebook: Notebook, _ results: [NotebookRunner.BlockResult]) -> String {
    var nodes: [Node<HTML.BodyContext>] = []
    var prose: [String] = []
    var title = "Kelp notebook"
    var firstProseLine = 1
    func flushProse() {
      let text = prose.joined(separator: "\n")
      if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        if let html = InkInput.html(from: InkInput.safe(text)) {
          nodes.append(.raw(html))
        } else {
          // Prose Ink cannot finish: shown as plain paragraphs, and said so.
          FileHandle.standardError.write(Data(
            "kelp notebook: the prose from line \(firstProseLine) is too complex for the Markdown renderer; shown as plain text\n".utf8))
          for paragraph in text.components(separatedBy: "\n\n") where !paragraph.isEmpty {
            nodes.append(.p(.text(paragraph)))
          }
        }
      }
      prose = []
    }
    // Line numbers (1-based) that belong to a kelp block or its output block.
    var skipUntil = 0
    let byLine = Dictionary(uniqueKeysWithValues: results.map { ($0.block.line, $0) })
    for (index, line) in notebook.lines.enumerated() {
      let number = index + 1
      if number <= skipUntil { continue }
      if let result = byLine[number] {
        flushProse()
        nodes.append(codeBlock(result))
        skipUntil = result.block.output?.closingLine ?? result.block.closingLine
        continue
      }
      if title == "Kelp notebook", line.hasPrefix("# ") { title = String(line.dropFirst(2)) }
      if prose.isEmpty { firstProseLine = number }
      prose.append(line)
    }
    flushProse()
    let page = HTML(
      .head(
        .meta(.charset(.utf8)),
        .title(title),
        .style(NotebookHTML.css)
      ),
      .body(.main(.group(nodes)))
    )
    return page.render(indentedBy: nil) + "\n"
  }

  /// The code, highlighted; then the pictures it drew, or else its output.
  private func codeBlock(_ result: NotebookRunner.BlockResult) -> Node<HTML.BodyContext> {
    var parts: [Node<HTML.BodyContext>] = [
      .pre(.class("kelp"), .code(.raw(NotebookHTML.highlight(result.block.source))))
    ]
    if !result.pictures.isEmpty {
      parts.append(.div(.class("picture"), .raw(result.pictures.joined(separator: "\n"))))
    } else if let output = result.output, !output.isEmpty {
      let kind = result.unexpectedError ? "output error" : "output"
      parts.append(.pre(.class(kind), .text(output)))
    }
    return .div(.class("block"), .group(parts))
  }

  /// Kelp's syntax in spans: comments, strings, keywords, numbers; everything escaped.
  static func highlight(_ source: String) -> String {
    var html = ""
    var index = source.startIndex
    func escape(_ text: Substring) -> String {
      text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
    }
    func span(_ kind: String, _ text: Substring) { html += "<span class=\"\(kind)\">\(escape(text))</span>" }
    while index < source.endIndex {
      let character = source[index]
      if character == ";" {
        let end = source[index...].firstIndex(of: "\n") ?? source.endIndex
        span("comment", source[index..<end])
        index = end
      } else if character == "\"" {
        var end = source.index(after: index)
        while end < source.endIndex && source[end] != "\"" {
          if source[end] == "\\" && source.index(after: end) < source.endIndex {
            end = source.index(after: end)
          }
          end = source.index(after: end)
        }
        end = end < source.endIndex ? source.index(after: end) : end
        span("string", source[index..<end])
        index = end
      } else if character == ":" || character.isNumber {
        let end =
          source[index...].firstIndex { " \n\t()[]{}".contains($0) } ?? source.endIndex
        span(character == ":" ? "keyword" : "number", source[index..<end])
        index = end
      } else {
        html += escape(source[index...index])
        index = source.index(after: index)
      }
    }
    return html
  }

  static let css = """
    body{font-family:-apple-system,system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#263238}
    pre{padding:.75rem;overflow-x:auto;border-radius:6px;font-size:.85rem}
    pre.kelp{background:#263238;color:#eceff1}
    pre.output{background:#f5f5f5;border-left:4px solid #90a4ae}
    pre.output.error{border-left-color:#c62828}
    .comment{color:#90a4ae}.string{color:#c5e1a5}.keyword{color:#80cbc4}.number{color:#ffcc80}
    .picture{overflow-x:auto;margin:.5rem 0 1rem}
    code{font-family:ui-monospace,Menlo,monospace}
    """
}
