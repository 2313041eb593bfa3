import Foundation
import Testing
import TestSupport

/// The size limit reaches the hooks from every source git reads configuration from; for each,
/// `git config --get` in the same environment is the oracle of what the hook must see.
@Suite struct HookConfigSourceTests {
    static let message = "  ✗ workflow code exceeds ConfigMap size limit (1KB): total size is "

    /// A workflow whose staged change puts it over 1k but well under the default limit.
    func staged() throws -> HookedRepository {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/fetch.ts", HookedRepository.text(bytes: 2048))
        try repository.fixture.git(["add", "-A"])
        return repository
    }

    func run(_ repository: HookedRepository, _ arguments: [String], environment: [String: String] = [:]) throws -> Command.Result {
        try Command.run("/usr/bin/env", ["git"] + arguments, in: repository.path,
                        environment: GitFixture.environment.merging(environment) { $1 })
    }

    func expectOneK(_ repository: HookedRepository, prefix: [String] = [], environment: [String: String] = [:]) throws {
        let oracle = try run(repository, prefix + ["config", "--get", "pipedreamer.maxCodeBytes"], environment: environment)
        #expect(oracle.stdoutText == "1k\n")
        let before = try RepositoryState(repository)
        let commit = try run(repository, prefix + ["commit", "-q", "-m", "x"], environment: environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText.contains(Self.message), "\(commit.stderrText)")
        #expect(try RepositoryState(repository) == before)
        // Without the setting the same commit passes.
        #expect(try run(repository, ["commit", "-q", "-m", "x"]).status == 0)
    }

    @Test func gitDashC() throws {
        try expectOneK(try staged(), prefix: ["-c", "PipeDreamer.MaxCodeBytes=1k"])
    }

    @Test func gitConfigCount() throws {
        try expectOneK(try staged(), environment: ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "pipedreamer.maxCodeBytes",
                                                   "GIT_CONFIG_VALUE_0": "1k"])
    }

    @Test func configWorktree() throws {
        let repository = try staged()
        try repository.fixture.git(["config", "extensions.worktreeConfig", "true"])
        try repository.fixture.git(["config", "--worktree", "pipedreamer.maxCodeBytes", "1k"])
        let oracle = try run(repository, ["config", "--get", "pipedreamer.maxCodeBytes"])
        #expect(oracle.stdoutText == "1k\n")
        let commit = try run(repository, ["commit", "-q", "-m", "x"])
        #expect(commit.status == 1)
        #expect(commit.stderrText.contains(Self.message))
    }

    @Test func anIncludedFile() throws {
        let repository = try staged()
        try repository.fixture.write(".git/limits.cfg", "[pipedreamer]\n\tmaxCodeBytes = 1k\n")
        try repository.fixture.git(["config", "include.path", "limits.cfg"])
        let oracle = try run(repository, ["config", "--get", "pipedreamer.maxCodeBytes"])
        #expect(oracle.stdoutText == "1k\n")
        let commit = try run(repository, ["commit", "-q", "-m", "x"])
        #expect(commit.status == 1)
        #expect(commit.stderrText.contains(Self.message))
    }

    @Test func theGlobalFile() throws {
        let repository = try staged()
        let global = repository.path + "/.git/global.cfg"
        try repository.fixture.write(".git/global.cfg", "[pipedreamer]\n\tmaxCodeBytes = 1k\n")
        try expectOneK(repository, environment: ["GIT_CONFIG_GLOBAL": global])
    }
}

/// A SHA-256 repository: libgit2 1.5 cannot read it, and the hook says so instead of passing.
@Suite struct SHA256RepositoryTests {
    @Test func theHookSaysTheRepositoryUsesSHA256AndRefuses() throws {
        let fixture = try GitFixture()
        let path = fixture.path + "/sha256"
        try fixture.git(["init", "-q", "--object-format=sha256", path])
        let hooks = path + "/.git/hooks"
        let shim = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("hooks/pre-commit")
        try FileManager.default.copyItem(atPath: shim.path, toPath: hooks + "/pre-commit")
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: path + "/a.txt"))
        var environment = GitFixture.environment
        environment["PIPEDREAMER_BIN"] = PipedreamerBinary.path
        _ = try Command.run("/usr/bin/env", ["git", "add", "a.txt"], in: path, environment: environment)
        let commit = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: path, environment: environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText == "Error: cannot open the git repository at \(path): the repository uses SHA-256 object names (extensions.objectFormat = sha256), which libgit2 1.5, the library pipedreamer reads git through, cannot read. Nothing in it was checked: pipedreamer's hooks refuse its commits and pushes, and check, render and deploy refuse it too. Use a SHA-1 repository for workflow code (git init --object-format=sha1, the default), or skip a hook with --no-verify knowing that nothing checked the code.\n")
        let install = try PipedreamerBinary.run(["install-hooks"], in: path)
        #expect(install.status != 0)
        #expect(install.stderrText.contains("the repository uses SHA-256 object names"))
    }
}
