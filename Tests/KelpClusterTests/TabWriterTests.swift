import Testing

@testable import KelpCluster

@Suite struct TabWriterTests {
  @Test func getTablesPadToTheWidestCellPlusThreeWithAMinimumOfSix() {
    let text = TabWriter.get.format("NAME\tREADY\tSTATUS\nnginx\t1/1\tRunning\n")
    #expect(text == "NAME    READY   STATUS\nnginx   1/1     Running\n")
  }

  @Test func aLineWithoutTheColumnEndsTheBlock() {
    // describe: `Containers:` has no tab, so the lines after it align on their own.
    let text = TabWriter.describe.format(
      "Name:\tweb\nService Account:\tdefault\nContainers:\n  web:\n    Image:\tnginx\n")
    #expect(
      text
        == "Name:             web\nService Account:  default\nContainers:\n  web:\n    Image:  nginx\n"
    )
  }

  @Test func trailingCellsAreNeverPadded() {
    #expect(TabWriter.get.format("A\tB\n") == "A     B\n")
  }
}
