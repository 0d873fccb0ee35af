/// What Kelp knows of well-known images: the port their server listens on, whether their default
/// command is a shell (which exits at once without a terminal), and a plausible size. Images not
/// listed run a server forever with no known port.
enum ImageCatalog {
  struct Entry {
    var port: Int?
    var shell = false
    var sizeBytes: Int64 = 50_000_000
  }

  static let entries: [String: Entry] = [
    "nginx": Entry(port: 80, sizeBytes: 72_099_410),
    "httpd": Entry(port: 80, sizeBytes: 58_000_000),
    "caddy": Entry(port: 80, sizeBytes: 48_000_000),
    "redis": Entry(port: 6379, sizeBytes: 45_000_000),
    "memcached": Entry(port: 11211, sizeBytes: 32_000_000),
    "mysql": Entry(port: 3306, sizeBytes: 170_000_000),
    "mariadb": Entry(port: 3306, sizeBytes: 120_000_000),
    "postgres": Entry(port: 5432, sizeBytes: 150_000_000),
    "mongo": Entry(port: 27017, sizeBytes: 250_000_000),
    "rabbitmq": Entry(port: 5672, sizeBytes: 90_000_000),
    "tomcat": Entry(port: 8080, sizeBytes: 150_000_000),
    "jenkins": Entry(port: 8080, sizeBytes: 280_000_000),
    "echoserver": Entry(port: 8080, sizeBytes: 46_000_000),
    "agnhost": Entry(port: 80, sizeBytes: 51_000_000),
    "hello-app": Entry(port: 8080, sizeBytes: 10_000_000),
    "busybox": Entry(shell: true, sizeBytes: 2_155_536),
    "alpine": Entry(shell: true, sizeBytes: 3_623_807),
    "ubuntu": Entry(shell: true, sizeBytes: 29_754_422),
    "debian": Entry(shell: true, sizeBytes: 48_494_272),
    "centos": Entry(shell: true, sizeBytes: 79_000_000),
    "fedora": Entry(shell: true, sizeBytes: 60_000_000),
    "python": Entry(shell: true, sizeBytes: 370_000_000),
    "perl": Entry(shell: true, sizeBytes: 330_000_000),
  ]

  static func entry(for image: String) -> Entry {
    entries[ImageReference(image).shortName] ?? Entry()
  }
}
