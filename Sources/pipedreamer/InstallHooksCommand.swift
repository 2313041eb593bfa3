import ArgumentParser
import Foundation
import GitShim
import Hooks

struct InstallHooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hooks",
        abstract: "Install pipedreamer's git hooks in a repository.",
        discussion: """
        Installs pre-commit, pre-merge-commit (which `git merge` runs instead of pre-commit) and \
        pre-push (or, with --server, post-receive) into the directory git \
        runs hooks from: core.hooksPath when set, otherwise hooks/ of the repository (shared by its \
        linked worktrees). Each hook is a small shell script that runs `pipedreamer hook <name>`, \
        finding the binary through $PIPEDREAMER_BIN, else the path recorded here, else PATH; only \
        absolute paths are used (a relative one would name a file of the repository). A hook \
        that is not pipedreamer's is never overwritten: install-hooks refuses, or with --chain keeps \
        it as <name>.pipedreamer-chained and runs it first. Running it again updates pipedreamer's hooks.
        """
    )

    @Option(name: [.customShort("C"), .customLong("repo")],
            help: ArgumentHelp("The repository (any directory inside it, or a bare repository). (default: the current directory)",
                               valueName: "dir"))
    var repository: String?

    @Flag(help: "Install the server hook (post-receive) instead of the client hooks (pre-commit, pre-merge-commit, pre-push).")
    var server = false

    @Flag(help: "Keep existing hooks that are not pipedreamer's and run them before pipedreamer's. (default: refuse)")
    var chain = false

    @Option(help: ArgumentHelp("The pipedreamer binary the hooks run, as an absolute path; an empty value records none, so PATH's absolute directories are searched. (default: this pipedreamer, \(ownPath))",
                               valueName: "path"))
    var binary: String?

    func validate() throws {
        if let binary, !binary.isEmpty, !binary.hasPrefix("/") {
            throw ValidationError(HookInstaller.relativeBinaryMessage(binary))
        }
    }

    func run() throws {
        let report = try mapErrors {
            let repo = try repository.map(Repository.open(containing:)) ?? Repository.openFromEnvironment()
            return try HookInstaller.install(in: repo, server: server, binary: binary ?? ownPath, chain: chain)
        }
        let recorded = binary ?? ownPath
        print("hooks in \(report.directory) (running \(recorded.isEmpty ? "pipedreamer from PATH" : recorded)):")
        for line in report.lines { print("  " + line) }
    }

    /// The path this pipedreamer was started as, made absolute (symlinks kept, so upgrades in place
    /// still work). PATH's empty and relative entries are skipped, as the hooks skip them; without
    /// an absolute one, the running executable itself.
    static var ownPath: String {
        let invoked = CommandLine.arguments[0]
        if invoked.hasPrefix("/") { return invoked }
        if invoked.contains("/") {
            return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(invoked).standardizedFileURL.path
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(invoked)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    }

    private var ownPath: String { Self.ownPath }
}

struct UninstallHooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall-hooks",
        abstract: "Remove the git hooks pipedreamer installed.",
        discussion: """
        Removes pre-commit, pre-merge-commit, pre-push and post-receive where pipedreamer installed \
        them, putting back any hook they had chained; hooks that are not pipedreamer's are left alone. \
        A copy of pipedreamer's hook that `pre-commit install` (the pre-commit framework) kept as \
        <name>.legacy is removed too.
        """
    )

    @Option(name: [.customShort("C"), .customLong("repo")],
            help: ArgumentHelp("The repository (any directory inside it, or a bare repository). (default: the current directory)",
                               valueName: "dir"))
    var repository: String?

    func run() throws {
        let report = try mapErrors {
            let repo = try repository.map(Repository.open(containing:)) ?? Repository.openFromEnvironment()
            return try HookInstaller.uninstall(from: repo)
        }
        print("hooks in \(report.directory):")
        for line in report.lines { print("  " + line) }
    }
}
