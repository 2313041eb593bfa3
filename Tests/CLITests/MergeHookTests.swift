import Foundation
import Testing
import TestSupport

/// Real `git merge` with the hooks installed: git runs pre-merge-commit, not pre-commit, before it
/// records a merge commit.
@Suite struct MergeHookTests {
    static let limit = 921_600

    /// main and a branch `big` that adds an oversize node (committed without hooks), diverged so
    /// the merge records a merge commit.
    func diverged() throws -> HookedRepository {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.git(["checkout", "-q", "-b", "big"])
        try repository.fixture.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
        try repository.fixture.commitAll("huge node")
        try repository.fixture.git(["checkout", "-q", "main"])
        try repository.fixture.write("notes.md", "notes\n")
        try repository.fixture.commitAll("notes")
        return repository
    }

    /// Everything git's merge machinery leaves: the repository state plus MERGE_HEAD.
    func mergeState(_ repository: HookedRepository) throws -> [String] {
        let state = try RepositoryState(repository)
        let mergeHead = try repository.git(["rev-parse", "-q", "--verify", "MERGE_HEAD"]).stdoutText
        return [state.head, state.index, state.status, mergeHead, "\(state.files.keys.sorted())"]
    }

    @Test func installHooksInstallsPreMergeCommit() throws {
        let repository = try HookedRepository()
        #expect(FileManager.default.isExecutableFile(atPath: repository.path + "/.git/hooks/pre-merge-commit"))
    }

    @Test func anOversizeMergeIsRefusedAndTheMergeStateKept() throws {
        let repository = try diverged()
        let merge = try repository.git(["merge", "-q", "--no-edit", "big"])
        #expect(merge.status != 0)
        #expect(merge.stderrText.hasPrefix("pipedreamer: merge refused: 1 workflow cannot ship\nworkflow wf at the index: 1 problem\n  ✗ workflow code exceeds ConfigMap size limit (900KB): total size is "))
        #expect(merge.stderrText.contains("The merge is not recorded yet; its result is in the index. Fix the problems above, stage the fixes (git add) and run `git merge --continue`, or give up with `git merge --abort`."))
        let refused = try mergeState(repository)
        #expect(refused[3] != "")
        // The same state git leaves for a merge that is told not to commit.
        #expect(try repository.git(["merge", "--abort"]).status == 0)
        #expect(try repository.git(["merge", "-q", "--no-commit", "--no-ff", "big"]).status == 0)
        #expect(try mergeState(repository) == refused)
        // Fixing the merge result lets it conclude.
        try repository.fixture.git(["rm", "-q", "-f", "wf/nodes/huge.ts"])
        let concluded = try repository.git(["-c", "core.editor=true", "merge", "--continue"])
        #expect(concluded.status == 0, "\(concluded.stderrText)")
        #expect(try repository.fixture.gitText(["rev-list", "--count", "--merges", "HEAD"]) == "1")
    }

    @Test func aGoodMergePasses() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.git(["checkout", "-q", "-b", "topic"])
        try repository.fixture.write("wf/nodes/more.ts", "export const m = 1;\n")
        try repository.fixture.commitAll("more")
        try repository.fixture.git(["checkout", "-q", "main"])
        try repository.fixture.write("notes.md", "notes\n")
        try repository.fixture.commitAll("notes")
        let merge = try repository.git(["merge", "-q", "--no-edit", "topic"])
        #expect(merge.status == 0, "\(merge.stderrText)")
        #expect(merge.stderrText == "")
    }

    @Test func aSquashMergeIsCheckedByTheCommitThatFollows() throws {
        let repository = try diverged()
        #expect(try repository.git(["merge", "-q", "--squash", "big"]).status == 0)
        let before = try RepositoryState(repository)
        let commit = try repository.commit(message: "squashed")
        #expect(commit.status == 1)
        #expect(commit.stderrText.hasPrefix("pipedreamer: commit refused: 1 workflow cannot ship\n"))
        #expect(try RepositoryState(repository) == before)
    }
}
