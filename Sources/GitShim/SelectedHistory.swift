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

/// The selected files of a root tree, with each subtree read once per id.
private struct SelectedStates {
    let repository: Repository
    let directory: String
    let selection: PathSelection
    var byTree = [Oid: [SelectedFile]]()

    init(repository: Repository, directory: String, selection: PathSelection) {
        self.repository = repository
        self.directory = directory
        self.selection = selection
    }

    mutating func state(of rootTree: Oid) throws -> [SelectedFile] {
        let tree: Oid
        if directory.isEmpty {
            tree = rootTree
        } else {
            guard let entry = try Tree(repository: repository, oid: rootTree).entry(atPath: directory), entry.isTree else { return [] }
            tree = entry.oid
        }
        if let known = byTree[tree] { return known }
        var files = [SelectedFile]()
        try collect(tree, prefix: [], into: &files)
        byTree[tree] = files
        return files
    }

    private func collect(_ oid: Oid, prefix: [UInt8], into files: inout [SelectedFile]) throws {
        let entries = try Tree(repository: repository, oid: oid).entries
        for entry in entries {
            let path = prefix.isEmpty ? entry.name : prefix + [UInt8(ascii: "/")] + entry.name
            let relative = String(decoding: path, as: UTF8.self)
            if entry.isTree {
                guard selection.enters(relative) else { continue }
                if let stop = selection.stopsAtDirectoriesHolding,
                   try Tree(repository: repository, oid: entry.oid).entry(atPath: stop).map({ !$0.isTree }) == true { continue }
                try collect(entry.oid, prefix: path, into: &files)
            } else if selection.includes(relative) {
                files.append(SelectedFile(path: path, oid: entry.oid, mode: entry.mode))
            }
        }
    }
}
