import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index git is about to commit: `$GIT_INDEX_FILE` when set (as during `git commit <paths>`
/// or `git commit -a`), otherwise the repository's own index. Conflicted (stage > 0) and
/// intent-to-add entries are skipped, as git leaves them out of the commit.
///
/// The index file is read in one pass (see `IndexFile`), and a question about one directory costs
/// a binary search and that directory's entries, not a String per entry of a large index. A split
/// index is merged with its shared index; a sparse index's directory entries are expanded from
/// their trees, so every question has the answer a plain index would give.
public final class IndexSnapshot: Snapshot, @unchecked Sendable {
    public let repository: Repository
    /// The index file read.
    public let path: String
    private let file: IndexFile?

    /// Opens `indexFile` when given, else `$GIT_INDEX_FILE`, else the repository's index.
    public init(repository: Repository, indexFile: String? = nil) throws {
        self.repository = repository
        let chosen = indexFile ?? ProcessInfoLite.environment("GIT_INDEX_FILE").flatMap { $0.isEmpty ? nil : $0 }
        if let chosen {
            path = chosen.hasPrefix("/") ? chosen : "\(ProcessInfoLite.currentDirectory())/\(chosen)"
        } else {
            path = "\(repository.gitDirectory)/index"
        }
        guard access(path, F_OK) == 0 else {
            // A repository where nothing was ever staged has no index file yet.
            if chosen == nil { file = nil; return }
            throw GitError(.notFound, "cannot open the index \(path): no such file")
        }
        do {
            let read = try IndexFile(path: path, gitDirectory: repository.gitDirectory)
            file = read.hasSparseDirectories ? try Self.expand(read, repository: repository) : read
        } catch IndexFile.Failure.unreadable(let reason) {
            throw GitError(.notFound, "cannot open the index \(path): \(reason)")
        } catch IndexFile.Failure.malformed(let reason) {
            throw GitError(.invalidIndex, "cannot read the index \(path): \(reason); `git status` may repair it")
        } catch IndexFile.Failure.unsupported(let what) {
            throw GitError(.invalidIndex, "the index \(path) is in \(what), which pipedreamer cannot read; `git update-index --index-version 4` rewrites it in a form it reads")
        }
    }

    /// The index with every sparse directory entry replaced by the files of its tree, as
    /// `git ls-files` lists them (a sparse directory is always at stage 0).
    private static func expand(_ file: IndexFile, repository: Repository) throws -> IndexFile {
        var result = IndexFile()
        func walk(_ tree: Oid, prefix: [UInt8]) throws {
            for child in try Tree(repository: repository, oid: tree).entries {
                let path = prefix + child.name
                if child.isTree {
                    try walk(child.oid, prefix: path + [UInt8(ascii: "/")])
                } else {
                    result.append(path: path, mode: child.mode, oid: child.oid.rawBytes, stage: 0, extendedFlags: 0x4000)
                }
            }
        }
        for entry in file.entries {
            if entry.isSparseDirectory {
                try walk(file.oid(of: entry), prefix: Array(file.path(of: entry)))
            } else {
                result.append(entry, from: file)
            }
        }
        return result.sorted()
    }

    public var label: String { "the index" }

    /// Every entry of the index, without sizes (-1); use `entries(under:)` for sizes.
    public var allPaths: [SnapshotEntry] { unsizedEntries(under: "") }

    /// The entries at or below `directory`, in path order, without sizes (-1).
    public func unsizedEntries(under directory: String) -> [SnapshotEntry] {
        file?.unsizedEntries(under: directory) ?? []
    }

    public func entries(under directory: String) throws -> [SnapshotEntry] {
        try unsizedEntries(under: directory).map(withSize)
    }

    public func entry(at path: String) throws -> SnapshotEntry? {
        try file?.unsizedEntry(at: path).map(withSize)
    }

    /// Throws when such a directory has a component git fsck refuses (`..`, `.git`, an empty name).
    public func directories(containing name: String) throws -> [String] {
        let found = file?.directories(containing: name) ?? []
        try TreeNames.requireCleanWorkflowDirectories(found, in: label)
        return found
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
