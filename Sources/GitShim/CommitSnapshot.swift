import CLibGit2
import GitFiles

/// The tree of one commit, read through libgit2.
public final class CommitSnapshot: Snapshot, @unchecked Sendable {
    public let repository: Repository
    public let commit: Commit
    private let root: Tree

    public init(repository: Repository, commit: Commit) throws {
        self.repository = repository
        self.commit = commit
        self.root = try Tree(repository: repository, oid: commit.tree)
    }

    public var label: String { "commit \(commit.oid.short)" }

    public func entries(under directory: String) throws -> [SnapshotEntry] {
        var result = [SnapshotEntry]()
        if directory.isEmpty {
            try walk(root, prefix: [], into: &result, withSizes: true)
        } else {
            guard let entry = try root.entry(atPath: directory), entry.isTree else { return [] }
            try walk(Tree(repository: repository, oid: entry.oid), prefix: Array(directory.utf8),
                     into: &result, withSizes: true)
        }
        return result.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    public func entry(at path: String) throws -> SnapshotEntry? {
        guard !path.isEmpty, let entry = try root.entry(atPath: path), !entry.isTree,
              let kind = EntryKind(mode: entry.mode) else { return nil }
        let size = kind == .submodule ? 0 : try repository.blobSize(entry.oid)
        return SnapshotEntry(path: path, kind: kind, oid: entry.oid, size: size)
    }

    public func directories(containing name: String) throws -> [String] {
        try directories(containing: name, under: "")
    }

    /// Directories at or below `directory` that directly contain a file called `name`, sorted;
    /// only that subtree is read.
    public func directories(containing name: String, under directory: String) throws -> [String] {
        guard let tree = try treeID(at: directory) else { return [] }
        var result = [String]()
        try findDirectories(Tree(repository: repository, oid: tree), prefix: directory, name: Array(name.utf8), into: &result)
        return result.sorted()
    }

    /// The id of the tree at `directory` ("" for the root), or nil when there is no such directory.
    /// Equal ids mean equal content, so a directory that did not change is recognised without reading it.
    public func treeID(at directory: String) throws -> Oid? {
        if directory.isEmpty { return commit.tree }
        guard let entry = try root.entry(atPath: directory), entry.isTree else { return nil }
        return entry.oid
    }

    /// The id and kind of the file at `path` without reading its size, or nil when there is none.
    public func unsizedEntry(at path: String) throws -> SnapshotEntry? {
        guard !path.isEmpty, let entry = try root.entry(atPath: path), !entry.isTree,
              let kind = EntryKind(mode: entry.mode) else { return nil }
        return SnapshotEntry(path: path, kind: kind, oid: entry.oid, size: -1)
    }

    /// The entries at or below `directory`, in path order, without sizes (-1).
    public func unsizedEntries(under directory: String) throws -> [SnapshotEntry] {
        guard let tree = try treeID(at: directory) else { return [] }
        var result = [SnapshotEntry]()
        try walk(Tree(repository: repository, oid: tree), prefix: Array(directory.utf8), into: &result, withSizes: false)
        return result.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    public func contents(of entry: SnapshotEntry) throws -> [UInt8] {
        try repository.blobContents(entry.oid)
    }

    public func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] {
        try repository.blobPrefix(entry.oid, maxBytes: maxBytes)
    }

    private func walk(_ tree: Tree, prefix: [UInt8], into result: inout [SnapshotEntry], withSizes: Bool) throws {
        for child in tree.entries {
            let pathBytes = prefix.isEmpty ? child.name : prefix + [UInt8(ascii: "/")] + child.name
            if child.isTree {
                try walk(Tree(repository: repository, oid: child.oid), prefix: pathBytes, into: &result, withSizes: withSizes)
                continue
            }
            guard let kind = EntryKind(mode: child.mode) else { continue }
            let (path, valid) = decodePath(pathBytes)
            let size = kind == .submodule || !withSizes ? 0 : try repository.blobSize(child.oid)
            result.append(SnapshotEntry(path: path, pathIsUTF8: valid, kind: kind, oid: child.oid, size: size))
        }
    }

    private func findDirectories(_ tree: Tree, prefix: String, name: [UInt8], into result: inout [String]) throws {
        for child in tree.entries {
            if child.isTree {
                let (childName, _) = decodePath(child.name)
                try findDirectories(Tree(repository: repository, oid: child.oid),
                                    prefix: joinPath(prefix, childName), name: name, into: &result)
            } else if child.name == name, EntryKind(mode: child.mode) != .submodule {
                result.append(prefix)
            }
        }
    }
}
