// libFuzzer target: the notebook Markdown parser, and the two things that only reshape a parsed
// notebook: rewriting its output blocks and rendering it as HTML (Ink for the prose, Plot for the
// page). No block is run: each block's "output" is made from its own source text.
//
// A parse error is the expected answer to some inputs; a crash, a hang or a sanitizer report is
// a finding. `@testable` because `NotebookRunner.BlockResult`'s initialiser is internal (run.sh
// builds the modules with -enable-testing).
@testable import KelpNotebook

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let notebook = try? Notebook(text: text, file: "fuzz.md") else { return 0 }
  // Alternate: a block's output replaced by its source, removed (no output) or left as it is.
  let results = notebook.blocks.enumerated().map { index, block in
    NotebookRunner.BlockResult(
      block: block,
      output: [block.source + "\n", "", nil][index % 3],
      unexpectedError: index % 2 == 1)
  }
  let updated = notebook.updated(results)
  // The rewritten notebook must parse again: `kelp notebook update` writes it back to disk.
  do {
    _ = try Notebook(text: updated, file: "fuzz.md")
  } catch {
    fatalError("the updated notebook does not parse: \(error)\n---\n\(updated)")
  }
  _ = NotebookHTML().render(notebook, results)
  return 0
}
