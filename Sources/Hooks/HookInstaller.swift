import Foundation
import GitShim

/// Installs and removes pipedreamer's hook shims in the directory git actually runs hooks from.
public enum HookInstaller {
    /// What an install or uninstall did, one line per hook.
    public struct Report: Sendable {
        public let directory: String
        public let lines: [String]
    }

    /// `core.hooksPath` when set (a relative path is taken from where git runs hooks: the top of
    /// the working tree, or the bare repository), otherwise `hooks/` of the repository's common
    /// directory, which linked worktrees share.
    public static func hooksDirectory(of repository: Repository) throws -> String {
        guard let configured = try repository.config().string("core.hooksPath"), !configured.isEmpty else {
            return repository.commonDirectory + "/hooks"
        }
        var path = configured
        if path == "~" || path.hasPrefix("~/") {
            path = (ProcessInfo.processInfo.environment["HOME"] ?? "") + path.dropFirst()
        }
        if !path.hasPrefix("/") { path = (repository.workingDirectory ?? repository.gitDirectory) + "/" + path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Installs the client hooks (pre-commit, pre-merge-commit, pre-push), or with `server` the post-receive hook.
    /// A hook pipedreamer installed before is replaced; any other hook there is refused, unless
    /// `chain` keeps it (renamed with `.pipedreamer-chained`) to run before pipedreamer's.
    public static func install(in repository: Repository, server: Bool, binary: String?, chain: Bool) throws -> Report {
        if repository.isBare && !server {
            throw HookError("\(repository.gitDirectory) is a bare repository: pre-commit and pre-push never run there; use --server to install post-receive")
        }
        if let binary, !binary.isEmpty, !binary.hasPrefix("/") {
            throw HookError(relativeBinaryMessage(binary))
        }
        let directory = try hooksDirectory(of: repository)
        let hooks = server ? HookName.server : HookName.client
        let files = FileManager.default

        // Decide for every hook before writing any, so a refusal leaves everything as it was.
        var foreign = [HookName]()
        for hook in hooks {
            let path = "\(directory)/\(hook.rawValue)"
            guard let text = existingHook(at: path), !HookShim.isShim(text) else { continue }
            if files.fileExists(atPath: path + HookShim.chainedSuffix) {
                throw HookError("\(path) is not pipedreamer's, and \(hook.rawValue)\(HookShim.chainedSuffix) is already kept beside it; merge the two by hand, then run install-hooks again")
            }
            foreign.append(hook)
        }
        if !foreign.isEmpty && !chain {
            let names = foreign.map(\.rawValue).joined(separator: ", ")
            throw HookError("\(directory) already has \(names) hook\(foreign.count == 1 ? "" : "s") not installed by pipedreamer; nothing was changed. Run again with --chain to keep \(foreign.count == 1 ? "it" : "them") (renamed to <name>\(HookShim.chainedSuffix)) and run \(foreign.count == 1 ? "it" : "them") before pipedreamer's check, or move \(foreign.count == 1 ? "it" : "them") away")
        }

        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lines = [String]()
        for hook in hooks {
            let path = "\(directory)/\(hook.rawValue)"
            let script = HookShim.script(for: hook, binary: binary)
            var note = ""
            if foreign.contains(hook) {
                try files.moveItem(atPath: path, toPath: path + HookShim.chainedSuffix)
                note = "; the hook that was there is kept as \(hook.rawValue)\(HookShim.chainedSuffix) and runs first"
            }
            let previous = existingHook(at: path)
            if previous == script {
                lines.append("\(hook.rawValue): already installed")
                continue
            }
            try writeExecutable(script, to: path)
            lines.append("\(hook.rawValue): \(previous == nil ? "installed" : "updated")\(note)")
        }
        return Report(directory: directory, lines: lines)
    }

    /// Removes the hooks pipedreamer installed (and puts back any hook they had chained);
    /// hooks that are not pipedreamer's are left alone. A copy of pipedreamer's hook that the
    /// pre-commit framework kept as `<name>.legacy` (its own hook runs that copy) is removed too.
    public static func uninstall(from repository: Repository) throws -> Report {
        let directory = try hooksDirectory(of: repository)
        let files = FileManager.default
        var lines = [String]()
        for hook in HookName.allCases {
            let path = "\(directory)/\(hook.rawValue)"
            if let legacy = existingHook(at: path + legacySuffix), HookShim.isShim(legacy) {
                try files.removeItem(atPath: path + legacySuffix)
                lines.append("\(hook.rawValue)\(legacySuffix): removed (the copy of pipedreamer's hook that `pre-commit install` kept)")
            }
            guard let text = existingHook(at: path) else { continue }
            guard HookShim.isShim(text) else {
                lines.append("\(hook.rawValue): left alone (not installed by pipedreamer)")
                continue
            }
            try files.removeItem(atPath: path)
            if files.fileExists(atPath: path + HookShim.chainedSuffix) {
                try files.moveItem(atPath: path + HookShim.chainedSuffix, toPath: path)
                lines.append("\(hook.rawValue): removed; the hook it chained is back in place")
            } else {
                lines.append("\(hook.rawValue): removed")
            }
        }
        if lines.isEmpty { lines.append("no pipedreamer hooks here") }
        return Report(directory: directory, lines: lines)
    }

    /// Why a relative `--binary` is refused: git runs hooks at the top of the working tree, so it
    /// would name a file a commit can hold.
    public static func relativeBinaryMessage(_ binary: String) -> String {
        "--binary '\(binary)' is a relative path; git runs hooks from the top of the working tree, where it would run a file the repository holds: pass an absolute path (or an empty value to use PATH)"
    }

    /// Where `pre-commit install` (the pre-commit framework) moves a hook it replaces.
    static let legacySuffix = ".legacy"

    private static func existingHook(at path: String) -> String? {
        guard FileManager.default.fileExists(atPath: path), let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes beside the target and renames, so git never runs a half-written hook.
    private static func writeExecutable(_ text: String, to path: String) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/." + (path as NSString).lastPathComponent + ".pipedreamer-new"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw HookError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
