
/// The bounds every snapshot reader keeps, so the hook's reader (`ObjectFiles`) and libgit2's
/// (`Repository`) give one verdict for the same object.
public enum SnapshotLimits {
    /// A packed delta is resolved whole to read its prefix; one whose result is larger than this is
    /// not read, and its prefix is empty (`CodeBundle` then refuses it under nodes/, since it
    /// cannot be shown to be text). Memory never follows a large blob.
    public static let maxWholeReadForPrefix = 16 << 20
}

/// What kind of thing a path in a snapshot is.
public enum EntryKind: String, Sendable, Hashable {
    case file
    case executable
    case symlink
    /// A gitlink: a submodule's commit recorded in the tree.
    case submodule

    package init?(mode: UInt32) {
        switch mode {
        case 0o100644, 0o100664: self = .file
        case 0o100755: self = .executable
        case 0o120000: self = .symlink
        case 0o160000: self = .submodule
        default: return nil
        }
    }
}

/// One non-directory entry of a snapshot.
public struct SnapshotEntry: Sendable, Hashable {
    /// Path from the repository root, '/'-separated. Bytes that are not UTF-8 are replaced (see `pathIsUTF8`).
    public let path: String
    /// False when git stores this path as bytes that are not valid UTF-8.
    public let pathIsUTF8: Bool
    public let kind: EntryKind
    public let oid: Oid
    /// Content size in bytes, from the object header (0 for submodules).
    public let size: Int

    public init(path: String, pathIsUTF8: Bool = true, kind: EntryKind, oid: Oid, size: Int) {
        self.path = path
        self.pathIsUTF8 = pathIsUTF8
        self.kind = kind
        self.oid = oid
        self.size = size
    }

    /// The last path component.
    public var name: Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }
}

/// A read-only view of a set of files: a commit's tree or a git index. Everything deployed is
/// read through this, never from the working copy.
public protocol Snapshot: Sendable {
    /// Says what this snapshot is, for messages: `commit 1a2b3c4d5e6f` or `the index`.
    var label: String { get }

    /// Every non-directory entry at or below `directory` ("" for the root), sorted by path bytes.
    /// Sizes are read from object headers; no content is loaded.
    func entries(under directory: String) throws -> [SnapshotEntry]

    /// The entry at `path`, or nil when there is none (directories are not entries).
    func entry(at path: String) throws -> SnapshotEntry?

    /// Directories ("" for the root) that directly contain a file called `name`, sorted.
    func directories(containing name: String) throws -> [String]

    /// The whole content of an entry.
    func contents(of entry: SnapshotEntry) throws -> [UInt8]

    /// At most `maxBytes` leading bytes of an entry's content, read without loading the rest; empty
    /// for a packed delta over `SnapshotLimits.maxWholeReadForPrefix`, which cannot be read in part.
    func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8]

    /// The tree entries git fsck would refuse (`TreeNames`) on the way to `directory` and in every
    /// tree at or below it; `entries` is what `entries(under: directory)` returned. Nothing outside
    /// that path and directory is judged, so a broken tree elsewhere concerns no workflow.
    func treeFaults(under directory: String, entries: [SnapshotEntry]) throws -> [TreeFault]
}

extension Snapshot {
    /// For a snapshot of flat paths (an index): the faults a tree written from them would hold,
    /// and a file standing where a directory on the way to `directory` is.
    public func treeFaults(under directory: String, entries: [SnapshotEntry]) throws -> [TreeFault] {
        var faults = TreeNames.faults(inPaths: entries.map { Array($0.path.utf8) })
        if let fault = TreeNames.fault(inComponentsOf: directory) { faults.append(fault) }
        var ancestor = ""
        for component in directory.split(separator: "/", omittingEmptySubsequences: false) where !directory.isEmpty {
            ancestor = joinPath(ancestor, String(component))
            if try entry(at: ancestor) != nil { faults.append(TreeFault(path: Array(ancestor.utf8), rule: .duplicateEntries)) }
        }
        return faults
    }

    /// The content of the file at `path` as text, or nil when there is no such file.
    public func text(at path: String) throws -> String? {
        guard let entry = try entry(at: path), entry.kind == .file || entry.kind == .executable else { return nil }
        return String(decoding: try contents(of: entry), as: UTF8.self)
    }
}
