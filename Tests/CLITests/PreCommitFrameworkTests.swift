import Foundation
import Testing
import TestSupport

/// The real pre-commit framework (from PyPI) running this repository's `.pre-commit-hooks.yaml`
/// from a local clone at a real commit; skipped where `pre-commit` is not installed.
@Suite(.enabled(if: Command.which("pre-commit") != nil, "the pre-commit framework is not installed (pip install pre-commit)"))
struct PreCommitFrameworkTests {
    static let limit = 921_600
    let project: GitFixture
    let hookRepository: GitFixture
    let cache: GitFixture

    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        hookRepository = try GitFixture()
        try hookRepository.write(".pre-commit-hooks.yaml", Array(try Data(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"))))
        let rev = try hookRepository.commitAll("hooks")
        cache = try GitFixture()
        project = try GitFixture()
        try project.write(".pre-commit-config.yaml", """
            repos:
              - repo: \(hookRepository.path)
                rev: \(rev)
                hooks:
                  - id: pipedreamer-system
                  - id: pipedreamer-pre-push-system

            """)
        try project.writeWorkflow(at: "wf")
        try project.commitAll("workflow")
    }

    func preCommit(_ arguments: [String], path: String? = nil) throws -> Command.Result {
        var environment = GitFixture.environment
        environment["PRE_COMMIT_HOME"] = cache.path + "/home"
        environment["PATH"] = path ?? (URL(fileURLWithPath: PipedreamerBinary.path).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin"))
        return try Command.run(Command.which("pre-commit")!, arguments, in: project.path, environment: environment)
    }

    func commitOversize() throws -> String {
        try project.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
        return try project.commitAll("huge")
    }

    @Test func allFilesPassesAGoodHead() throws {
        let result = try preCommit(["run", "--all-files"])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.contains("pipedreamer (workflow code can ship)"))
    }

    @Test func allFilesFailsAnOversizeHeadInACleanCheckout() throws {
        _ = try commitOversize()
        #expect(try project.gitText(["status", "--porcelain"]) == "")
        let result = try preCommit(["run", "--all-files"])
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("  ✗ workflow code exceeds ConfigMap size limit (900KB): total size is "), "\(result.stdoutText)")
    }

    @Test func thePrePushStageChecksThePushedRange() throws {
        let base = try project.gitText(["rev-parse", "HEAD"])
        let bad = try commitOversize()
        try project.remove("wf/nodes/huge.ts")
        let fixed = try project.commitAll("fixed")
        let refused = try preCommit(["run", "--hook-stage", "pre-push", "--from-ref", base, "--to-ref", fixed])
        #expect(refused.status == 1)
        #expect(refused.stdoutText.contains("commit \(bad.prefix(12)) \"huge\", pushed to \(fixed):"), "\(refused.stdoutText)")
        let passed = try preCommit(["run", "--hook-stage", "pre-push", "--from-ref", bad, "--to-ref", fixed])
        #expect(passed.status == 0, "\(passed.stdoutText)")
    }

    @Test func aMissingBinarySaysHowToInstallIt() throws {
        let result = try preCommit(["run", "--all-files"], path: "/usr/bin:/bin")
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("pipedreamer: the pipedreamer binary is not on PATH. Install it with ./install.sh"))
    }

    @Test func uninstallHooksRemovesTheLegacyCopyPreCommitInstallKept() throws {
        _ = try PipedreamerBinary.run(["install-hooks", "--binary", PipedreamerBinary.path], in: project.path)
        let install = try preCommit(["install"])
        #expect(install.status == 0, "\(install.stdoutText)\(install.stderrText)")
        let legacy = project.path + "/.git/hooks/pre-commit.legacy"
        #expect(FileManager.default.fileExists(atPath: legacy))
        let result = try PipedreamerBinary.run(["uninstall-hooks"], in: project.path)
        #expect(result.stdoutText == "hooks in \(project.path)/.git/hooks:\n  pre-commit.legacy: removed (the copy of pipedreamer's hook that `pre-commit install` kept)\n  pre-commit: left alone (not installed by pipedreamer)\n  pre-merge-commit: removed\n  pre-push: removed\n")
        #expect(!FileManager.default.fileExists(atPath: legacy))
    }
}
