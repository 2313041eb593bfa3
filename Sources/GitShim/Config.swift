import CLibGit2

/// A read-only snapshot of a repository's git configuration (system, global, local and worktree
/// files, as libgit2 layers them). Owns its `git_config` and frees it once.
public final class Config: @unchecked Sendable {
    private let pointer: OpaquePointer

    init(repository: Repository) throws {
        var raw: OpaquePointer?
        try GitError.check(git_repository_config_snapshot(&raw, repository.pointer), "cannot read the git configuration")
        pointer = raw!
    }

    deinit { git_config_free(pointer) }

    /// The value of `key` (`section.name`), or nil when it is not set; the last setting wins, as with `git config --get`.
    public func string(_ key: String) throws -> String? {
        var value: UnsafePointer<CChar>?
        let rc = git_config_get_string(&value, pointer, key)
        if rc == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(rc, "cannot read git config \(key)")
        return value.map { String(cString: $0) }
    }
}

extension Repository {
    /// The repository's configuration as it is now.
    public func config() throws -> Config {
        try Config(repository: self)
    }

    /// The directory shared by all worktrees (`.git` of the main worktree); equals `gitDirectory` outside linked worktrees.
    public var commonDirectory: String {
        let path = String(cString: git_repository_commondir(pointer))
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// True when the object database holds `oid`.
    public func contains(_ oid: Oid) -> Bool {
        var raw = oid.raw
        return (try? withODB { git_odb_exists($0, &raw) == 1 }) ?? false
    }
}
