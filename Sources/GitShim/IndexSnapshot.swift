import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index git is about to commit: `$GIT_INDEX_FILE` when set (as during `git commit <paths>`
/// or `git commit -a`), otherwise the repository's own index. Conflicted (stage > 0) entries are skipped.
public final class IndexSnapshot: Snapshot, @unchecked Sendable {
    public let repository: Repository
    private let pointer: OpaquePointer
    /// The index file read.
    public let path: String
    private let files: [SnapshotEntry]

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
        var entries = [SnapshotEntry]()
        let count = git_index_entrycount(pointer)
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_index_get_byindex(pointer, index)?.pointee else { continue }
            // Stage bits (12-13) are non-zero for conflicted entries.
            guard (entry.flags >> 12) & 0x3 == 0, let kind = EntryKind(mode: entry.mode) else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: entry.path, count: strlen(entry.path)))
            let (entryPath, valid) = decodePath(bytes)
            entries.append(SnapshotEntry(path: entryPath, pathIsUTF8: valid, kind: kind, oid: Oid(entry.id), size: -1))
        }
        files = entries
    }

    deinit { git_index_free(pointer) }

    public var label: String { "the index" }

    /// Every entry of the index, without sizes (-1); use `entries(under:)` for sizes.
    public var allPaths: [SnapshotEntry] { files }

    public func entries(under directory: String) throws -> [SnapshotEntry] {
        let prefix = directory.isEmpty ? "" : directory + "/"
        return try files
            .filter { prefix.isEmpty || $0.path.hasPrefix(prefix) }
            .map(withSize)
            .sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    public func entry(at path: String) throws -> SnapshotEntry? {
        guard let found = files.first(where: { $0.path == path }) else { return nil }
        return try withSize(found)
    }

    public func directories(containing name: String) throws -> [String] {
        var result = Set<String>()
        for file in files where file.name == name[...] && file.kind != .submodule {
            let dir = file.path.count == name.count ? "" : String(file.path.dropLast(name.count + 1))
            result.insert(dir)
        }
        return result.sorted()
    }

    public func contents(of entry: SnapshotEntry) throws -> [UInt8] {
        try repository.blobContents(entry.oid)
    }

    public func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] {
        try repository.blobPrefix(entry.oid, maxBytes: maxBytes)
    }

    private func withSize(_ entry: SnapshotEntry) throws -> SnapshotEntry {
        let size = entry.kind == .submodule ? 0 : try repository.blobSize(entry.oid)
        return SnapshotEntry(path: entry.path, pathIsUTF8: entry.pathIsUTF8, kind: entry.kind, oid: entry.oid, size: size)
    }
}
