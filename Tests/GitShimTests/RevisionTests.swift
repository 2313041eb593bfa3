import Foundation
import GitShim
import Testing
import TestSupport
import GitFiles

@Suite struct RevisionTests {
    let fixture: GitFixture
    let first: String
    let second: String
    let third: String

    init() throws {
        fixture = try GitFixture()
        try fixture.write("a.txt", "one\n")
        first = try fixture.commitAll("first")
        try fixture.write("a.txt", "two\n")
        second = try fixture.commitAll("second")
        try fixture.write("a.txt", "three\n")
        third = try fixture.commitAll("third")
    }

    func resolve(_ revision: String) throws -> String {
        try Repository.open(containing: fixture.path).resolveCommit(revision).oid.hex
    }

    func failure(_ revision: String) -> GitError? {
        do {
            _ = try resolve(revision)
            return nil
        } catch {
            return error as? GitError
        }
    }

    @Test func headResolvesToTheLatestCommit() throws {
        #expect(try resolve("HEAD") == third)
    }

    @Test func fullAndShortShasResolve() throws {
        #expect(try resolve(first) == first)
        #expect(try resolve(String(first.prefix(7))) == first)
    }

    @Test func branchesAndRefsNamesResolve() throws {
        try fixture.git(["branch", "old", second])
        #expect(try resolve("old") == second)
        #expect(try resolve("refs/heads/old") == second)
    }

    @Test func ancestryExpressionsResolve() throws {
        #expect(try resolve("HEAD~2") == first)
        #expect(try resolve("HEAD^") == second)
    }

    @Test func lightweightAndAnnotatedTagsPeelToTheirCommit() throws {
        try fixture.git(["tag", "light", second])
        try fixture.git(["tag", "-a", "-m", "release", "v1", first])
        let tagObject = try fixture.gitText(["rev-parse", "v1"])
        #expect(tagObject != first)
        #expect(try resolve("light") == second)
        #expect(try resolve("v1") == first)
        #expect(try resolve("refs/tags/v1") == first)
        #expect(try resolve(tagObject) == first)
    }

    @Test func commitSummaryAndTreeComeFromTheCommit() throws {
        let commit = try Repository.open(containing: fixture.path).resolveCommit("HEAD~1")
        #expect(commit.summary == "second")
        #expect(commit.tree.hex == (try fixture.gitText(["rev-parse", "HEAD~1^{tree}"])))
    }

    @Test func unknownRevisionIsRefusedByName() throws {
        let error = try #require(failure("no-such-branch"))
        #expect(error.reason == .unknownRevision)
        #expect(error.message == "unknown revision 'no-such-branch': not a commit, branch or tag in this repository (see `git log --oneline`, `git tag`)")
    }

    @Test func treeAndBlobRevisionsAreRefused() throws {
        let tree = try #require(failure("HEAD^{tree}"))
        #expect(tree.reason == .notACommit)
        #expect(tree.message == "revision 'HEAD^{tree}' names a tree, not a commit; name a commit, branch or tag")
        let blob = try #require(failure("HEAD:a.txt"))
        #expect(blob.message == "revision 'HEAD:a.txt' names a blob, not a commit; name a commit, branch or tag")
    }

    @Test func tagOfABlobIsRefused() throws {
        let blob = try fixture.gitText(["rev-parse", "HEAD:a.txt"])
        try fixture.git(["tag", "-a", "-m", "blob tag", "blobtag", blob])
        let error = try #require(failure("blobtag"))
        #expect(error.reason == .notACommit)
    }

    @Test func tagAndBranchOfTheSameNameAtDifferentCommitsAreRefused() throws {
        try fixture.git(["tag", "release", first])
        try fixture.git(["branch", "release", second])
        let error = try #require(failure("release"))
        #expect(error.reason == .ambiguousRevision)
        #expect(error.message == "revision 'release' is ambiguous: tag refs/tags/release points to \(first.prefix(12)) but branch refs/heads/release points to \(second.prefix(12)); name one of them in full (refs/tags/release or refs/heads/release)")
        #expect(try resolve("refs/tags/release") == first)
        #expect(try resolve("refs/heads/release") == second)
        #expect(failure("release~1")?.reason == .ambiguousRevision)
    }

    @Test func tagAndBranchOfTheSameNameAtTheSameCommitResolve() throws {
        try fixture.git(["tag", "same", second])
        try fixture.git(["branch", "same", second])
        #expect(try resolve("same") == second)
    }

    @Test func tagsPointingAtACommitAreListed() throws {
        try fixture.git(["tag", "b", second])
        try fixture.git(["tag", "-a", "-m", "x", "a", second])
        try fixture.git(["tag", "c", first])
        let repository = try Repository.open(containing: fixture.path)
        #expect(try repository.tags(pointingAt: Oid(hex: second)!) == ["a", "b"])
    }
}

@Suite struct UnbornRepositoryTests {
    @Test func headOfANewRepositorySaysThereAreNoCommits() throws {
        let fixture = try GitFixture()
        let repository = try Repository.open(containing: fixture.path)
        #expect(repository.isHeadUnborn)
        do {
            _ = try repository.resolveCommit("HEAD")
            Issue.record("resolving HEAD of an empty repository succeeded")
        } catch let error as GitError {
            #expect(error.reason == .unbornHead)
            #expect(error.message == "the repository has no commits yet (HEAD points to refs/heads/main, which does not exist yet); commit first, then name a revision")
        }
    }
}
