/// Admission for ConfigMaps and Secrets.
extension Cluster {
  func applyConfigMap(_ configMap: ConfigMap, createOnly: Bool) throws(APIError) -> ApplyResult {
    try checkNamespace(configMap.metadata.namespace, for: .configMap, configMap.metadata.name)
    return try createOrUpdate(configMap, \.self, createOnly: createOnly) { _ in }
  }

  func applySecret(_ secret: Secret, createOnly: Bool) throws(APIError) -> ApplyResult {
    try checkNamespace(secret.metadata.namespace, for: .secret, secret.metadata.name)
    return try createOrUpdate(secret, \.self, createOnly: createOnly) { _ in }
  }
}
