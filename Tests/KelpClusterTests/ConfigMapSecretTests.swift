import Testing

@testable import KelpCluster

/// ConfigMaps and Secrets through the API server and kubectl. Expected texts are Kubernetes
/// v1.32's: core validation (ValidateConfigMap, ValidateSecret and their update rules), Go's
/// base64 decoder as the API server's JSON decoding uses it, and kubectl's create commands,
/// printers and describers.
@Suite struct ConfigMapSecretTests {
  static let configKeyRule =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
    + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
    + "'[-._a-zA-Z0-9]+')"

  /// A cluster, and a kubectl that reads the given files.
  func setUp(files: [String: String] = [:]) -> (Cluster, Kubectl) {
    let cluster = Cluster(seed: 7)
    var kubectl = Kubectl(cluster: cluster)
    kubectl.readFile = { path in
      guard let text = files[path] else { throw KubectlError("no such file") }
      return text
    }
    return (cluster, kubectl)
  }

  func configMap(_ name: String, data: [String: String] = [:], extra: [String: JSONValue] = [:])
    -> JSONValue
  {
    var manifest: [String: JSONValue] = [
      "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)],
      "data": .object(.init(uniqueKeysWithValues: data.map { ($0, .string($1)) })),
    ]
    manifest.merge(extra) { _, new in new }
    return .object(.init(uniqueKeysWithValues: manifest.sorted { $0.key < $1.key }))
  }

  func secret(_ name: String, data: [String: String] = [:], extra: [String: JSONValue] = [:])
    -> JSONValue
  {
    var manifest: [String: JSONValue] = [
      "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name)],
      "data": .object(.init(uniqueKeysWithValues: data.map { ($0, .string($1)) })),
    ]
    manifest.merge(extra) { _, new in new }
    return .object(.init(uniqueKeysWithValues: manifest.sorted { $0.key < $1.key }))
  }

  /// The kubectl text of an apply that must fail.
  func failure(_ cluster: Cluster, _ manifest: JSONValue) -> String {
    do throws(ClusterError) {
      try cluster.apply(manifest)
      return "applied"
    } catch {
      return error.description
    }
  }

  func run(_ kubectl: Kubectl, _ line: String) -> String {
    do throws(KubectlError) {
      return try kubectl.run(line)
    } catch {
      return error.message
    }
  }

  // MARK: - Base64

  @Test(arguments: [
    ("", ""), ("YQ==", "a"), ("YWI=", "ab"), ("YWJj", "abc"), ("YWJj\nZA==\n", "abcd"),
    ("YWJj\r\nZGVm", "abcdef"),
  ])
  func base64DecodesAsGoDoes(_ text: String, _ expected: String) throws {
    #expect(try Base64.decode(text) == Array(expected.utf8))
    #expect(Base64.encode(Array(expected.utf8)) == text.filter { !$0.isNewline })
  }

  /// Go's `CorruptInputError` offsets: a group cut short fails at its first byte, bad padding
  /// where it is, trailing text where it starts.
  @Test(arguments: [
    ("admin", 4), ("abc", 0), ("YQ=", 3), ("YQ==x", 4), ("Y===", 1), ("a b", 1), ("=", 0),
    ("YWJj!", 4), ("YQ=x", 2),
  ])
  func base64ErrorsNameGosByte(_ text: String, _ offset: Int) {
    #expect(throws: Base64.CorruptInput.self) { try Base64.decode(text) }
    do throws(Base64.CorruptInput) {
      _ = try Base64.decode(text)
    } catch {
      #expect(error.description == "illegal base64 data at input byte \(offset)")
    }
  }

  // MARK: - ConfigMap validation

