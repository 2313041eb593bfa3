#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitFiles

/// workflow.yaml verdicts that the full check found clean (it parsed, with no error and no
/// warning), so the pre-commit fast path can pass a commit that changes node files without
/// parsing YAML. Reading a spec is a pure function of its bytes and its path under one build of
/// pipedreamer, so an entry is keyed by all three: the blob id, the path, and the build: the
/// binary's GNU build ID (the linker's hash of the linked program, which `file` and `readelf -n`
/// show), so a rebuilt or upgraded binary starts afresh however it was installed, and the same
/// build at two paths shares its entries. A binary without a build ID gets no cache. An entry
/// holds the node files the spec names, which the fast path requires to be in the bundle, as the
/// full check does.
///
/// Entries live in `$XDG_CACHE_HOME/pipedreamer/spec-verdicts/<build>/` (else
/// `~/.cache/pipedreamer/...`), never in the repository. A missing or unreadable entry only
/// sends the commit to the full check; deleting the directory is always safe. Writing a build's
/// first entry removes the entries of builds that wrote none for two weeks. Directories are made
/// 0700 and entries 0600; a level the user does not own, or that group or others may write, turns
/// the cache off rather than be trusted (`PrivateDirectory`).
public struct SpecVerdictCache: Sendable {
    static let format = "pipedreamer spec verdict 1"
    /// Builds whose directory has not changed for this long are removed (seconds).
    static let staleAfter = 14 * 24 * 3600
    public let directory: String

    /// The cache's base (`$XDG_CACHE_HOME`, else `~/.cache`) and the levels below it the cache
    /// makes and checks (`pipedreamer`, `spec-verdicts`, the build).
    let base: String
    let levels: [String]

    /// The cache for the pipedreamer binary at `executable`; nil without a cache directory or when
    /// the binary has no build ID.
    public init?(executable: String, environment: (String) -> String?) {
        if let xdg = environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment("HOME"), home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        guard let build = BuildID.read(executable) else { return nil }
        levels = ["pipedreamer", "spec-verdicts", build]
        directory = "\(base)/pipedreamer/spec-verdicts/\(build)"
    }

    /// The running binary's cache (Linux: `/proc/self/exe`).
    public static func forRunningBinary(environment: (String) -> String?) -> SpecVerdictCache? {
        #if os(Linux)
        return SpecVerdictCache(executable: "/proc/self/exe", environment: environment)
        #else
        return nil
        #endif
    }

    /// The node paths (normalised, relative to the workflow directory) of the clean spec `blob` at
    /// `path`, or nil when this binary never found it clean. Only an entry the user owns, in
    /// directories only the user can change, is believed (`PrivateDirectory`).
    public func nodePaths(blob: Oid, path: String) -> [String]? {
        guard let directory = PrivateDirectory.open(base: base, components: levels, create: false),
              let bytes = directory.contents(of: entryName(blob: blob, path: path), limit: Self.entryLimit) else { return nil }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(Self.format), lines.last == "" else { return nil }
        lines.removeFirst()
        lines.removeLast()
        guard lines.first == Substring(path) else { return nil }
        return lines.dropFirst().map(String.init)
    }

    /// Records that the spec `blob` at `path` is clean and names `nodePaths`. Best effort: a cache
    /// that cannot be written, or whose directories the user does not control, only makes the next
    /// commit take the full check.
    public func record(blob: Oid, path: String, nodePaths: [String]) {
        guard !([path] + nodePaths).contains(where: { $0.contains("\n") || $0.contains("\0") }) else { return }
        let text = ([Self.format, path] + nodePaths).joined(separator: "\n") + "\n"
        guard text.utf8.count <= Self.entryLimit,
              let directory = PrivateDirectory.open(base: base, components: levels, create: true) else { return }
        if directory.created, let builds = PrivateDirectory.open(base: base, components: Array(levels.dropLast()), create: false) {
            removeStale(in: builds, keeping: levels[levels.count - 1])
        }
        _ = directory.replace(entryName(blob: blob, path: path), with: Array(text.utf8))
    }

    /// An entry's largest size: a spec path and the node paths it names.
    static let entryLimit = 1 << 20

    private func entryName(blob: Oid, path: String) -> String {
        // FNV-1a of the path keeps the file name short and free of '/'; the path itself is stored
        // in the entry and compared, so a collision only misses.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return "\(blob.hex)-\(String(repeating: "0", count: 16 - digits.count))\(digits)"
    }

    /// Removes the directories of other builds that wrote nothing for `staleAfter`: only what the
    /// cache itself makes (a build ID's directory the user owns, holding entries and temporary
    /// files), by descriptor and without following a link, so two installed builds used side by
    /// side keep theirs and nothing planted there is followed.
    private func removeStale(in builds: PrivateDirectory, keeping own: String) {
        let now = Int(time(nil))
        for name in builds.names() where name != own && Self.isHex(name) {
            guard let status = builds.status(of: name), status.st_mode & S_IFMT == S_IFDIR,
                  now - Self.modified(status) > Self.staleAfter,
                  let build = builds.subdirectory(name) else { continue }
            for file in build.names() where Self.isCacheFileName(file) {
                guard let entry = build.status(of: file), entry.st_mode & S_IFMT == S_IFREG, entry.st_uid == geteuid() else { continue }
                unlinkat(build.descriptor, file, 0)
            }
            // Fails, leaving it, when anything the cache did not make is left inside.
            unlinkat(builds.descriptor, name, AT_REMOVEDIR)
        }
    }

    private static func modified(_ status: stat) -> Int {
        #if canImport(Glibc)
        return Int(status.st_mtim.tv_sec)
        #else
        return Int(status.st_mtimespec.tv_sec)
        #endif
    }

    /// An entry's name (`<object id>-<16 hex digits>`) or one `PrivateDirectory.replace` writes.
    static func isCacheFileName(_ name: String) -> Bool {
        if name.hasPrefix(PrivateDirectory.temporaryPrefix) { return isHex(String(name.dropFirst(PrivateDirectory.temporaryPrefix.count))) }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[1].count == 16 && isHex(String(parts[0])) && isHex(String(parts[1]))
    }

    private static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
