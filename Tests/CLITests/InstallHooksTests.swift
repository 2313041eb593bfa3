import Foundation
import Testing
import TestSupport

@Suite struct InstallHooksTests {
    let binary = PipedreamerBinary.path

    func install(_ fixture: GitFixture, _ extra: [String] = []) throws -> Command.Result {
        try PipedreamerBinary.run(["install-hooks", "--binary", binary] + extra, in: fixture.path)
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func clientHooksGoIntoTheRepositoryHooksDirectory() throws {
        let fixture = try GitFixture()
        let result = try install(fixture)
        #expect(result.status == 0, "\(result.stderrText)")
        let hooks = fixture.path + "/.git/hooks"
        #expect(result.stdoutText == "hooks in \(hooks) (running \(binary)):\n  pre-commit: installed\n  pre-merge-commit: installed\n  pre-push: installed\n")
        #expect(FileManager.default.isExecutableFile(atPath: hooks + "/pre-commit"))
        #expect(read(hooks + "/pre-commit")?.contains("recorded='\(binary)'\n") == true)
        #expect(!FileManager.default.fileExists(atPath: hooks + "/post-receive"))
    }

    @Test func runningTwiceChangesNothing() throws {
        let fixture = try GitFixture()
        _ = try install(fixture)
        let first = read(fixture.path + "/.git/hooks/pre-commit")
        let again = try install(fixture)
        #expect(again.status == 0)
        #expect(again.stdoutText.hasSuffix("  pre-commit: already installed\n  pre-merge-commit: already installed\n  pre-push: already installed\n"))
        #expect(read(fixture.path + "/.git/hooks/pre-commit") == first)
    }

    @Test func coreHooksPathIsHonoured() throws {
        let fixture = try GitFixture()
        try fixture.git(["config", "core.hooksPath", "githooks"])
        let result = try install(fixture)
        #expect(result.status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: fixture.path + "/githooks/pre-commit"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/hooks/pre-commit"))
        // git runs it from there.
        try fixture.writeWorkflow(at: "wf")
        try fixture.write("wf/.env", "A=1\n")
        try fixture.git(["add", "-A"])
        let commit = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: fixture.path, environment: GitFixture.environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText.contains("  ✗ wf/.env: secrets must never be committed"))
    }

    @Test func aForeignHookIsRefusedAndLeftUntouched() throws {
        let fixture = try GitFixture()
        let hook = fixture.path + "/.git/hooks/pre-push"
        try fixture.write(".git/hooks/pre-push", "#!/bin/sh\nexit 0\n")
        let result = try install(fixture)
        #expect(result.status == 1)
        #expect(result.stderrText == "Error: \(fixture.path)/.git/hooks already has pre-push hook not installed by pipedreamer; nothing was changed. Run again with --chain to keep it (renamed to <name>.pipedreamer-chained) and run it before pipedreamer's check, or move it away\n")
        #expect(read(hook) == "#!/bin/sh\nexit 0\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/hooks/pre-commit"))
    }

    @Test func chainKeepsAForeignHookAndRunsItFirst() throws {
        let fixture = try GitFixture()
        try fixture.write(".git/hooks/pre-commit", "#!/bin/sh\necho 'foreign hook ran' >&2\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/.git/hooks/pre-commit")
        let result = try install(fixture, ["--chain"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("  pre-commit: installed; the hook that was there is kept as pre-commit.pipedreamer-chained and runs first\n"))
        try fixture.writeWorkflow(at: "wf")
        try fixture.write("wf/nodes/bad.ts", [0x00])
        try fixture.git(["add", "-A"])
        let commit = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: fixture.path, environment: GitFixture.environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText.hasPrefix("foreign hook ran\npipedreamer: commit refused"))
    }

    @Test func uninstallRemovesOnlyWhatItInstalledAndRestoresChainedHooks() throws {
        let fixture = try GitFixture()
        let foreign = "#!/bin/sh\nexit 0\n"
        try fixture.write(".git/hooks/pre-commit", foreign)
        _ = try install(fixture, ["--chain"])
        try fixture.write(".git/hooks/post-receive", foreign)
        let result = try PipedreamerBinary.run(["uninstall-hooks"], in: fixture.path)
        #expect(result.status == 0)
        #expect(result.stdoutText == "hooks in \(fixture.path)/.git/hooks:\n  pre-commit: removed; the hook it chained is back in place\n  pre-merge-commit: removed\n  pre-push: removed\n  post-receive: left alone (not installed by pipedreamer)\n")
        #expect(read(fixture.path + "/.git/hooks/pre-commit") == foreign)
        #expect(read(fixture.path + "/.git/hooks/post-receive") == foreign)
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/hooks/pre-push"))
    }

    @Test func aBareRepositoryNeedsServer() throws {
        let bare = try GitFixture(bare: true)
        let client = try install(bare)
        #expect(client.status == 1)
        #expect(client.stderrText.contains("is a bare repository: pre-commit and pre-push never run there; use --server to install post-receive"))
        let server = try install(bare, ["--server"])
        #expect(server.status == 0)
        #expect(server.stdoutText.hasSuffix("  post-receive: installed\n"))
        #expect(FileManager.default.isExecutableFile(atPath: bare.path + "/hooks/post-receive"))
    }

    @Test func aMissingBinaryGivesAClearMessage() throws {
        let fixture = try GitFixture()
        _ = try PipedreamerBinary.run(["install-hooks", "--binary", "/nonexistent/pipedreamer"], in: fixture.path)
        try fixture.write("a.txt", "a\n")
        try fixture.git(["add", "-A"])
        var environment = GitFixture.environment
        environment["PATH"] = "/usr/bin:/bin"
        let commit = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: fixture.path, environment: environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText == "pipedreamer: cannot run the pre-commit check: the pipedreamer binary was not found (tried $PIPEDREAMER_BIN, /nonexistent/pipedreamer, and the absolute directories on PATH). Install it (./install.sh) or set PIPEDREAMER_BIN=/absolute/path/to/pipedreamer; git commit --no-verify skips the check.\n")
    }

    @Test func pipedreamerBinOverridesTheRecordedPath() throws {
        let fixture = try GitFixture()
        _ = try PipedreamerBinary.run(["install-hooks", "--binary", "/nonexistent/pipedreamer"], in: fixture.path)
        try fixture.writeWorkflow(at: "wf")
        try fixture.write("wf/.env", "A=1\n")
        try fixture.git(["add", "-A"])
        var environment = GitFixture.environment
        environment["PIPEDREAMER_BIN"] = binary
        let commit = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: fixture.path, environment: environment)
        #expect(commit.status == 1)
        #expect(commit.stderrText.contains("  ✗ wf/.env: secrets must never be committed"))
    }

    @Test func theShippedShimsAreWhatInstallHooksWritesWithoutARecordedPath() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fixture = try GitFixture()
        _ = try PipedreamerBinary.run(["install-hooks", "--binary", ""], in: fixture.path)
        _ = try PipedreamerBinary.run(["install-hooks", "--binary", "", "--server", "--chain"], in: fixture.path)
        for name in ["pre-commit", "pre-merge-commit", "pre-push", "post-receive"] {
            #expect(read(root.appendingPathComponent("hooks/\(name)").path) == read(fixture.path + "/.git/hooks/\(name)"), "hooks/\(name)")
        }
    }
}