  @Test func configMapKeysFollowTheConfigKeyRule() {
    let (cluster, _) = setUp()
    let text = failure(cluster, configMap("app", data: ["bad key": "x", "..hidden": "y"]))
    #expect(
      text == "The ConfigMap \"app\" is invalid: \n"
        + "* data[..hidden]: Invalid value: \"..hidden\": must not start with '..'\n"
        + "* data[bad key]: Invalid value: \"bad key\": \(ConfigMapSecretTests.configKeyRule)")
  }

  @Test func namesAreDNSSubdomains() {
    let (cluster, _) = setUp()
    #expect(
      failure(cluster, configMap("Web_Config"))
        == "The ConfigMap \"Web_Config\" is invalid: metadata.name: Invalid value: "
        + "\"Web_Config\": \(ValidationTests.subdomain)")
    #expect(
      failure(cluster, secret(""))
        == "The Secret \"\" is invalid: metadata.name: Required value: name or generateName is "
        + "required")
  }

  @Test func aKeyMayNotBeInBothDataAndBinaryData() {
    let (cluster, _) = setUp()
    let text = failure(
      cluster, configMap("app", data: ["logo": "x"], extra: ["binaryData": ["logo": "AAE="]]))
    #expect(
      text
        == "The ConfigMap \"app\" is invalid: data[logo]: Invalid value: \"logo\": duplicate of "
        + "key present in binaryData")
  }

  @Test func binaryDataMustBeBase64() throws {
    let (cluster, _) = setUp()
    do throws(ClusterError) {
      try cluster.apply(configMap("app", extra: ["binaryData": ["logo": "not base64"]]))
      Issue.record("applied")
    } catch .manifest(let error) {
      #expect(
        error.message
          == "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: illegal base64 data "
          + "at input byte 3")
      #expect(error.fieldPath == "binaryData.logo")
    } catch {
      Issue.record("\(error)")
    }
    try cluster.apply(configMap("app", extra: ["binaryData": ["logo": "iVBORw=="]]))
    let stored = try #require(cluster.store.configMaps.get("default", "app"))
    #expect(stored.binaryData["logo"] == [0x89, 0x50, 0x4E, 0x47])
    #expect(stored.encoded()[path: ["binaryData", "logo"]] == "iVBORw==")
  }

  /// The size rule names the root path, which Go's field path prints as `[]`.
  @Test func configMapsHoldAtMostOneMebibyte() throws {
    let (cluster, _) = setUp()
    let half = String(repeating: "x", count: 512 * 1024)
    try cluster.apply(configMap("full", data: ["a": half, "b": half]))
    #expect(
      failure(cluster, configMap("over", data: ["a": half, "b": half + "x"]))
        == "The ConfigMap \"over\" is invalid: []: Too long: must have at most 1048576 bytes")
  }

  // MARK: - Secret decoding and validation

  @Test func secretDataIsBase64AndBadTextNamesTheByte() throws {
    let (cluster, _) = setUp()
    do throws(ClusterError) {
      try cluster.apply(secret("db", data: ["password": "czNjcjN0", "username": "admin"]))
      Issue.record("applied")
    } catch .manifest(let error) {
      #expect(
        error.message
          == "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at "
          + "input byte 4")
      #expect(error.fieldPath == "data.username")
    } catch {
      Issue.record("\(error)")
    }
    try cluster.apply(secret("db", data: ["password": "czNjcjN0", "username": "YWRtaW4="]))
    let stored = try #require(cluster.store.secrets.get("default", "db"))
    #expect(stored.data["password"] == Array("s3cr3t".utf8))
    #expect(stored.type == "Opaque")
    #expect(stored.encoded()[path: ["data", "username"]] == "YWRtaW4=")
  }

  @Test func stringDataIsMergedOverDataAndNeverStored() throws {
    let (cluster, _) = setUp()
    try cluster.apply(
      secret(
        "app", data: ["mode": "b2xk", "kept": "eA=="],
        extra: ["stringData": ["mode": "new", "token": "abc"]]))
    let stored = try #require(cluster.store.secrets.get("default", "app"))
    #expect(
      stored.data == [
        "kept": Array("x".utf8), "mode": Array("new".utf8), "token": Array("abc".utf8),
      ])
    let encoded = stored.encoded()
    #expect(encoded["stringData"] == nil)
    #expect(encoded[path: ["data", "mode"]] == "bmV3")
  }

  @Test func aOneMebibyteSecretIsAcceptedAndOneByteMoreIsNot() throws {
    let (cluster, _) = setUp()
    let limit = String(repeating: "a", count: 1_048_576)
    try cluster.apply(secret("exact", extra: ["stringData": ["blob": .string(limit)]]))
    #expect(cluster.store.secrets.get("default", "exact")?.valueBytes == 1_048_576)
    #expect(
      failure(cluster, secret("over", extra: ["stringData": ["blob": .string(limit + "a")]]))
        == "The Secret \"over\" is invalid: data: Too long: must have at most 1048576 bytes")
  }

  @Test(arguments: [
    (
      "kubernetes.io/tls", [String: String](),
      ["data[tls.crt]: Required value", "data[tls.key]: Required value"]
    ),
    ("kubernetes.io/tls", ["tls.crt": "", "tls.key": ""], []),
    (
      "kubernetes.io/basic-auth", [:],
      ["data[username]: Required value", "data[password]: Required value"]
    ),
    ("kubernetes.io/basic-auth", ["password": ""], []),
    ("kubernetes.io/ssh-auth", ["ssh-privatekey": ""], ["data[ssh-privatekey]: Required value"]),
    ("kubernetes.io/dockerconfigjson", [:], ["data[.dockerconfigjson]: Required value"]),
    (
      "kubernetes.io/dockerconfigjson", [".dockerconfigjson": "{\"auths\": }"],
      [
        "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid "
          + "character '}' looking for beginning of value"
      ]
    ),
    (
      "kubernetes.io/dockerconfigjson", [".dockerconfigjson": "[]"],
      [
        "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot "
          + "unmarshal array into Go value of type map[string]interface {}"
      ]
    ),
    ("kubernetes.io/dockerconfigjson", [".dockerconfigjson": "{\"auths\":{}}"], []),
    (
      "kubernetes.io/service-account-token", [:],
      ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]
    ),
    ("example.com/custom", [:], []),
  ])
  func typedSecretsNeedTheirKeys(_ type: String, _ values: [String: String], _ causes: [String]) {
    let (cluster, _) = setUp()
    let manifest = secret(
      "typed",
      extra: [
        "type": .string(type),
        "stringData": .object(.init(uniqueKeysWithValues: values.map { ($0, .string($1)) })),
      ])
    guard !causes.isEmpty else {
      #expect(failure(cluster, manifest) == "applied")
      return
    }
    #expect(failure(cluster, manifest) == APIError.invalid(.secret, "typed", causes).kubectlText)
  }

  @Test func secretKeysFollowTheConfigKeyRule() {
    let (cluster, _) = setUp()
    #expect(
      failure(cluster, secret("s", extra: ["stringData": ["a/b": "x"]]))
        == "The Secret \"s\" is invalid: data[a/b]: Invalid value: \"a/b\": "
        + ConfigMapSecretTests.configKeyRule)
  }

  // MARK: - Updates

  @Test func reapplyingIsUnchangedAndAChangeIsConfigured() throws {
    let (cluster, _) = setUp()
    #expect(try cluster.apply(configMap("app", data: ["a": "1"])).outcome == .created)
    let created = try #require(cluster.store.configMaps.get("default", "app"))
    #expect(try cluster.apply(configMap("app", data: ["a": "1"])).outcome == .unchanged)
    #expect(try cluster.apply(configMap("app", data: ["a": "2"])).outcome == .configured)
    let updated = try #require(cluster.store.configMaps.get("default", "app"))
    #expect(updated.metadata.uid == created.metadata.uid)
    #expect(updated.metadata.generation == 0)
    #expect(updated.data == ["a": "2"])
    #expect(try cluster.apply(secret("s", data: ["a": "MQ=="])).outcome == .created)
    #expect(try cluster.apply(secret("s", data: ["a": "MQ=="])).outcome == .unchanged)
    #expect(
      try cluster.apply(secret("s", extra: ["stringData": ["a": "1"]])).outcome == .unchanged)
  }

  @Test func anImmutableConfigMapKeepsItsDataButNotItsLabels() throws {
    let (cluster, _) = setUp()
    try cluster.apply(configMap("frozen", data: ["a": "1"], extra: ["immutable": true]))
    let forbidden = "Forbidden: field is immutable when `immutable` is set"
    #expect(
      failure(cluster, configMap("frozen", data: ["a": "2"], extra: ["immutable": true]))
        == "The ConfigMap \"frozen\" is invalid: data: \(forbidden)")
    #expect(
      failure(cluster, configMap("frozen", data: ["a": "1"]))
        == "The ConfigMap \"frozen\" is invalid: immutable: \(forbidden)")
    #expect(
      failure(
        cluster,
        configMap(
          "frozen", data: ["a": "1"], extra: ["immutable": false, "binaryData": ["b": "AA=="]]))
        == "The ConfigMap \"frozen\" is invalid: \n* immutable: \(forbidden)\n"
        + "* binaryData: \(forbidden)")
    let relabelled = configMap(
      "frozen", data: ["a": "1"],
      extra: ["immutable": true, "metadata": ["name": "frozen", "labels": ["tier": "web"]]])
    #expect(try cluster.apply(relabelled).outcome == .configured)
    #expect(cluster.store.configMaps.get("default", "frozen")?.metadata.labels == ["tier": "web"])
  }

  @Test func aSecretKeepsItsTypeAndAnImmutableOneItsData() throws {
    let (cluster, _) = setUp()
    try cluster.apply(
      secret(
        "cert",
        extra: ["type": "kubernetes.io/tls", "stringData": ["tls.crt": "c", "tls.key": "k"]]
      ))
    #expect(
      failure(cluster, secret("cert", extra: ["stringData": ["tls.crt": "c", "tls.key": "k"]]))
        == "The Secret \"cert\" is invalid: type: Invalid value: \"Opaque\": field is immutable")
    try cluster.apply(secret("pin", data: ["a": "MQ=="], extra: ["immutable": true]))
    #expect(
      failure(cluster, secret("pin", data: ["a": "Mg=="], extra: ["immutable": true]))
        == "The Secret \"pin\" is invalid: data: Forbidden: field is immutable when `immutable` "
        + "is set")
  }

  @Test func aMissingOrTerminatingNamespaceIsRefused() {
    let (cluster, _) = setUp()
    var manifest = configMap("app")
    manifest.set(["metadata", "namespace"], to: "nowhere")
    #expect(
      failure(cluster, manifest) == "Error from server (NotFound): namespaces \"nowhere\" not found"
    )
  }

  // MARK: - kubectl create

  @Test func createConfigMapFromLiteralsFilesAndEnvFiles() throws {
    let (cluster, kubectl) = setUp(files: [
      "conf/app.properties": "color=blue\n",
      "dev.env": "\u{FEFF}# comment\n\n  MODE=dev\r\nEMPTY\nURL=http://x?a=b\n",
    ])
    #expect(
      run(
        kubectl,
        "create configmap app --from-literal=a=1 --from-literal=b=x=y "
          + "--from-file=conf/app.properties --from-file=renamed=conf/app.properties"
      )
        == "configmap/app created\n")
    let app = try #require(cluster.store.configMaps.get("default", "app"))
    #expect(
      app.data == [
        "a": "1", "b": "x=y", "app.properties": "color=blue\n", "renamed": "color=blue\n",
      ])
    #expect(run(kubectl, "create cm env --from-env-file=dev.env") == "configmap/env created\n")
    #expect(
      cluster.store.configMaps.get("default", "env")?.data == [
        "MODE": "dev", "EMPTY": "", "URL": "http://x?a=b",
      ])
  }

  /// Command lines and what kubectl prints for them.
  static let createErrors: [(String, String)] = [
    (
      "create configmap x --from-literal=k=1 --from-literal=k=2",
      "error: cannot add key \"k\", another key by that name already exists in Data for "
        + "ConfigMap \"x\""
    ),
    (
      "create configmap x --from-literal=novalue",
      "error: invalid literal source novalue, expected key=value"
    ),
    (
      "create configmap x --from-literal==v", "error: invalid literal source =v, expected key=value"
    ),
    ("create configmap x --from-file==a.txt", "error: key name for file path a.txt missing"),
    ("create configmap x --from-file=k=", "error: file path for key name k missing"),
    ("create configmap x --from-file=a=b=c", "error: key names or file paths cannot contain '='"),
    (
      "create configmap x --from-file=missing.txt",
      "error: error reading missing.txt: no such file or directory"
    ),
    (
      "create configmap x --from-literal=a=1 --from-env-file=bad.env",
      "error: from-env-file cannot be combined with from-file or from-literal"
    ),
    (
      "create configmap x --from-env-file=bad.env",
      "error: \"1ST\" is not a valid key name: a valid environment variable name must consist "
        + "of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit "
        + "(e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation "
        + "is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
    ),
    (
      "create configmap x --from-literal=a/b=1",
      "error: \"a/b\" is not a valid key name for a ConfigMap: "
        + ConfigMapSecretTests.configKeyRule
    ),
    (
      "create configmap",
      "error: exactly one NAME is required, got 0\n"
        + "See 'kubectl create configmap -h' for help and examples"
    ),
    (
      "create configmap x --dry-run=maybe",
      "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\"."
    ),
    (
      "create secret generic s --from-literal=k=1 --from-literal=k=2",
      "error: cannot add key k, another key by that name already exists"
    ),
    ("create secret tls t --cert=tls.crt", "error: key and cert must be specified"),
    (
      "create secret tls t --cert=nope.crt --key=tls.key",
      "error: Cannot read file nope.crt, open nope.crt: no such file or directory"
    ),
    (
      "create secret tls t --cert=tls.key --key=tls.key",
      "error: tls: failed to find certificate PEM data in certificate input, but did find a "
        + "private key; PEM inputs may have been switched"
    ),
    (
      "create secret tls t --cert=tls.crt --key=tls.crt",
      "error: tls: found a certificate rather than a key in the PEM for the private key"
    ),
    (
      "create secret tls t --cert=bad.env --key=tls.key",
      "error: tls: failed to find any PEM data in certificate input"
    ),
    (
      "create secret docker-registry d --docker-username=u",
      "error: either --from-file or the combination of --docker-username, --docker-password and "
        + "--docker-server is required"
    ),
    (
      "create secret opaque s",
      "error: unknown command \"opaque s\"\nSee 'kubectl create secret -h' for help and examples"
    ),
  ]

  @Test(arguments: ConfigMapSecretTests.createErrors)
  func createErrorsReadAsKubectls(_ line: String, _ expected: String) {
    let (_, kubectl) = setUp(files: [
      "bad.env": "1ST=x\n", "tls.crt": ConfigMapSecretTests.certificate,
      "tls.key": ConfigMapSecretTests.key,
    ])
    #expect(run(kubectl, line) == expected)
  }

  @Test func createRefusesWhatTheServerRefuses() {
    let (_, kubectl) = setUp()
    #expect(run(kubectl, "create cm x --from-literal=a=1") == "configmap/x created\n")
    #expect(
      run(kubectl, "create cm x --from-literal=a=1")
        == "error: failed to create configmap: configmaps \"x\" already exists")
    #expect(
      run(kubectl, "create secret generic t --type=kubernetes.io/tls --from-literal=a=1")
        == "error: failed to create secret: Secret \"t\" is invalid: [data[tls.crt]: Required "
        + "value, data[tls.key]: Required value]")
    #expect(
      run(
        kubectl, "create secret docker-registry t --docker-username=u --docker-password=p -n gone")
        == "error: failed to create secret namespaces \"gone\" not found")
  }

  static let certificate =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ3Vlc3M=\n-----END CERTIFICATE-----\n"
  static let key =
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgE=\n-----END PRIVATE KEY-----\n"

  @Test func createSecretGenericTLSAndDockerRegistry() throws {
    let (cluster, kubectl) = setUp(files: [
      "id_rsa": "-----KEY-----\n", "tls.crt": ConfigMapSecretTests.certificate,
      "tls.key": ConfigMapSecretTests.key,
    ])
    #expect(
      run(
        kubectl,
        "create secret generic db --from-literal=user=admin "
          + "--from-file=ssh-privatekey=id_rsa --type=kubernetes.io/ssh-auth"
      )
        == "secret/db created\n")
    let db = try #require(cluster.store.secrets.get("default", "db"))
    #expect(db.type == "kubernetes.io/ssh-auth")
    #expect(
      db.data == ["user": Array("admin".utf8), "ssh-privatekey": Array("-----KEY-----\n".utf8)])
    #expect(
      run(kubectl, "create secret tls web --cert=tls.crt --key=tls.key") == "secret/web created\n")
    let web = try #require(cluster.store.secrets.get("default", "web"))
    #expect(web.type == "kubernetes.io/tls")
    #expect(web.data["tls.crt"] == Array(ConfigMapSecretTests.certificate.utf8))
    #expect(
      run(
        kubectl,
        "create secret docker-registry regcred --docker-server=r.example.com "
          + "--docker-username=u --docker-password=p<&> --docker-email=u@example.com"
      )
        == "secret/regcred created\n")
    let registry = try #require(cluster.store.secrets.get("default", "regcred"))
    #expect(registry.type == "kubernetes.io/dockerconfigjson")
    let config = String(decoding: registry.data[".dockerconfigjson"] ?? [], as: UTF8.self)
    #expect(
      config
        == #"{"auths":{"r.example.com":{"username":"u","password":"p\u003c\u0026\u003e","#
        + #""email":"u@example.com","auth":"dTpwPCY+"}}}"#)
  }

  @Test func dryRunPrintsTheManifestKubectlWouldSend() {
    let (cluster, kubectl) = setUp()
    #expect(
      run(kubectl, "create configmap app --from-literal=mode=dev --dry-run=client -o yaml")
        == "apiVersion: v1\ndata:\n  mode: dev\nkind: ConfigMap\nmetadata:\n"
        + "  creationTimestamp: null\n  name: app\n"
    )
    #expect(
      run(
        kubectl,
        "create secret generic s --from-literal=k=v --dry-run=client -o yaml -n kube-system")
        == "apiVersion: v1\ndata:\n  k: dg==\nkind: Secret\nmetadata:\n"
        + "  creationTimestamp: null\n  name: s\n  namespace: kube-system\n"
    )
    #expect(run(kubectl, "create cm app --dry-run=client") == "configmap/app created (dry run)\n")
    #expect(
      run(kubectl, "create cm app --dry-run=server") == "configmap/app created (server dry run)\n")
    #expect(cluster.store.configMaps.get("default", "app") == nil)
    #expect(run(kubectl, "create cm app -o name") == "configmap/app\n")
    #expect(
      run(kubectl, "create cm x -o wide").hasPrefix(
        "error: unable to match a printer suitable for the output format \"wide\""))
  }

  // MARK: - kubectl get and describe

  @Test func getListsDataCountsAndTypes() throws {
    let (cluster, kubectl) = setUp()
    try cluster.apply(
      configMap("app", data: ["a": "1", "b": "2"], extra: ["binaryData": ["c": "AA=="]]))
    try cluster.apply(secret("db", data: ["password": "cA=="]))
    cluster.advance(by: 90_000)
    #expect(run(kubectl, "get cm") == "NAME   DATA   AGE\napp    3      90s\n")
    #expect(
      run(kubectl, "get secrets") == "NAME   TYPE     DATA   AGE\ndb     Opaque   1      90s\n")
  }

  @Test func describeConfigMapShowsValuesAndBinarySizes() throws {
    let (cluster, kubectl) = setUp()
    try cluster.apply(
      configMap(
        "app", data: ["b.conf": "x=1\ny=2", "a": "one"],
        extra: [
          "binaryData": ["logo.png": "iVBORw=="],
          "metadata": ["name": "app", "labels": ["tier": "web"]],
        ]))
    #expect(
      run(kubectl, "describe configmap app") == """
        Name:         app
        Namespace:    default
        Labels:       tier=web
        Annotations:  <none>

        Data
        ====
        a:
        ----
        one

        b.conf:
        ----
        x=1
        y=2


        BinaryData
        ====
        logo.png: 4 bytes

        Events:  <none>

        """)
  }

  @Test func describeSecretShowsSizesNeverValues() throws {
    let (cluster, kubectl) = setUp()
    try cluster.apply(
      secret("db", extra: ["stringData": ["password": "s3cr3t!", "username": "admin"]]))
    let text = run(kubectl, "describe secret db")
    #expect(
      text == """
        Name:         db
        Namespace:    default
        Labels:       <none>
        Annotations:  <none>

        Type:  Opaque

        Data
        ====
        password:  7 bytes
        username:  5 bytes

        """)
    #expect(!text.contains("s3cr3t") && !text.contains("admin"))
  }
}
