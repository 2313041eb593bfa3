#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitFiles

/// workflow.yaml verdicts that the full check found clean (it parsed, with no error and no
/// warning), so the pre-commit fast path can pass a commit that changes node files without
/// parsing YAML. Reading a spec is a pure function of its bytes and its path under one build of
/// pipedreamer, so an entry is keyed by all three: the blob id, the path, and the identity of the
/// binary that read it (device, inode, size and modification time: any rebuild or reinstall
/// starts afresh). An entry holds the node files the spec names, which the fast path requires
/// to be in the bundle, as the full check does.
///
/// Entries live in `$XDG_CACHE_HOME/pipedreamer/spec-verdicts/<binary>/` (else
/// `~/.cache/pipedreamer/...`), never in the repository. A missing or unreadable entry only
/// sends the commit to the full check; deleting the directory is always safe. Writing a new
/// binary's first entry removes the entries of binaries that no longer exist at the same path.
public struct SpecVerdictCache: Sendable {
    static let format = "pipedreamer spec verdict 1"
    public let directory: String

    /// The cache for the pipedreamer binary at `executable`; nil without a cache directory or when
    /// the binary cannot be examined.
    public init?(executable: String, environment: (String) -> String?) {
        let base: String
        if let xdg = environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment("HOME"), home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        var status = stat()
        guard stat(executable, &status) == 0 else { return nil }
        #if canImport(Glibc)
        let modified = "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        #else
        let modified = "\(status.st_mtimespec.tv_sec).\(status.st_mtimespec.tv_nsec)"
        #endif
        directory = "\(base)/pipedreamer/spec-verdicts/\(status.st_dev)-\(status.st_ino)-\(status.st_size)-\(modified)"
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
    /// `path`, or nil when this binary never found it clean.
    public func nodePaths(blob: Oid, path: String) -> [String]? {
        guard let bytes = FileBytes.contents(of: entryPath(blob: blob, path: path)) else { return nil }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(Self.format), lines.last == "" else { return nil }
        lines.removeFirst()
        lines.removeLast()
        guard lines.first == Substring(path) else { return nil }
        return lines.dropFirst().map(String.init)
    }

    /// Records that the spec `blob` at `path` is clean and names `nodePaths`. Best effort: a cache
    /// that cannot be written only makes the next commit take the full check.
    public func record(blob: Oid, path: String, nodePaths: [String]) {
        guard !([path] + nodePaths).contains(where: { $0.contains("\n") || $0.contains("\0") }) else { return }
        if access(directory, F_OK) != 0 {
            guard makeDirectories(directory) else { return }
            removeSiblings()
        }
        let text = ([Self.format, path] + nodePaths).joined(separator: "\n") + "\n"
        let final = entryPath(blob: blob, path: path)
        let temporary = "\(final).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        if written == bytes.count, rename(temporary, final) == 0 { return }
        unlink(temporary)
    }

    private func entryPath(blob: Oid, path: String) -> String {
        // FNV-1a of the path keeps the file name short and free of '/'; the path itself is stored
        // in the entry and compared, so a collision only misses.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return "\(directory)/\(blob.hex)-\(String(repeating: "0", count: 16 - digits.count))\(digits)"
    }

    private func makeDirectories(_ path: String) -> Bool {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    /// Removes the entries of other binaries (each directory holds files only).
    private func removeSiblings() {
        guard let slash = directory.lastIndex(of: "/") else { return }
        let parent = String(directory[..<slash])
        let own = String(directory[directory.index(after: slash)...])
        for name in Self.names(in: parent) where name != own {
            let sibling = parent + "/" + name
            for file in Self.names(in: sibling) { unlink(sibling + "/" + file) }
            rmdir(sibling)
        }
    }

    private static func names(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var result = [String]()
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { result.append(name) }
        }
        return result
    }
}
