import Testing

@testable import KelpCluster

/// The Python subset behind `python3 -c` container commands.
@Suite struct PythonScriptTests {
  let backoffExample = """
    import os, sys
    print("Hello world")
    if int(os.environ.get("JOB_COMPLETION_INDEX")) % 2 == 0:
      sys.exit(1)
    """

  @Test(arguments: [("0", 1), ("1", 0), ("4", 1), ("7", 0)])
  func evenIndexesExitOne(index: String, code: Int) {
    let outcome = PythonScript(backoffExample).run(environment: ["JOB_COMPLETION_INDEX": index])
    #expect(outcome == PythonScript.Outcome(exitCode: code, printed: ["Hello world"]))
  }

  @Test func elifAndElseTakeTheFirstTrueBranch() {
    let script = """
      import os
      n = 3
      if os.environ.get("X", "0") == "2":
        print("two")
      elif int(os.environ.get("X", "0")) > 5:
        print("big")
        sys.exit(3)
      else:
        print("other")
      print("after")
      """
    #expect(PythonScript(script).run(environment: ["X": "2"]).printed == ["two", "after"])
    #expect(
      PythonScript(script).run(environment: ["X": "9"])
        == PythonScript.Outcome(exitCode: 3, printed: ["big"]))
    #expect(PythonScript(script).run(environment: [:]).printed == ["other", "after"])
  }

  @Test func expressionsFollowPythonsPrecedenceAndModulo() {
    let script = PythonScript("")
    #expect(script.evaluate("1 + 2 * 3", [:]) == .int(7))
    #expect(script.evaluate("(1 + 2) * 3 // 2", [:]) == .int(4))
    #expect(script.evaluate("-7 % 3", [:]) == .int(2))
    #expect(script.evaluate("7 % -3", [:]) == .int(-2))
    #expect(script.evaluate("-7 // 2", [:]) == .int(-4))
    #expect(script.evaluate("7 // 2", [:]) == .int(3))
    // Where Python would grow its integers, Kelp gives up on the value rather than trap.
    #expect(script.evaluate("12345678901 * 98765432109 * 1000000", [:]) == .none)
    #expect(script.evaluate("9223372036854775807 + 1", [:]) == .none)
    #expect(script.evaluate("\"a\" + 'b' == \"ab\"", [:]) == .int(1))
    #expect(script.evaluate("os.environ[\"HOME\"]", ["HOME": "/root"]) == .string("/root"))
  }
}
