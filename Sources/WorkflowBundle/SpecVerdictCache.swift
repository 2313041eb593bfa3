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
/// first entry removes the entries of builds that wrote none for two weeks.
public struct SpecVerdictCache: Sendable {
    static let format = "pipedreamer spec verdict 1"
    /// Builds whose directory has not changed for this long are removed (seconds).
    static let staleAfter = 14 * 24 * 3600
    public let directory: String

    /// The cache for the pipedreamer binary at `executable`; nil without a cache directory or when
    /// the binary has no build ID.
    public init?(executable: String, environment: (String) -> String?) {
        let base: String
        if let xdg = environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment("HOME"), home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        guard let build = BuildID.read(executable) else { return nil }
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

    /// Removes the entries of other builds that wrote none for `staleAfter` (each directory holds
    /// files only), so two installed builds used side by side keep theirs.
    private func removeSiblings() {
        guard let slash = directory.lastIndex(of: "/") else { return }
        let parent = String(directory[..<slash])
        let own = String(directory[directory.index(after: slash)...])
        let now = time(nil)
        for name in directoryNames(parent) where name != own {
            let sibling = parent + "/" + name
            var status = stat()
            guard stat(sibling, &status) == 0 else { continue }
            #if canImport(Glibc)
            let modified = Int(status.st_mtim.tv_sec)
            #else
            let modified = Int(status.st_mtimespec.tv_sec)
            #endif
            guard Int(now) - modified > Self.staleAfter else { continue }
            for file in directoryNames(sibling) { unlink(sibling + "/" + file) }
            rmdir(sibling)
        }
    }
}

/// The GNU build ID of an ELF executable: the `NT_GNU_BUILD_ID` note of a `PT_NOTE` segment, as
/// hex. Nil for anything else (another format, no such note, a file that cannot be read).
enum BuildID {
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        func bytes(at offset: Int, count: Int) -> [UInt8]? {
            guard offset >= 0, count >= 0, count <= 1 << 20 else { return nil }
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            return got == count ? buffer : nil
        }
        func little(_ data: [UInt8], _ at: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) }
        }
        // 64-bit little-endian ELF (x86-64 and arm64 Linux), the only form this tool is built in.
        guard let header = bytes(at: 0, count: 64), header.starts(with: [0x7f, 0x45, 0x4c, 0x46]),
              header[4] == 2, header[5] == 1 else { return nil }
        let tableOffset = little(header, 0x20, 8), entrySize = little(header, 0x36, 2), count = little(header, 0x38, 2)
        guard entrySize >= 56, count > 0, count < 256,
              let table = bytes(at: tableOffset, count: entrySize * count) else { return nil }
        for index in 0..<count {
            let entry = index * entrySize
            guard little(table, entry, 4) == 4 else { continue }  // PT_NOTE
            guard let notes = bytes(at: little(table, entry + 8, 8), count: min(little(table, entry + 32, 8), 1 << 16)) else { continue }
            var cursor = 0
            while cursor + 12 <= notes.count {
                let nameSize = little(notes, cursor, 4), descSize = little(notes, cursor + 4, 4), type = little(notes, cursor + 8, 4)
                let name = cursor + 12, desc = name + (nameSize + 3) & ~3
                let next = desc + (descSize + 3) & ~3
                guard next <= notes.count, next > cursor else { break }
                if type == 3, nameSize == 4, notes[name..<(name + 4)].elementsEqual([0x47, 0x4e, 0x55, 0]), descSize >= 8 {
                    let digits = Array("0123456789abcdef".utf8)
                    return String(decoding: notes[desc..<(desc + descSize)].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] },
                                  as: UTF8.self)
                }
                cursor = next
            }
        }
        return nil
    }
}
