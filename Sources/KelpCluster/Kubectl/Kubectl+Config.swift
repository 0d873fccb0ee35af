/// `kubectl create configmap|secret`, and `get`/`describe` of ConfigMaps and Secrets.
extension Kubectl {
  /// `kubectl create configmap NAME --from-literal=…` and `create secret generic|tls|…`.
  func createConfig(_ command: KubectlCommandLine) throws(KubectlError) -> String {
    throw KubectlError("error: not yet")
  }
}

extension ConfigMap: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "DATA", "AGE"] }
  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [metadata.name, String(data.count + binaryData.count), kubectl.age(metadata.creationTimestamp)]
  }
  func describe(in kubectl: Kubectl) -> String { "" }
}

extension Secret: KubectlPrintable {
  static func columns(wide: Bool) -> [String] { ["NAME", "TYPE", "DATA", "AGE"] }
  func cells(in kubectl: Kubectl, wide: Bool) -> [String] {
    [metadata.name, type, String(data.count), kubectl.age(metadata.creationTimestamp)]
  }
  func describe(in kubectl: Kubectl) -> String { "" }
}
