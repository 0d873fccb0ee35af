// libFuzzer target: the label-selector parser (`-l`, `:selector`, a Service's selector text) on
// arbitrary text.
//
// A selector that parses is matched against a few label sets and printed; its printed form must
// parse back to the same selector, as apimachinery's `labels.Parse(s.String())` does. A parse
// error is the expected answer to most inputs; a crash, a hang or a selector whose printed form
// reads differently is a finding.
import KelpCluster

private let labelSets: [[String: String]] = [
  [:],
  ["app": "web"],
  ["app": "web", "tier": "frontend", "env": "prod", "version": "3"],
  ["kubernetes.io/hostname": "node-1", "topology.kubernetes.io/zone": "zone-a", "in": "notin"],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let selector = try? LabelSelector(parsing: text) else { return 0 }
  for labels in labelSets { _ = selector.matches(labels) }
  let printed = selector.description
  let reparsed: LabelSelector
  do {
    reparsed = try LabelSelector(parsing: printed)
  } catch {
    fatalError("\(text.debugDescription) printed as \(printed.debugDescription), which does not parse: \(error)")
  }
  if reparsed != selector {
    fatalError("\(text.debugDescription) printed as \(printed.debugDescription), which reads as \(reparsed.description.debugDescription)")
  }
  return 0
}
