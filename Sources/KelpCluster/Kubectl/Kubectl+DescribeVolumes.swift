/// How describe shows a pod's volumes: the type line and the source lines of upstream's
/// printers.
extension Kubectl {
  /// The lines upstream's printers add under a volume's type (printEmptyDirVolumeSource, …).
  static func volumeDetails(_ volume: Volume) -> String {
    guard let entry = volume.source.elements.first else { return "" }
    let (kind, source) = (entry.key, entry.value)
    func field(_ name: String) -> String { source[name]?.stringValue ?? "" }
    func flag(_ name: String) -> String { source[name] == JSONValue.bool(true) ? "true" : "false" }
    switch kind {
    case "emptyDir":
      let limit = source["sizeLimit"].map { value -> String in
        value.stringValue ?? value.yamlText.trimmingSpaces
      }
      return "    Medium:\t\(field("medium"))\n    SizeLimit:\t\(limit ?? "<unset>")\n"
    case "hostPath":
      let type = field("type")
      return "    Path:\t\(field("path"))\n    HostPathType:\t\(type.isEmpty ? "<none>" : type)\n"
    case "configMap":
      return "    Name:\t\(field("name"))\n    Optional:\t\(flag("optional"))\n"
    case "secret":
      return "    SecretName:\t\(field("secretName"))\n    Optional:\t\(flag("optional"))\n"
    case "persistentVolumeClaim":
      return "    ClaimName:\t\(field("claimName"))\n    ReadOnly:\t\(flag("readOnly"))\n"
    default: return ""
    }
  }

  static func volumeType(_ volume: Volume) -> String {
    guard let kind = volume.source.keys.first else {
      return "EmptyDir (a temporary directory that shares a pod's lifetime)"
    }
    switch kind {
    case "emptyDir": return "EmptyDir (a temporary directory that shares a pod's lifetime)"
    case "hostPath": return "HostPath (bare host directory volume)"
    case "configMap": return "ConfigMap (a volume populated by a ConfigMap)"
    case "secret": return "Secret (a volume populated by a Secret)"
    case "projected":
      return "Projected (a volume that contains injected data from multiple sources)"
    case "persistentVolumeClaim":
      return "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)"
    default: return kind
    }
  }
}
