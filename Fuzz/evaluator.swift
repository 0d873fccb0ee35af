// libFuzzer target: the whole language (reader, macro expansion, compiler, runtime, builtins and
// the standard library) on arbitrary text, run as a program.
//
// Each input gets a fresh interpreter with the limits `kelp run --max-steps --max-depth
// --max-memory` would set (Session.swift): a small step budget stops runaway loops, a small depth
// limit deep recursion and a memory budget (under libFuzzer's -rss_limit_mb=2048) huge values,
// all as errors. Output is dropped and `load` is replaced by one that refuses, so an
// input cannot read the machine's files (or block on /dev/stdin). Errors are the expected answer
// to most inputs; only a crash, a hang, running out of memory or a sanitizer report is a finding.
import KelpLisp

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var options = Interpreter.Options()
  options.maxSteps = 20_000
  options.maxDepth = 400
  options.maxMemory = 1 << 30
  let interpreter = Interpreter(options: options)
  interpreter.output = { _ in }
  interpreter.define(
    Builtin("load", "(load path)", "Refused while fuzzing.", unary: { _ throws(LispError) in
      throw LispError(.io, "load: files are not read while fuzzing")
    }))
  do {
    _ = try interpreter.evaluate(text, file: "fuzz.kelp").written
  } catch {
    _ = ErrorRenderer.render(error)
  }
  return 0
}
