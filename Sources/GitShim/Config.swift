import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only snapshot of a repository's git configuration, layered as git layers it (later wins):
/// the system file, the global files, the repository's `config`, its `config.worktree` (when
/// `extensions.worktreeConfig` is on), then `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>` and
/// `GIT_CONFIG_PARAMETERS` (`git -c`). Files are read by libgit2 with their includes; the
/// environment's settings, which libgit2 does not read, are layered on top here.
/// Owns its `git_config` and frees it once.
public final class Config: @unchecked Sendable {
    private let pointer: OpaquePointer
    private let parameters: ConfigParameters

    init(repository: Repository, environment: @escaping (String) -> String? = ProcessInfoLite.environment) throws {
        var raw: OpaquePointer?
        try GitError.check(git_config_new(&raw), "cannot read the git configuration")
        let live = raw!
        defer { git_config_free(live) }
        for (path, level) in Self.files(of: repository, environment: environment) {
            try GitError.check(git_config_add_file_ondisk(live, path, level, repository.pointer, 0),
                               "cannot read the git configuration file \(path)")
        }
        // config.worktree counts only when the repository's own files turn extensions.worktreeConfig on.
        var enabled: Int32 = 0
        if git_config_get_bool(&enabled, live, "extensions.worktreeconfig") == 0, enabled != 0 {
            let path = repository.gitDirectory + "/config.worktree"
            if Self.isFile(path) {
                try GitError.check(git_config_add_file_ondisk(live, path, GIT_CONFIG_LEVEL_APP, repository.pointer, 0),
                                   "cannot read the git configuration file \(path)")
            }
        }
        git_error_clear()
        var snapshot: OpaquePointer?
        try GitError.check(git_config_snapshot(&snapshot, live), "cannot read the git configuration")
        pointer = snapshot!
        parameters = try ConfigParameters(environment: environment)
    }

    deinit { git_config_free(pointer) }

    /// The value of `key` (`section.name`), or nil when it is not set; the last setting wins, as with `git config --get`.
    public func string(_ key: String) throws -> String? {
        let canonical = try ConfigParameters.canonical(key, source: "the key")
        if let value = parameters.last(canonical) { return value ?? "" }
        var value: UnsafePointer<CChar>?
        let rc = git_config_get_string(&value, pointer, canonical)
        if rc == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(rc, "cannot read git config \(key)")
        return value.map { String(cString: $0) }
    }

    /// Every value of a multi-valued `key`, in the order git lists them (`git config --get-all`).
    public func strings(_ key: String) throws -> [String] {
        let canonical = try ConfigParameters.canonical(key, source: "the key")
        var iterator: OpaquePointer?
        var result = [String]()
        let rc = git_config_multivar_iterator_new(&iterator, pointer, canonical, nil)
        if rc == 0, let iterator {
            defer { git_config_iterator_free(iterator) }
            var entry: UnsafeMutablePointer<git_config_entry>?
            while git_config_next(&entry, iterator) == 0, let entry {
                result.append(entry.pointee.value.map { String(cString: $0) } ?? "")
            }
        }
        git_error_clear()
        return result + parameters.all(canonical).map { $0 ?? "" }
    }

    /// Every `section.<subsection>.name` setting as (subsection, value), in git's order: for
    /// example each remote's URL with `subsections(of: "remote", named: "url")`.
    public func subsections(of section: String, named name: String) throws -> [(subsection: String, value: String)] {
        let (section, name) = (section.lowercased(), name.lowercased())
        func split(_ key: String) -> String? {
            guard key.hasPrefix(section + "."), key.hasSuffix("." + name), key.count > section.count + name.count + 2 else { return nil }
            return String(key.dropFirst(section.count + 1).dropLast(name.count + 1))
        }
        var result = [(subsection: String, value: String)]()
        var iterator: OpaquePointer?
        if git_config_iterator_glob_new(&iterator, pointer, "^\(section)\\..*\\.\(name)$") == 0, let iterator {
            defer { git_config_iterator_free(iterator) }
            var entry: UnsafeMutablePointer<git_config_entry>?
            while git_config_next(&entry, iterator) == 0, let entry {
                if let key = split(String(cString: entry.pointee.name)) {
                    result.append((key, entry.pointee.value.map { String(cString: $0) } ?? ""))
                }
            }
        }
        git_error_clear()
        for setting in parameters.settings { if let key = split(setting.key) { result.append((key, setting.value ?? "")) } }
        return result
    }

    /// `key` as git reads a boolean (`true`/`yes`/`on`/a non-zero number, `false`/`no`/`off`/`0`/empty;
    /// a key without `=` is true); nil when not set.
    public func bool(_ key: String) throws -> Bool? {
        let canonical = try ConfigParameters.canonical(key, source: "the key")
        if let value = parameters.last(canonical), value == nil { return true }
        if parameters.last(canonical) == nil {
            // A file's `[section] name` line without `=` is true; libgit2 gives its entry no value.
            var entry: UnsafeMutablePointer<git_config_entry>?
            let rc = git_config_get_entry(&entry, pointer, canonical)
            defer { git_config_entry_free(entry) }
            if rc == GIT_ENOTFOUND.rawValue {
                git_error_clear()
                return nil
            }
            try GitError.check(rc, "cannot read git config \(key)")
            if let entry, entry.pointee.value == nil { return true }
        }
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off", "": return false
        default:
            if let number = Int(text) { return number != 0 }
            throw GitError(.notFound, "git config \(key) is '\(text)', not a boolean: set true or false")
        }
    }

    /// The files git reads, lowest precedence first, with libgit2's level for each; missing files are skipped.
    static func files(of repository: Repository, environment: (String) -> String?) -> [(String, git_config_level_t)] {
        var result = [(String, git_config_level_t)]()
        func add(_ path: String?, _ level: git_config_level_t) {
            if let path, !path.isEmpty, isFile(path) { result.append((path, level)) }
        }
        let truthy = ["1", "true", "yes", "on"]
        if !truthy.contains((environment("GIT_CONFIG_NOSYSTEM") ?? "").lowercased()) {
            add(environment("GIT_CONFIG_SYSTEM") ?? "/etc/gitconfig", GIT_CONFIG_LEVEL_SYSTEM)
        }
        let home = environment("HOME")
        if let global = environment("GIT_CONFIG_GLOBAL") {
            add(global, GIT_CONFIG_LEVEL_GLOBAL)
        } else {
            let xdg = environment("XDG_CONFIG_HOME").flatMap { $0.isEmpty ? nil : $0 } ?? home.map { $0 + "/.config" }
            add(xdg.map { $0 + "/git/config" }, GIT_CONFIG_LEVEL_XDG)
            add(home.map { $0 + "/.gitconfig" }, GIT_CONFIG_LEVEL_GLOBAL)
        }
        add(repository.commonDirectory + "/config", GIT_CONFIG_LEVEL_LOCAL)
        return result
    }

    /// A regular file (so `/dev/null`, git's way of saying "no file", reads as none).
    static func isFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}

extension Repository {
    /// The repository's configuration as it is now, read as git reads it.
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
