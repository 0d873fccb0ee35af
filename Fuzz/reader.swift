// libFuzzer target: the Lisp reader on arbitrary text.
//
// Every input is read with `Reader.readAll` (as `kelp run` and the REPL do) and, when it reads,
// each form is printed back with `written` (the printer is recursive too). Read errors are the
// expected answer to most inputs; only a crash, a hang or a sanitizer report is a finding.
import KelpLisp

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = Reader.isIncomplete(text)
  do {
    for form in try Reader.readAll(text, file: "fuzz.kelp") { _ = form.value.written }
  } catch {
    _ = ErrorRenderer.render(error)
  }
  return 0
}
