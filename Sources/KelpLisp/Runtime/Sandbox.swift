#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which files a program may read and write. `kelp` runs scripts sandboxed: a script reads only
/// under its own folder and the folders given with `--allow-read`, and writes only under those
/// given with `--allow-write`; `--trust` lifts both. Every file access of the interpreter and
/// of the builtins (`load`, `apply-yaml`, `kubectl apply -f`, `export-manifests`) asks here
/// first. (No builtin starts a process or opens a socket, sandboxed or not.)
///
/// Paths are compared after resolving `..` and symbolic links, so neither leads out.
public struct Sandbox: Sendable, Equatable {
  /// Folders (and files) a program may read under; nil for anywhere.
  public private(set) var readable: [String]?
  /// Folders a program may write under; nil for anywhere.
  public private(set) var writable: [String]?

  /// No restriction: the embedding API's default, and `kelp --trust`.
  public static let unrestricted = Sandbox(readable: nil, writable: nil)

  public init(readable: [String]?, writable: [String]?) {
    self.readable = readable.map { $0.map(Sandbox.canonical) }
    // What a program may write it may read back.
    self.writable = writable.map { $0.map(Sandbox.canonical) }
    if let writable = self.writable, self.readable != nil { self.readable! += writable }
  }

  /// Throws unless the program may read `path` (absolute, or relative to the working folder).
  public func checkRead(_ path: String, by name: String) throws(LispError) {
    guard let readable else { return }
    let target = Sandbox.canonical(path)
    guard !readable.contains(where: { Sandbox.isInside(target, $0) }) else { return }
    throw LispError(
      .permission,
      "\(name): reading \(target) is not allowed: a script reads only under its own folder and "
        + "the paths given with --allow-read (here: \(readable.joined(separator: ", ")))",
      hint: "run kelp with --allow-read \(Sandbox.isFolder(target) ? target : Sandbox.folder(of: target)), or --trust to lift the sandbox")
  }

  /// Throws unless the program may write `path`.
  public func checkWrite(_ path: String, by name: String) throws(LispError) {
    guard let writable else { return }
    let target = Sandbox.canonical(path)
    guard !writable.contains(where: { Sandbox.isInside(target, $0) }) else { return }
    let allowed = writable.isEmpty ? "nowhere" : "only under " + writable.joined(separator: ", ")
    throw LispError(
      .permission,
      "\(name): writing \(target) is not allowed: a script writes \(allowed) unless --allow-write names a folder",
      hint: "run kelp with --allow-write \(target), or --trust to lift the sandbox")
  }

  static func isInside(_ path: String, _ folder: String) -> Bool {
    path == folder || folder == "/" || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  static func isFolder(_ path: String) -> Bool {
    var information = stat()
    return stat(path, &information) == 0 && (information.st_mode & S_IFMT) == S_IFDIR
  }

  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  /// The absolute path with `.`, `..` and symbolic links resolved as far as it exists; the part
  /// that does not exist yet is appended, normalised.
  public static func canonical(_ path: String) -> String {
    var absolute = path
    if !absolute.hasPrefix("/") {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
      absolute = cwd + "/" + absolute
    }
    var components: [String] = []
    for part in absolute.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": _ = components.popLast()
      default: components.append(String(part))
      }
    }
    // Resolve links on the longest prefix that exists.
    var existing = components.count
    while existing > 0 {
      let prefix = "/" + components[..<existing].joined(separator: "/")
      if let resolved = realpath(prefix, nil) {
        defer { free(resolved) }
        let rest = components[existing...]
        let base = String(cString: resolved)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
      }
      existing -= 1
    }
    return "/" + components.joined(separator: "/")
  }
}
