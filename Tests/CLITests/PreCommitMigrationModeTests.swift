import Foundation
import Testing
import TestSupport

/// docs/hooks.md's "use one or the other": `pre-commit install` over pipedreamer's own hook runs in
/// migration mode and every refusal is printed twice; `pre-commit install --overwrite`, or
/// `pipedreamer uninstall-hooks`, leaves one. Runs the real framework; skipped where it is absent.
@Suite(.enabled(if: Command.which("pre-commit") != nil, "the pre-commit framework is not installed (pip install pre-commit)"))
struct PreCommitMigrationModeTests {
    static let refusal = "pipedreamer: commit refused: 1 workflow cannot ship"
    let project: GitFixture
    let cache: GitFixture

    init() throws {
        cache = try GitFixture()
        project = try GitFixture()
        // The `local` configuration of docs/hooks.md.
        try project.write(".pre-commit-config.yaml", """
            repos:
              - repo: local
                hooks:
                  - id: pipedreamer
                    name: pipedreamer (workflow code can ship)
                    entry: pipedreamer hook pre-commit
                    language: system
                    always_run: true
                    require_serial: true
                    stages: [pre-commit, pre-merge-commit]

            """)
        try project.writeWorkflow(at: "wf")
        _ = try project.commitAll("workflow")
        let installed = try PipedreamerBinary.run(["install-hooks", "--binary", PipedreamerBinary.path], in: project.path)
        #expect(installed.status == 0, "\(installed.stderrText)")
    }

    var environment: [String: String] {
        var environment = GitFixture.environment
        environment["PRE_COMMIT_HOME"] = cache.path + "/home"
        environment["PATH"] = Integrations.binaryDirectory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    func preCommit(_ arguments: [String]) throws -> Command.Result {
        try Command.run(Command.which("pre-commit")!, arguments, in: project.path, environment: environment)
    }

    /// Stages a node over the limit and runs `git commit`; returns how many times the refusal was printed.
    func refusalsOfAnOversizeCommit() throws -> Int {
        try project.write("wf/nodes/huge.ts", HookedRepository.text(bytes: 921_601))
        try project.git(["add", "wf/nodes/huge.ts"])
        let result = try Command.run("/usr/bin/env", ["git", "commit", "-q", "-m", "huge"], in: project.path, environment: environment)
        #expect(result.status != 0, "the commit is refused")
        return (result.stdoutText + result.stderrText).components(separatedBy: Self.refusal).count - 1
    }

    @Test func migrationModePrintsEveryRefusalTwice() throws {
        let install = try preCommit(["install"])
        #expect(install.status == 0, "\(install.stderrText)")
        #expect(install.stdoutText.contains("Running in migration mode with existing hooks at .git/hooks/pre-commit.legacy"), "\(install.stdoutText)")
        #expect(try refusalsOfAnOversizeCommit() == 2)
    }

    @Test func overwriteLeavesOneRefusal() throws {
        #expect(try preCommit(["install"]).status == 0)
        let overwrite = try preCommit(["install", "--overwrite"])
        #expect(overwrite.status == 0, "\(overwrite.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.git/hooks/pre-commit.legacy"))
        #expect(try refusalsOfAnOversizeCommit() == 1)
    }

    @Test func uninstallHooksBeforeOrAfterLeavesOneRefusal() throws {
        #expect(try preCommit(["install"]).status == 0)
        let uninstall = try PipedreamerBinary.run(["uninstall-hooks"], in: project.path)
        #expect(uninstall.status == 0, "\(uninstall.stderrText)")
        #expect(try refusalsOfAnOversizeCommit() == 1)
    }
}
