import CLibGit2
import GitFiles

/// Which files under a directory count for `Repository.lastChange(of:asOf:selecting:)`: the caller's
/// rule (the bundle's, for the restart stamp), asked per path relative to the directory.
public struct PathSelection: Sendable {
    /// Whether the walk looks inside the subdirectory at this relative path.
    public let enters: @Sendable (String) -> Bool
    /// Whether the file at this relative path counts.
    public let includes: @Sendable (String) -> Bool
    /// A subdirectory holding a file of this name is not entered (a nested workflow is its own).
    public let stopsAtDirectoriesHolding: String?

    public init(enters: @escaping @Sendable (String) -> Bool, includes: @escaping @Sendable (String) -> Bool,
                stopsAtDirectoriesHolding: String? = nil) {
        self.enters = enters
        self.includes = includes
        self.stopsAtDirectoriesHolding = stopsAtDirectoriesHolding
    }
}

extension Repository {
    /// The last commit, as of `tip`, that changed the selected files under `directory` ("" for the
    /// root): their paths, ids and modes. The walk is `lastChange(of:asOf:)`'s, git's default
    /// simplification, with TREESAME meaning "the same selected files": a commit that changed only
    /// files the selection leaves out (a README beside workflow.yaml) is passed over. A directory
    /// whose tree id equals the parent's is equal without being read. Nil when the directory never
    /// held a selected file.
    public func lastChange(of directory: String, asOf tip: Oid, selecting selection: PathSelection) throws -> PathChange? {
        var states = SelectedStates(repository: self, directory: directory, selection: selection)
        let boundary = shallowBoundary()
        var current = try resolveCommit(tip.hex)
        var state = try states.state(of: current.tree)
        walk: while true {
            if boundary.contains(current.oid) { return .beyondShallowBoundary(current.oid) }
            if current.parents.isEmpty { return state.isEmpty ? nil : .commit(current.oid) }
            for parentID in current.parents {
                guard let parent = try? resolveCommit(parentID.hex) else { return .beyondShallowBoundary(current.oid) }
                let parentState = try states.state(of: parent.tree)
                if parentState == state {
                    current = parent
                    state = parentState
                    continue walk
                }
            }
            return .commit(current.oid)
        }
    }
}

/// One selected file: its path relative to the directory, id and mode.
private struct SelectedFile: Equatable {
    let path: [UInt8]
    let oid: Oid
    let mode: UInt32
}

/// The selected files of a root tree, with each subtree read once per id: a commit that changed
/// only a README beside `nodes/` reads the directory's tree and takes `nodes/` from the cache.
private struct SelectedStates {
    /// A subtree at a place: the same tree under another path selects other paths.
    struct Subtree: Hashable {
        let oid: Oid
        let prefix: [UInt8]
    }

    let repository: Repository
    let directory: String
    let selection: PathSelection
    var bySubtree = [Subtree: [SelectedFile]]()

    init(repository: Repository, directory: String, selection: PathSelection) {
        self.repository = repository
        self.directory = directory
        self.selection = selection
    }

    mutating func state(of rootTree: Oid) throws -> [SelectedFile] {
        if directory.isEmpty { return try files(in: Subtree(oid: rootTree, prefix: [])) ?? [] }
        guard let entry = try Tree(repository: repository, oid: rootTree).entry(atPath: directory), entry.isTree else { return [] }
        return try files(in: Subtree(oid: entry.oid, prefix: [])) ?? []
    }

    /// The selected files under `subtree`, in tree order; nil for a subdirectory the selection
    /// stops at (it holds a `stopsAtDirectoriesHolding` file).
    private mutating func files(in subtree: Subtree) throws -> [SelectedFile]? {
        if let known = bySubtree[subtree] { return known }
        let entries = try Tree(repository: repository, oid: subtree.oid).entries
        if !subtree.prefix.isEmpty, let stop = selection.stopsAtDirectoriesHolding.map({ Array($0.utf8) }),
           entries.contains(where: { !$0.isTree && $0.name == stop }) {
            return nil
        }
        var files = [SelectedFile]()
        for entry in entries {
            let path = subtree.prefix.isEmpty ? entry.name : subtree.prefix + [UInt8(ascii: "/")] + entry.name
            let relative = String(decoding: path, as: UTF8.self)
            if entry.isTree {
                guard selection.enters(relative) else { continue }
                files += try self.files(in: Subtree(oid: entry.oid, prefix: path)) ?? []
            } else if selection.includes(relative) {
                files.append(SelectedFile(path: path, oid: entry.oid, mode: entry.mode))
            }
        }
        bySubtree[subtree] = files
        return files
    }
}
