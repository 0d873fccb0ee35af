/// The simulated image registry: images pull at 50 MB/s after a one-second round trip. Every
/// image outside Docker Hub's `library` namespace exists; inside it only the Docker official
/// images do, so a typo (`ngnix`) or a placeholder (`example-image`) fails as on a real cluster.
/// `break-image` makes any image fail.
public final class ImageRegistry {
  private(set) var broken: Set<String> = []

  public func breakImage(_ image: String) { broken.insert(image) }
  public func fixImage(_ image: String) { broken.remove(image) }
  /// Extra pull time of images made slow (`slow-image`).
  private var slowness: [String: Millis] = [:]
  public func slowImage(_ image: String, by extra: Millis) {
    slowness[image] = extra > 0 ? extra : nil
  }

  /// What the runtime reports of an image, worked out once per image name.
  struct Facts {
    var sizeBytes: Int64
    var name: String
    var id: String
  }
  private var facts: [String: Facts] = [:]

  func facts(_ image: String) -> Facts {
    if let known = facts[image] { return known }
    let reference = ImageReference(image)
    let name = reference.fullyQualified
    let digest = (0..<4).map { hexDigits((name + String($0)).hashValueStable, width: 16) }.joined()
    let found = Facts(
      sizeBytes: ImageCatalog.entry(for: image).sizeBytes, name: name,
      id: reference.repositoryWithRegistry + "@sha256:" + digest)
    facts[image] = found
    return found
  }

  func size(_ image: String) -> Int64 { facts(image).sizeBytes }

  /// A pull of an image the node already has only checks the digest (imagePullPolicy Always).
  func pullTime(_ image: String, cached: Bool = false) -> Millis {
    (cached ? 400 : 1_000 + size(image) / 50_000) + (slowness[image] ?? 0)
  }

  /// The runtime's error for a pull that fails, or nil.
  func pullFailure(_ image: String) -> String? {
    let reference = ImageReference(image)
    let full = reference.fullyQualified
    let library = "docker.io/library/"
    if full.hasPrefix(library),
      !ImageRegistry.officialImages.contains(reference.repositoryWithRegistry.dropFirst(library.count).description)
    {
      return "rpc error: code = Unknown desc = failed to pull and unpack image \"\(full)\": "
        + "failed to resolve reference \"\(full)\": pull access denied, repository does not exist "
        + "or may require authorization: server message: insufficient_scope: authorization failed"
    }
    guard broken.contains(image) else { return nil }
    let name = ImageReference(image).fullyQualified
    return "rpc error: code = NotFound desc = failed to pull and unpack image \"\(name)\": "
      + "failed to resolve reference \"\(name)\": \(name): not found"
  }

  /// Docker Hub's official images (the `library` namespace), the common ones.
  static let officialImages: Set<String> = [
    "adminer", "alpine", "amazoncorretto", "amazonlinux", "arangodb", "bash", "bonita", "buildpack-deps",
    "busybox", "caddy", "cassandra", "centos", "chronograf", "clojure", "composer", "consul",
    "couchbase", "couchdb", "crate", "debian", "docker", "drupal", "eclipse-mosquitto",
    "eclipse-temurin", "elasticsearch", "elixir", "erlang", "fedora", "flink", "fluentd", "gcc",
    "ghost", "golang", "gradle", "groovy", "haproxy", "haskell", "hello-world", "httpd", "hylang",
    "ibmjava", "influxdb", "irssi", "jetty", "joomla", "jruby", "julia", "kapacitor", "kibana",
    "kong", "krakend", "mariadb", "matomo", "maven", "memcached", "mongo", "mongo-express", "mono",
    "mysql", "nats", "neo4j", "nextcloud", "nginx", "node", "odoo", "openjdk", "oraclelinux",
    "orientdb", "perl", "photon", "php", "phpmyadmin", "plone", "postfixadmin", "postgres",
    "pypy", "python", "r-base", "rabbitmq", "redis", "redmine", "registry", "rethinkdb",
    "rockylinux", "ruby", "rust", "sapmachine", "solr", "sonarqube", "spark", "swift", "telegraf",
    "tomcat", "traefik", "ubuntu", "varnish", "wordpress", "xwiki", "zookeeper", "almalinux",
    "archlinux", "opensuse", "clearlinux", "storm", "yourls", "znc", "nats-streaming",
    "percona", "postgis", "logstash", "api-firewall", "emqx", "geonetwork", "liquibase",
    "mediawiki", "convertigo", "friendica", "lightstreamer", "silverpeas", "teamspeak",
  ]
}
