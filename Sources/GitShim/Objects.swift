import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A looked-up blob; keeps its repository alive and frees the `git_blob` once.
final class Blob {
    let repository: Repository
    let pointer: OpaquePointer

    init(repository: Repository, oid: Oid) throws {
        var raw = oid.raw
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, repository.pointer, &raw), "cannot read blob \(oid.short)")
        self.repository = repository
        self.pointer = blob!
    }

    deinit { git_blob_free(pointer) }

    func bytes() -> [UInt8] {
        let size = Int(git_blob_rawsize(pointer))
        guard size > 0, let content = git_blob_rawcontent(pointer) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }
}

/// A looked-up tree; keeps its repository alive and frees the `git_tree` once.
final class Tree {
    let repository: Repository
    let pointer: OpaquePointer
    let oid: Oid

    init(repository: Repository, oid: Oid) throws {
        var raw = oid.raw
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, repository.pointer, &raw), "cannot read tree \(oid.short)")
        self.repository = repository
        self.pointer = tree!
        self.oid = oid
    }

    deinit { git_tree_free(pointer) }

    struct Entry {
        let name: [UInt8]
        let oid: Oid
        let mode: UInt32
        let isTree: Bool
    }

    var entries: [Entry] {
        let count = git_tree_entrycount(pointer)
        var result = [Entry]()
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(pointer, index) else { continue }
            let name = Array(UnsafeRawBufferPointer(start: git_tree_entry_name(entry),
                                                    count: strlen(git_tree_entry_name(entry))))
            let mode = git_tree_entry_filemode(entry).rawValue
            result.append(Entry(name: name, oid: Oid(git_tree_entry_id(entry).pointee),
                                mode: mode, isTree: mode == GIT_FILEMODE_TREE.rawValue))
        }
        return result
    }

    /// The entry at a '/'-separated path below this tree, or nil when there is none. libgit2 finds a
    /// name by binary search, so of duplicate entries (a tree git fsck refuses) it returns any one:
    /// `TreeNames` refuses such trees before their content is used.
    func entry(atPath path: String) throws -> Entry? {
        var raw: OpaquePointer?
        let rc = git_tree_entry_bypath(&raw, pointer, path)
        if rc == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try GitError.check(rc, "cannot look up \(path)")
        defer { git_tree_entry_free(raw) }
        let mode = git_tree_entry_filemode(raw).rawValue
        let name = Array(path.utf8.split(separator: UInt8(ascii: "/")).last ?? [])
        return Entry(name: name, oid: Oid(git_tree_entry_id(raw).pointee), mode: mode,
                     isTree: mode == GIT_FILEMODE_TREE.rawValue)
    }
}
