import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the walk for the last change to a path ended.
public enum PathChange: Equatable, Sendable {
    /// The last commit that changed the path: what `git log -1 --format=%H TIP -- PATH` prints.
    case commit(Oid)
    /// The walk reached this commit of a shallow clone's boundary without finding the change: its
    /// parents are not in the repository, so whether it changed the path is unknown.
    case beyondShallowBoundary(Oid)
}

extension Repository {
    /// The last commit, as of `tip`, that changed `path` ("" for the whole tree), with git's
    /// default history simplification: a commit whose entry at `path` equals a parent's (TREESAME)
    /// is not shown and the walk follows the first such parent only; the first commit that equals
    /// no parent is the answer. A root commit counts as a change when it has the path. Only the
    /// entry ids at `path` are compared, so no diff is computed and one step costs a commit and a
    /// tree lookup. Nil when the path does not exist in the history.
    public func lastChange(of path: String, asOf tip: Oid) throws -> PathChange? {
        let boundary = Set(shallowBoundary().map(RawID.init))
        var current = try WalkedCommit(self, tip)
        var entry = try current.entry(at: path)
        walk: while true {
            if !boundary.isEmpty, boundary.contains(current.id) { return .beyondShallowBoundary(current.oid) }
            if current.parentCount == 0 { return entry == nil ? nil : .commit(current.oid) }
            for index in 0..<current.parentCount {
                guard let parent = try current.parent(index) else { return .beyondShallowBoundary(current.oid) }
                let parentEntry = parent.tree == current.tree ? entry : try parent.entry(at: path)
                if parentEntry == entry {
                    current = parent
                    entry = parentEntry
                    continue walk
                }
            }
            return .commit(current.oid)
        }
    }

    /// True when the repository is a shallow clone (it has a `shallow` file).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The commits listed in the repository's `shallow` file: git treats them as having no parents.
    func shallowBoundary() -> Set<Oid> {
        guard isShallow, let file = fopen(commonDirectory + "/shallow", "r") else { return [] }
        defer { fclose(file) }
        var result = Set<Oid>()
        var line = [CChar](repeating: 0, count: 128)
        while fgets(&line, Int32(line.count), file) != nil {
            let bytes = line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: "\n\r ")
            if let oid = Oid(hex: text) { result.insert(oid) }
        }
        return result
    }
}

/// A commit looked up for a history walk; frees its `git_commit` once. Ids stay raw bytes here,
/// so a step converts nothing to hex.
private final class WalkedCommit {
    let repository: Repository
    let pointer: OpaquePointer
    let id: RawID
    let tree: RawID

    convenience init(_ repository: Repository, _ oid: Oid) throws {
        var raw = oid.raw
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, repository.pointer, &raw), "cannot read commit \(oid.short)")
        self.init(repository, pointer: commit!)
    }

    private init(_ repository: Repository, pointer: OpaquePointer) {
        self.repository = repository
        self.pointer = pointer
        id = RawID(git_commit_id(pointer))
        tree = RawID(git_commit_tree_id(pointer))
    }

    deinit { git_commit_free(pointer) }

    var oid: Oid { Oid(git_commit_id(pointer).pointee) }

    var parentCount: Int { Int(git_commit_parentcount(pointer)) }

    /// The parent, or nil when it is not in the repository (beyond a shallow boundary).
    func parent(_ index: Int) throws -> WalkedCommit? {
        var raw: OpaquePointer?
        let rc = git_commit_parent(&raw, pointer, UInt32(index))
        if rc == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try GitError.check(rc, "cannot read parent \(index + 1) of commit \(oid.short)")
        return WalkedCommit(repository, pointer: raw!)
    }

    /// The id and mode of the entry at `path`; for "" the whole tree, nil when it is empty.
    func entry(at path: String) throws -> PathEntry? {
        if path.isEmpty { return tree == Self.emptyTree ? nil : PathEntry(id: tree, mode: GIT_FILEMODE_TREE.rawValue) }
        var root: OpaquePointer?
        try GitError.check(git_commit_tree(&root, pointer), "cannot read the tree of commit \(oid.short)")
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, root, path)
        if rc == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try GitError.check(rc, "cannot look up \(path) in commit \(oid.short)")
        defer { git_tree_entry_free(entry) }
        return PathEntry(id: RawID(git_tree_entry_id(entry)), mode: git_tree_entry_filemode(entry).rawValue)
    }

    static let emptyTree = RawID(Oid(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")!)
}

/// The 20 bytes of a SHA-1 object id, compared and hashed as three words.
private struct RawID: Hashable {
    let high: UInt64
    let middle: UInt64
    let low: UInt32

    init(_ oid: UnsafePointer<git_oid>) {
        let bytes = UnsafeRawPointer(oid)
        high = bytes.loadUnaligned(as: UInt64.self)
        middle = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        low = bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    init(_ oid: Oid) {
        var raw = oid.raw
        self = withUnsafePointer(to: &raw) { RawID($0) }
    }
}

private struct PathEntry: Equatable {
    let id: RawID
    let mode: UInt32
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        return String(result)
    }
}
