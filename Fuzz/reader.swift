// libFuzzer target: the Lisp reader on arbitrary text.
//
// Every input is read with `Reader.readAll`, on libFuzzer's thread and its ordinary stack (the
// evaluator target reads on the interpreter's large stack), and, when it reads, each form is
// printed back with `written` (the printer is recursive too). Read errors are the
// expected answer to most inputs; only a crash, a hang or a sanitizer report is a finding.
import KelpLisp

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  do {
    for form in try Reader.readAll(text, file: "fuzz.kelp") { _ = form.value.written }
  } catch {
    _ = ErrorRenderer.render(error)
  }
  return 0
}
