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
    /// Throws, naming git fsck's rule, when such a directory is reached through a tree entry fsck
    /// refuses (`..`, `a/b`, `.git`, duplicates): it is never handed on as a workflow.
    public func directories(containing name: String, under directory: String) throws -> [String] {
        guard let tree = try treeID(at: directory) else { return [] }
        var result = [String]()
        try findDirectories(Tree(repository: repository, oid: tree), prefix: directory, name: Array(name.utf8),
                            fault: nil, into: &result)
        result.sort()
        try TreeNames.requireCleanWorkflowDirectories(result, in: label)
        return result
    }

    public func treeFaults(under directory: String, entries: [SnapshotEntry]) throws -> [TreeFault] {
        var faults = [TreeFault]()
        // The way there: each component's name, and whether its parent tree holds that name twice.
        var tree = root
        var path = [UInt8]()
        for component in directory.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            where !directory.isEmpty {
            let name = Array(component)
            let siblings = tree.entries
            path = path.isEmpty ? name : path + [UInt8(ascii: "/")] + name
            if let rule = TreeNames.rule(forName: name) { faults.append(TreeFault(path: path, rule: rule)) }
            let matches = siblings.filter { $0.name == name }
            if matches.count > 1 { faults.append(TreeFault(path: path, rule: .duplicateEntries)) }
            guard let next = matches.first(where: \.isTree) else { return faults }
            tree = try Tree(repository: repository, oid: next.oid)
        }
        if let id = try treeID(at: directory), id != tree.oid { tree = try Tree(repository: repository, oid: id) }
        try collectFaults(tree, at: Array(directory.utf8), into: &faults)
        return faults
    }

    private func collectFaults(_ tree: Tree, at path: [UInt8], into faults: inout [TreeFault]) throws {
        let children = tree.entries
        faults += TreeNames.faults(inTree: children.map(\.name), at: path)
        for child in children where child.isTree {
            let childPath = path.isEmpty ? child.name : path + [UInt8(ascii: "/")] + child.name
            try collectFaults(Tree(repository: repository, oid: child.oid), at: childPath, into: &faults)
        }
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

    /// `fault` is the first refused name on the way to `tree`: a workflow found below it is refused,
    /// since its path as a String (`a/b` for a tree named `a/b`) would no longer show the fault.
    private func findDirectories(_ tree: Tree, prefix: String, name: [UInt8], fault: TreeFault?,
                                 into result: inout [String]) throws {
        // A second workflow.yaml in one tree is the bundle's fault to report, not a second workflow.
        var found = false
        for child in tree.entries {
            if child.isTree {
                let (childName, _) = decodePath(child.name)
                let childPath = joinPath(prefix, childName)
                let childFault = fault ?? TreeNames.rule(forName: child.name).map { TreeFault(path: Array(childPath.utf8), rule: $0) }
                try findDirectories(Tree(repository: repository, oid: child.oid),
                                    prefix: childPath, name: name, fault: childFault, into: &result)
            } else if child.name == name, EntryKind(mode: child.mode) != .submodule, !found {
                if let fault { throw TreeNames.refusal(fault, directory: prefix, in: label) }
                result.append(prefix)
                found = true
            }
        }
    }
}
