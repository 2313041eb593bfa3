import Foundation
import Testing
import TestSupport

/// Commits whose trees git fsck refuses, made from raw objects, through the binary: `check`,
/// `render` and the pre-push hook refuse them, naming the entry and git's rule.
@Suite struct BrokenTreeTests {
    let fixture: GitFixture

    init() throws { fixture = try GitFixture() }

    func commit(_ entries: [GitFixture.RawEntry]) throws -> String {
        try fixture.commitTree(try fixture.rawTree(entries))
    }

    @Test func checkRefusesAWorkflowFoundUnderDotDot() throws {
        let workflow = try fixture.workflowTree()
        let sha = try commit([.tree("..", workflow), .tree("wf", workflow)])
        let result = try PipedreamerBinary.run(["check", sha], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText == "")
        #expect(result.stderrText.contains("workflow directory .. in commit \(sha.prefix(12)) is reached through ..: a tree entry git fsck refuses (hasDotdot: tree contains '..')"))
    }

    @Test func checkRefusesADuplicateWorkflowYaml() throws {
        let other = try fixture.blob("name: other\nversion: \"1.0\"\nnodes: {}\n")
        let sha = try commit([.tree("wf", try fixture.workflowTree(extraEntries: [.blob("workflow.yaml", other)]))])
        let result = try PipedreamerBinary.run(["check", sha], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText.hasPrefix("workflow wf at commit \(sha.prefix(12)): 1 problem\n  ✗ wf/workflow.yaml: a tree entry git fsck refuses (duplicateEntries: tree contains duplicate file entries)\n"))
    }

    @Test func renderRefusesANodeNameHoldingASlash() throws {
        let shadow = try fixture.blob("export default 2;\n")
        let sha = try commit([.tree("wf", try fixture.workflowTree(extraNodes: [.blob("/fetch.ts", shadow)]))])
        let result = try PipedreamerBinary.run(["render", sha], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText == "")
        #expect(result.stderrText.contains("wf/nodes//fetch.ts: a tree entry git fsck refuses (fullPathname: tree contains full pathnames)"))
    }

    @Test func prePushRefusesACommitWithADotDotNodeTree() throws {
        let hooked = try HookedRepository(fixture: fixture)
        let remote = try GitFixture(bare: true)
        try fixture.git(["remote", "add", "origin", remote.path])
        let escape = try fixture.rawTree([.blob("x.ts", try fixture.blob("export default 3;\n"))])
        let sha = try commit([.tree("wf", try fixture.workflowTree(extraNodes: [.tree("..", escape)]))])
        try fixture.git(["update-ref", "refs/heads/main", sha])
        let result = try hooked.git(["push", "-q", "origin", "main"])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("wf/nodes/..: a tree entry git fsck refuses (hasDotdot: tree contains '..')"))
        #expect(try Command.run("/usr/bin/env", ["git", "rev-parse", "--verify", "-q", "refs/heads/main"], in: remote.path,
                                environment: GitFixture.environment).status != 0)
    }

    @Test func aBrokenTreeOutsideEveryWorkflowBlocksNoPush() throws {
        let hooked = try HookedRepository(fixture: fixture)
        let remote = try GitFixture(bare: true)
        try fixture.git(["remote", "add", "origin", remote.path])
        let blob = try fixture.blob("x\n")
        let junk = try fixture.rawTree([.blob("a", blob), .blob("a", blob)])
        let sha = try commit([.tree("..", junk), .tree("wf", try fixture.workflowTree())])
        try fixture.git(["update-ref", "refs/heads/main", sha])
        let result = try hooked.git(["push", "-q", "origin", "main"])
        #expect(result.status == 0)
        #expect(result.stderrText == "")
    }
}

/// File names holding terminal escapes never reach the terminal raw; JSON keeps them as data.
@Suite struct EscapedPathOutputTests {
    let fixture: GitFixture
    static let name = "wf/nodes/\u{1B}[1A\u{1B}[2KALL GOOD\r.ts"

    init() throws {
        fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        try fixture.write(Self.name, [0x2F, 0x00])
        try fixture.git(["add", "-A"])
    }

    @Test func checkPrintsTheNameEscaped() throws {
        let result = try PipedreamerBinary.run(["check", "--staged"], in: fixture.path)
        #expect(result.status == 1)
        let output = result.stdoutText + result.stderrText
        #expect(!output.contains("\u{1B}") && !output.contains("\r"))
        #expect(result.stdoutText.contains("  ✗ \"wf/nodes/\\033[1A\\033[2KALL GOOD\\r.ts\": binary file"))
    }

    @Test func thePreCommitHookPrintsTheNameEscaped() throws {
        let hooked = try HookedRepository(fixture: fixture)
        let result = try hooked.commit()
        #expect(result.status != 0)
        let output = result.stdoutText + result.stderrText
        #expect(!output.contains("\u{1B}") && !output.contains("\r"))
        #expect(output.contains("\"wf/nodes/\\033[1A\\033[2KALL GOOD\\r.ts\": binary file"))
    }

    @Test func prePushPrintsTheNameAndTheSubjectEscaped() throws {
        let hooked = try HookedRepository(fixture: fixture)
        let remote = try GitFixture(bare: true)
        try fixture.git(["remote", "add", "origin", remote.path])
        try fixture.git(["commit", "-q", "--no-verify", "-m", "\u{1B}[2Kfine"])
        let result = try hooked.git(["push", "-q", "origin", "main"])
        #expect(result.status != 0)
        #expect(!result.stderrText.contains("\u{1B}") && !result.stderrText.contains("\r"))
        #expect(result.stderrText.contains(" \"\\033[2Kfine\", pushed to refs/heads/main:"))
        #expect(result.stderrText.contains("\"wf/nodes/\\033[1A\\033[2KALL GOOD\\r.ts\": binary file"))
    }

    @Test func jsonKeepsTheRawPathEscapedByTheEncoder() throws {
        let result = try PipedreamerBinary.run(["check", "--staged", "-o", "json"], in: fixture.path)
        #expect(!result.stdoutText.contains("\u{1B}") && !result.stdoutText.contains("\r"))
        let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let workflows = try #require(document["workflows"] as? [[String: Any]])
        let violations = try #require(workflows.first?["violations"] as? [[String: Any]])
        #expect(violations.compactMap { $0["path"] as? String } == [Self.name])
    }
}
