import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index git is about to commit: `$GIT_INDEX_FILE` when set (as during `git commit <paths>`
/// or `git commit -a`), otherwise the repository's own index. Conflicted (stage > 0) entries are skipped.
///
/// Entries are read from libgit2's sorted index on demand, so a question about one directory
/// costs a binary search and that directory's entries, not a String per entry of a large index.
public final class IndexSnapshot: Snapshot, @unchecked Sendable {
    public let repository: Repository
    private let pointer: OpaquePointer
    /// The index file read.
    public let path: String
    private let ignoresCase: Bool

    /// Opens `indexFile` when given, else `$GIT_INDEX_FILE`, else the repository's index.
    public init(repository: Repository, indexFile: String? = nil) throws {
        self.repository = repository
        let chosen = indexFile ?? ProcessInfoLite.environment("GIT_INDEX_FILE").flatMap { $0.isEmpty ? nil : $0 }
        var raw: OpaquePointer?
        if let chosen {
            let absolute = chosen.hasPrefix("/") ? chosen : "\(ProcessInfoLite.currentDirectory())/\(chosen)"
            try GitError.check(git_index_open(&raw, absolute), "cannot open the index \(absolute)")
            path = absolute
        } else {
            try GitError.check(git_repository_index(&raw, repository.pointer), "cannot open the repository's index")
            path = "\(repository.gitDirectory)/index"
        }
        pointer = raw!
        ignoresCase = git_index_caps(pointer) & Int32(GIT_INDEX_CAPABILITY_IGNORE_CASE.rawValue) != 0
    }

    deinit { git_index_free(pointer) }

    public var label: String { "the index" }

    /// Every entry of the index, without sizes (-1); use `entries(under:)` for sizes.
    public var allPaths: [SnapshotEntry] { unsizedEntries(under: "") }

    /// The entries at or below `directory`, in path order, without sizes (-1).
    public func unsizedEntries(under directory: String) -> [SnapshotEntry] {
        var result = [SnapshotEntry]()
        forEachEntry(under: directory) { entry, bytes in
            guard let kind = EntryKind(mode: entry.mode) else { return }
            let (entryPath, valid) = decodePath(Array(bytes))
            result.append(SnapshotEntry(path: entryPath, pathIsUTF8: valid, kind: kind, oid: Oid(entry.id), size: -1))
        }
        return ignoresCase ? result.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) } : result
    }

    public func entries(under directory: String) throws -> [SnapshotEntry] {
        try unsizedEntries(under: directory).map(withSize)
    }

    public func entry(at path: String) throws -> SnapshotEntry? {
        guard !path.isEmpty, let found = git_index_get_bypath(pointer, path, 0)?.pointee,
              let kind = EntryKind(mode: found.mode) else { return nil }
        // A case-insensitive index finds "A.ts" for "a.ts"; only the exact path counts.
        guard strcmp(found.path, path) == 0 else { return nil }
        return try withSize(SnapshotEntry(path: path, kind: kind, oid: Oid(found.id), size: -1))
    }

    public func directories(containing name: String) throws -> [String] {
        let suffix = Array(("/" + name).utf8)
        var result = [String]()
        for index in 0..<git_index_entrycount(pointer) {
            guard let entry = git_index_get_byindex(pointer, index)?.pointee,
                  entry.flags >> 12 & 0x3 == 0, entry.mode != 0o160000 else { continue }
            let length = strlen(entry.path)
            let bytes = UnsafeRawBufferPointer(start: entry.path, count: length)
            if length == suffix.count - 1, bytes.elementsEqual(suffix.dropFirst()) {
                result.append("")
            } else if length > suffix.count, bytes[(length - suffix.count)...].elementsEqual(suffix) {
                result.append(decodePath(Array(bytes[..<(length - suffix.count)])).0)
            }
        }
        return Array(Set(result)).sorted()
    }

    public func contents(of entry: SnapshotEntry) throws -> [UInt8] {
        try repository.blobContents(entry.oid)
    }

    public func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] {
        try repository.blobPrefix(entry.oid, maxBytes: maxBytes)
    }

    /// Calls `body` with every stage-0 entry at or below `directory` and its path bytes. The index is
    /// sorted by path, so the entries below "a/b/" are one run found by binary search.
    private func forEachEntry(under directory: String, _ body: (git_index_entry, UnsafeRawBufferPointer) -> Void) {
        let prefix = directory.isEmpty ? [] : Array((directory + "/").utf8)
        let count = git_index_entrycount(pointer)
        var position = 0
        if !prefix.isEmpty {
            guard git_index_find_prefix(&position, pointer, directory + "/") == 0 else {
                git_error_clear()
                return
            }
        }
        while position < count {
            defer { position += 1 }
            guard let entry = git_index_get_byindex(pointer, position)?.pointee else { continue }
            let bytes = UnsafeRawBufferPointer(start: entry.path, count: strlen(entry.path))
            if !bytes.starts(with: prefix) {
                // Case-folded order may interleave "WF/" with "wf/": keep going while the fold matches.
                if ignoresCase, bytes.count >= prefix.count,
                   zip(bytes.prefix(prefix.count), prefix).allSatisfy({ lowered($0) == lowered($1) }) { continue }
                break
            }
            // Stage bits (12-13) are non-zero for conflicted entries.
            guard entry.flags >> 12 & 0x3 == 0 else { continue }
            body(entry, bytes)
        }
    }

    private func lowered(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    private func withSize(_ entry: SnapshotEntry) throws -> SnapshotEntry {
        let size = entry.kind == .submodule ? 0 : try repository.blobSize(entry.oid)
        return SnapshotEntry(path: entry.path, pathIsUTF8: entry.pathIsUTF8, kind: entry.kind, oid: entry.oid, size: size)
    }
}
