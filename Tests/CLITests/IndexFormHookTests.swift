import Foundation
import Testing
import TestSupport

/// Real `git commit` over every index form git writes: a split index and a sparse index give the
/// verdicts of a plain index, and a refusal leaves everything as it was.
@Suite struct IndexFormHookTests {
    enum Form: String, CaseIterable, CustomTestStringConvertible {
        case plain, split, sparseWorkflowInCone, sparseWorkflowOutsideCone
        var testDescription: String { rawValue }
    }

    enum Change: String, CaseIterable {
        case oversizeNode, binaryNode, goodNode, noWorkflow
    }

    static let limit = 921_600

    /// A workflow at wf, other code at lib/ and docs/, then the index put in `form`.
    func repository(_ form: Form) throws -> HookedRepository {
        let repository = try HookedRepository()
        try repository.fixture.writeWorkflow(at: "wf")
        try repository.fixture.write("lib/util.ts", "export const u = 1;\n")
        try repository.fixture.write("docs/guide.md", "guide\n")
        try repository.fixture.write("top.md", "top\n")
        try repository.fixture.commitAll("base")
        switch form {
        case .plain: break
        case .split:
            try repository.fixture.git(["config", "core.splitIndex", "true"])
            try repository.fixture.git(["update-index", "--split-index"])
        case .sparseWorkflowInCone, .sparseWorkflowOutsideCone:
            try repository.fixture.git(["sparse-checkout", "init", "--cone", "--sparse-index"])
            try repository.fixture.git(["sparse-checkout", "set", form == .sparseWorkflowInCone ? "wf" : "docs"])
        }
        return repository
    }

    /// Stages `change` (through `git add --sparse` where the path is outside the cone).
    func stage(_ change: Change, in repository: HookedRepository, round: Int = 0) throws {
        let (path, bytes): (String, [UInt8]) = switch change {
        case .oversizeNode: ("wf/nodes/big.ts", Array(HookedRepository.text(bytes: Self.limit + 1).utf8))
        case .binaryNode: ("wf/nodes/bad.ts", [0x65, 0x00, 0x0A])
        case .goodNode: ("wf/nodes/good\(round).ts", Array("export const g = 1;\n".utf8))
        case .noWorkflow: ("top.md", Array("top, changed \(round)\n".utf8))
        }
        try repository.fixture.write(path, bytes)
        try repository.fixture.git(["add", "--sparse", path])
    }

    /// Commits `change` in `form` twice over (so a split index is rewritten between commits) and
    /// returns each commit's exit status and standard error.
    func verdicts(_ form: Form, _ change: Change) throws -> [String] {
        let repository = try repository(form)
        var result = [String]()
        for round in 0..<2 {
            if round == 1 {
                try repository.fixture.write("lib/round.ts", "export const r = \(round);\n")
                try repository.fixture.git(["add", "--sparse", "lib/round.ts"])
                try repository.fixture.git(["commit", "-q", "--no-verify", "-m", "between"])
            }
            try stage(change, in: repository, round: round)
            let before = try RepositoryState(repository)
            let commit = try repository.commit()
            result.append("\(commit.status)\n\(commit.stderrText)")
            if commit.status != 0 {
                #expect(try RepositoryState(repository) == before, "\(form) \(change)")
                try repository.fixture.git(["reset", "-q"])
            }
        }
        return result
    }

    @Test(arguments: [Form.split, .sparseWorkflowInCone, .sparseWorkflowOutsideCone], Change.allCases)
    func theVerdictIsAPlainIndexs(form: Form, change: Change) throws {
        let plain = try verdicts(.plain, change)
        #expect(plain.first?.hasPrefix(change == .oversizeNode || change == .binaryNode ? "1\n" : "0\n") == true, "\(plain)")
        #expect(try verdicts(form, change) == plain)
    }

    @Test func theIndexStaysSplitAcrossCommits() throws {
        let repository = try repository(.split)
        try stage(.goodNode, in: repository)
        #expect(try repository.commit().status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: repository.path + "/.git")
        #expect(files.contains { $0.hasPrefix("sharedindex.") })
        try stage(.oversizeNode, in: repository)
        #expect(try repository.commit().status == 1)
    }

    @Test func anIntentToAddWorkflowIsLeftOutAsGitLeavesItOut() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf2/workflow.yaml", "")
        try repository.fixture.git(["add", "-N", "wf2"])
        try repository.fixture.write("wf/nodes/other.ts", "export const o = 1;\n")
        try repository.fixture.git(["add", "wf/nodes/other.ts"])
        let commit = try repository.commit()
        #expect(commit.status == 0, "\(commit.stderrText)")
        #expect(commit.stderrText == "")
        #expect(try repository.fixture.gitText(["ls-tree", "-r", "--name-only", "HEAD"]).contains("wf2") == false)
    }

    @Test func packedObjectsAndALinkedWorktreeGiveTheSameVerdicts() throws {
        let repository = try repository(.plain)
        try repository.fixture.git(["gc", "-q", "--aggressive"])
        let worktree = repository.path + "-linked"
        defer { try? FileManager.default.removeItem(atPath: worktree) }
        try repository.fixture.git(["worktree", "add", "-q", "-b", "topic", worktree])
        for directory in [repository.path, worktree] {
            try Data("top, changed in \((directory as NSString).lastPathComponent)\n".utf8).write(to: URL(fileURLWithPath: directory + "/top.md"))
            #expect(try repository.git(["add", "top.md"], in: directory).status == 0)
            let passed = try repository.commit(in: directory)
            #expect(passed.status == 0, "\(passed.stderrText)")
            try Data([0x65, 0x00, 0x0A]).write(to: URL(fileURLWithPath: directory + "/wf/nodes/bad.ts"))
            #expect(try repository.git(["add", "wf/nodes/bad.ts"], in: directory).status == 0)
            let refused = try repository.commit(in: directory)
            #expect(refused.status == 1)
            #expect(refused.stderrText.contains("  ✗ wf/nodes/bad.ts: binary file"))
        }
    }
}
