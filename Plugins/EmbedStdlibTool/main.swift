import Foundation

// Usage: embed-stdlib OUTPUT.swift FILE.kelp...
// Writes `EmbeddedStdlib.files`: (name, source) pairs in load order (file names sorted).
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
  FileHandle.standardError.write(Data("usage: embed-stdlib OUTPUT FILE...\n".utf8))
  exit(2)
}
var swift = "// Generated from stdlib/*.kelp by the EmbedStdlib plugin. Do not edit.\n"
swift += "enum EmbeddedStdlib {\n  static let files: [(name: String, source: String)] = [\n"
for path in arguments.dropFirst() {
  let url = URL(fileURLWithPath: path)
  let text = try String(contentsOf: url, encoding: .utf8)
  // A raw string with enough #'s that no sequence in the file can close it.
  var hashes = "#"
  while text.contains("\"" + hashes) { hashes += "#" }
  swift += "    (\"stdlib/\(url.lastPathComponent)\", \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)),\n"
}
swift += "  ]\n}\n"
try swift.write(toFile: String(output), atomically: true, encoding: .utf8)
