import Foundation
import Testing
import TestSupport

/// git runs hooks at the top of the working tree, so a relative path to the binary names a file
/// the repository can hold: a committed `.localbin/pipedreamer` must never run on `git commit`,
/// whether the path was recorded at install time or found on PATH.
@Suite struct HookBinaryPathTests {
    let binary = PipedreamerBinary.path
    var buildDirectory: String { (binary as NSString).deletingLastPathComponent }

    /// A repository that commits `.localbin/pipedreamer`, a program that leaves a mark and passes
    /// every commit, and stages a secret the real check refuses.
    func repositoryWithCommittedBinary() throws -> GitFixture {
        let fixture = try GitFixture()
        try fixture.write(".localbin/pipedreamer", "#!/bin/sh\ntouch \"$(pwd)/planted-binary-ran\"\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/.localbin/pipedreamer")
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll("tools")
        try fixture.write("wf/.env", "A=1\n")
        try fixture.git(["add", "-A"])
        return fixture
    }

    func commit(_ fixture: GitFixture, path: String, extra: [String: String] = [:]) throws -> Command.Result {
        var environment = GitFixture.environment.merging(extra) { $1 }
        environment["PATH"] = path
        return try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "x"], in: fixture.path, environment: environment)
    }

    @Test func aRelativeBinaryIsAUsageError() throws {
        let fixture = try GitFixture()
        let result = try PipedreamerBinary.run(["install-hooks", "--binary", ".localbin/pipedreamer"], in: fixture.path)
        #expect(result.status == 2)
        #expect(result.stderrText.hasPrefix("Error: --binary '.localbin/pipedreamer' is a relative path; git runs hooks from the top of the working tree, where it would run a file the repository holds: pass an absolute path (or an empty value to use PATH)\n"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/hooks/pre-commit"))
    }

    @Test func theBinaryFoundOnPATHAtInstallTimeIsRecordedAbsolute() throws {
        let fixture = try repositoryWithCommittedBinary()
        // Started as plain `pipedreamer` from PATH, as a shell starts it, with a relative entry first.
        let install = try Command.run("/bin/bash", ["-c", "exec -a pipedreamer \"$0\" install-hooks", binary], in: fixture.path,
                                      environment: GitFixture.environment.merging(["PATH": ".localbin:\(buildDirectory):/usr/bin:/bin"]) { $1 })
        #expect(install.status == 0, "\(install.stderrText)")
        #expect(install.stdoutText.hasPrefix("hooks in \(fixture.path)/.git/hooks (running \(binary)):\n"))
        let hook = try String(contentsOfFile: fixture.path + "/.git/hooks/pre-commit", encoding: .utf8)
        #expect(hook.contains("recorded='\(binary)'\n"))
    }

    @Test func pathLookupSkipsEmptyAndRelativeEntries() throws {
        let fixture = try repositoryWithCommittedBinary()
        #expect(try PipedreamerBinary.run(["install-hooks", "--binary", ""], in: fixture.path).status == 0)
        let result = try commit(fixture, path: ".localbin::.:\(buildDirectory):/usr/bin:/bin")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/planted-binary-ran"))
        #expect(result.status == 1)
        #expect(result.stderrText.contains("  ✗ wf/.env: secrets must never be committed"), "\(result.stderrText)")
    }

    @Test func aRecordedRelativePathOrPipedreamerBinIsNeverRun() throws {
        let fixture = try repositoryWithCommittedBinary()
        #expect(try PipedreamerBinary.run(["install-hooks", "--binary", binary], in: fixture.path).status == 0)
        // A hook written by an older install, with a relative recorded path.
        let hookPath = fixture.path + "/.git/hooks/pre-commit"
        let hook = try String(contentsOfFile: hookPath, encoding: .utf8)
        try hook.replacingOccurrences(of: "recorded='\(binary)'", with: "recorded='.localbin/pipedreamer'")
            .write(toFile: hookPath, atomically: false, encoding: .utf8)
        let result = try commit(fixture, path: "/usr/bin:/bin", extra: ["PIPEDREAMER_BIN": ".localbin/pipedreamer"])
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/planted-binary-ran"))
        #expect(result.status == 1)
        #expect(result.stderrText == "pipedreamer: cannot run the pre-commit check: the pipedreamer binary was not found (tried $PIPEDREAMER_BIN, .localbin/pipedreamer, and the absolute directories on PATH). Install it (./install.sh) or set PIPEDREAMER_BIN=/absolute/path/to/pipedreamer; git commit --no-verify skips the check.\n")
    }

    @Test func pipedreamerHookRefusesARelativeBinary() throws {
        let fixture = try repositoryWithCommittedBinary()
        let result = try Command.run(HookFastPathTests.hookBinary, ["pre-commit", ".localbin/pipedreamer"], in: fixture.path,
                                     environment: GitFixture.environment)
        #expect(result.status == 2)
        #expect(result.stderrText.hasPrefix("pipedreamer-hook: PIPEDREAMER must be an absolute path, not '.localbin/pipedreamer'\n"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/planted-binary-ran"))
    }
}
