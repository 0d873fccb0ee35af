import KelpTestSupport
import Testing

/// Runs every `Tests/spec/**/*.kelp` file: the language tested in the language.
@Suite struct SpecTests {
  @Test(arguments: SpecFile.all())
  func specFile(_ relativePath: String) {
    let file = SpecFile(path: SpecFile.root + "/" + relativePath)
    for failure in file.run() {
      Issue.record("\(relativePath):\(failure)")
    }
  }
}
