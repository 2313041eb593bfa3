import Foundation
import GitFiles
import Testing
import TestSupport
import WorkflowBundle

/// `pipedreamer-hook`, the small program the installed pre-commit and pre-merge-commit hooks run
/// first: it answers a commit that touches no workflow itself and execs the full check otherwise.
@Suite struct HookFastPathTests {
    static var hookBinary: String {
        URL(fileURLWithPath: PipedreamerBinary.path).deletingLastPathComponent().appendingPathComponent("pipedreamer-hook").path
    }

    /// A stand-in for the full binary that records how it was called and exits with `status`.
    static func recordingBinary(in directory: String, status: Int32 = 0) throws -> (path: String, log: String) {
        let path = directory + "/fake-pipedreamer"
        let log = directory + "/fake.log"
        // The variable's name is PreCommitShortcut.askedVariable (HooksTests checks the constant).
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(log)'\necho \"asked=${PIPEDREAMER_HOOK_SHORTCUT_ASKED:-}\" >> '\(log)'\nexit \(status)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (path, log)
    }

    static func runHook(_ arguments: [String], in directory: String) throws -> Command.Result {
        try Command.run(hookBinary, arguments, in: directory, environment: GitFixture.environment)
    }

    /// A repository with a committed workflow at `wf` and a file under `src/`.
    static func repository() throws -> GitFixture {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["fetch": "export const x = 1;\n"])
        try fixture.write("src/main.c", "int main(void) { return 0; }\n")
        try fixture.commitAll("start")
        return fixture
    }

    @Test func answersACommitTouchingNoWorkflowWithoutTheFullCheck() throws {
        let fixture = try Self.repository()
        let scratch = try ScratchDirectory()
        let fake = try Self.recordingBinary(in: scratch.path, status: 7)
        try fixture.write("src/main.c", "int main(void) { return 1; }\n")
        _ = try fixture.git(["add", "src/main.c"])
        let result = try Self.runHook(["pre-commit", fake.path], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.isEmpty && result.stderrText.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fake.log), "the full check ran for a commit touching no workflow")
    }

    @Test(arguments: ["pre-commit", "pre-merge-commit"])
    func execsTheFullCheckWhenAWorkflowIsTouched(hook: String) throws {
        let fixture = try Self.repository()
        let scratch = try ScratchDirectory()
        let fake = try Self.recordingBinary(in: scratch.path, status: 7)
        try fixture.write("wf/nodes/fetch.ts", "export const x = 2;\n")
        _ = try fixture.git(["add", "wf/nodes/fetch.ts"])
        let result = try Self.runHook([hook, fake.path, "extra argument"], in: fixture.path)
        // The full check's verdict is the hook's: its exit status comes through unchanged.
        #expect(result.status == 7)
        let log = try String(contentsOfFile: fake.log, encoding: .utf8)
        #expect(log == "hook\n\(hook)\nextra argument\nasked=1\n")
    }

    @Test func execsTheFullCheckForAChangedAttributesFileAboveAWorkflow() throws {
        let fixture = try Self.repository()
        let scratch = try ScratchDirectory()
        let fake = try Self.recordingBinary(in: scratch.path)
        try fixture.write(".gitattributes", "*.ts binary\n")
        _ = try fixture.git(["add", ".gitattributes"])
        let result = try Self.runHook(["pre-commit", fake.path], in: fixture.path)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: fake.log), ".gitattributes above a workflow changes what it ships")
    }

    @Test func execsTheFullCheckWhereItCannotReadTheRepository() throws {
        // Outside any repository nothing is known, so the full check decides (and says why).
        let scratch = try ScratchDirectory()
        let fake = try Self.recordingBinary(in: scratch.path)
        let result = try Self.runHook(["pre-commit", fake.path], in: scratch.path)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: fake.log))
    }

    @Test func reportsAFullBinaryItCannotRun() throws {
        let fixture = try Self.repository()
        try fixture.write("wf/nodes/fetch.ts", "export const x = 3;\n")
        _ = try fixture.git(["add", "wf/nodes/fetch.ts"])
        let missing = fixture.path + "/no-such-pipedreamer"
        let result = try Self.runHook(["pre-commit", missing], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("cannot run the pre-commit check: \(missing): No such file or directory"))
        #expect(result.stderrText.contains("--no-verify"))
    }

    @Test(arguments: [[String](), ["pre-push", "/bin/true"], ["pre-commit"], ["pre-commit", ""]])
    func refusesArgumentsItDoesNotKnow(arguments: [String]) throws {
        let scratch = try ScratchDirectory()
        let result = try Self.runHook(arguments, in: scratch.path)
        #expect(result.status == 2)
        #expect(result.stderrText.contains("usage: pipedreamer-hook pre-commit|pre-merge-commit PIPEDREAMER"))
        let help = try Self.runHook(["--help"], in: scratch.path)
        #expect(help.status == 0 && help.stdoutText.hasPrefix("usage: pipedreamer-hook"))
    }

    @Test func installedHooksGoThroughItAndKeepTheirVerdicts() throws {
        // The shim execs pipedreamer-hook beside the binary; an oversize node is still refused by
        // the full check behind it, and a commit elsewhere passes without it.
        let repository = try HookedRepository(fixture: try Self.repository())
        try repository.fixture.write("src/main.c", "int main(void) { return 2; }\n")
        _ = try repository.git(["add", "src/main.c"])
        let trace = try repository.git(["-c", "trace2.eventTarget=/dev/null", "commit", "-q", "-m", "src"])
        #expect(trace.status == 0, "\(trace.stderrText)")
        try repository.fixture.write("wf/nodes/big.ts", HookedRepository.text(bytes: 950 * 1024))
        _ = try repository.git(["add", "wf/nodes/big.ts"])
        let refused = try repository.commit(message: "big")
        #expect(refused.status != 0)
        #expect(refused.stderrText.contains("workflow code exceeds ConfigMap size limit (900KB)"))
    }

    @Test func theFullCheckRecordsWhatPipedreamerHookLooksUpAndRefusalsStayTheFullChecks() throws {
        // The full binary keys its verdicts by /proc/self/exe; pipedreamer-hook by the path it was
        // given. A commit through the installed hooks must leave an entry the second finds.
        let repository = try HookedRepository(fixture: try Self.repository())
        try repository.fixture.write("wf/nodes/fetch.ts", "export const x = 10;\n")
        _ = try repository.git(["add", "-A"])
        let first = try repository.commit(message: "node")
        #expect(first.status == 0, "\(first.stderrText)")
        let cache = try #require(SpecVerdictCache(executable: PipedreamerBinary.path, environment: { GitFixture.environment[$0] }))
        let blob = try #require(Oid(hex: try repository.fixture.gitText(["rev-parse", "HEAD:wf/workflow.yaml"])))
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == ["nodes/fetch.ts"])

        // With the verdict recorded, a good change passes and every refusal is still the full
        // check's, with its message, leaving the repository as it was.
        try repository.fixture.write("wf/nodes/fetch.ts", "export const x = 11;\n")
        _ = try repository.git(["add", "-A"])
        let second = try repository.commit(message: "node again")
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(second.stderrText.isEmpty)
        try repository.fixture.write("wf/nodes/big.ts", HookedRepository.text(bytes: 950 * 1024))
        _ = try repository.git(["add", "-A"])
        let before = try RepositoryState(repository)
        let refused = try repository.commit(message: "big")
        #expect(refused.status != 0)
        #expect(refused.stderrText.contains("workflow code exceeds ConfigMap size limit (900KB)"))
        #expect(try RepositoryState(repository) == before)
        try repository.fixture.remove("wf/nodes/big.ts")
        try repository.fixture.remove("wf/nodes/fetch.ts")
        _ = try repository.git(["add", "-A"])
        let missing = try repository.commit(message: "no node")
        #expect(missing.status != 0)
        #expect(missing.stderrText.contains("'nodes/fetch.ts' does not exist in the commit"), "\(missing.stderrText)")
    }

    @Test func theFullCheckRunsInARepositoryGitTrustsThroughSafeDirectory() throws {
        // Owned by another user, trusted by git through `git -c safe.directory=*`, which libgit2
        // 1.5 does not read: inside a hook git has already made that check.
        guard getuid() == 0 else { return }
        let fixture = try Self.repository()
        try fixture.write("wf/nodes/fetch.ts", "export const x = 12;\n")
        _ = try fixture.git(["add", "-A"])
        let chown = try Command.run("/bin/chown", ["-R", "nobody", fixture.path])
        try #require(chown.status == 0)
        let environment = GitFixture.environment.merging(["GIT_CONFIG_PARAMETERS": "'safe.directory'='*'",
                                                         "GIT_DIR": fixture.path + "/.git"]) { $1 }
        let result = try Command.run(PipedreamerBinary.path, ["hook", "pre-commit"], in: fixture.path, environment: environment)
        #expect(result.status == 0, "\(result.stderrText)")
        _ = try Command.run("/bin/chown", ["-R", "root", fixture.path])
    }
}
