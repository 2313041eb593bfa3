import Foundation
import GitShim
import Testing
import TestSupport
import GitFiles

/// `Repository.lastChange(of:asOf:)` against git itself: `git log -1 --format=%H REV -- DIR`.
@Suite struct PathHistoryTests {
    /// What git prints for the last change of `directory` ("" is the whole tree) as of `revision`.
    func gitLastChange(_ fixture: GitFixture, _ directory: String, _ revision: String = "HEAD") throws -> String {
        try fixture.gitText(["log", "-1", "--format=%H", revision, "--", directory.isEmpty ? "." : directory])
    }

    func lastChange(_ fixture: GitFixture, _ directory: String, _ revision: String = "HEAD") throws -> PathChange? {
        let repository = try Repository.open(containing: fixture.path)
        return try repository.lastChange(of: directory, asOf: repository.resolveCommit(revision).oid)
    }

    func expectMatchesGit(_ fixture: GitFixture, _ directories: [String], _ revision: String = "HEAD") throws {
        for directory in directories {
            let expected = try gitLastChange(fixture, directory, revision)
            #expect(try lastChange(fixture, directory, revision) == .commit(#require(Oid(hex: expected))), "\(directory) at \(revision)")
        }
    }

    @Test func aCommitTouchingAnotherWorkflowIsNotAChangeOfThisOne() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "hello", name: "hello")
        try fixture.writeWorkflow(at: "billing", name: "billing")
        let first = try fixture.commitAll("both")
        try fixture.write("billing/README.md", "billing notes\n")
        let second = try fixture.commitAll("billing readme")
        #expect(try lastChange(fixture, "hello") == .commit(#require(Oid(hex: first))))
        #expect(try lastChange(fixture, "billing") == .commit(#require(Oid(hex: second))))
        try expectMatchesGit(fixture, ["hello", "billing", ""])
    }

    @Test func aPrefixSiblingDirectoryIsAnotherPath() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "a")
        let first = try fixture.commitAll()
        try fixture.write("wf-x/a.ts", "b")
        try fixture.write("wf.txt", "c")
        try fixture.commitAll()
        #expect(try lastChange(fixture, "wf") == .commit(#require(Oid(hex: first))))
        try expectMatchesGit(fixture, ["wf", "wf-x"])
    }

    @Test func aMergeTreesameToItsFirstParentIsFollowedThroughThatParent() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "1")
        try fixture.write("other/b.ts", "1")
        try fixture.commitAll("base")
        try fixture.git(["checkout", "-q", "-b", "side"])
        try fixture.write("other/b.ts", "side")
        try fixture.commitAll("side changes other")
        try fixture.git(["checkout", "-q", "main"])
        try fixture.write("wf/a.ts", "main")
        let mainChange = try fixture.commitAll("main changes wf")
        try fixture.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        #expect(try lastChange(fixture, "wf") == .commit(#require(Oid(hex: mainChange))))
        try expectMatchesGit(fixture, ["wf", "other", ""])
    }

    @Test func aMergeTreesameToItsSecondParentOnlyFollowsTheSideBranch() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "1")
        try fixture.commitAll("base")
        try fixture.git(["checkout", "-q", "-b", "side"])
        try fixture.write("wf/a.ts", "side")
        let sideChange = try fixture.commitAll("side changes wf")
        try fixture.write("other/b.ts", "side")
        try fixture.commitAll("side changes other")
        try fixture.git(["checkout", "-q", "main"])
        try fixture.write("other/c.ts", "main")
        try fixture.commitAll("main changes other")
        try fixture.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        #expect(try lastChange(fixture, "wf") == .commit(#require(Oid(hex: sideChange))))
        try expectMatchesGit(fixture, ["wf", "other", ""])
    }

    @Test func aMergeThatEqualsNoParentIsTheChange() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "1")
        try fixture.write("wf/b.ts", "1")
        try fixture.commitAll("base")
        try fixture.git(["checkout", "-q", "-b", "side"])
        try fixture.write("wf/b.ts", "side")
        try fixture.commitAll("side changes b")
        try fixture.git(["checkout", "-q", "main"])
        try fixture.write("wf/a.ts", "main")
        try fixture.commitAll("main changes a")
        try fixture.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        let merge = try fixture.gitText(["rev-parse", "HEAD"])
        try fixture.write("other/x.ts", "x")
        try fixture.commitAll("after the merge")
        #expect(try lastChange(fixture, "wf") == .commit(#require(Oid(hex: merge))))
        try expectMatchesGit(fixture, ["wf", "other", ""])
        try expectMatchesGit(fixture, ["wf", ""], "HEAD~1^2")
    }

    @Test func aRevertToAnEarlierTreeIsAChange() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "1")
        try fixture.commitAll("one")
        try fixture.write("wf/a.ts", "2")
        try fixture.commitAll("two")
        try fixture.git(["revert", "--no-edit", "HEAD"])
        let revert = try fixture.gitText(["rev-parse", "HEAD"])
        try fixture.write("other/x.ts", "x")
        try fixture.commitAll("unrelated")
        #expect(try lastChange(fixture, "wf") == .commit(#require(Oid(hex: revert))))
        try expectMatchesGit(fixture, ["wf", "wf", ""])
        try expectMatchesGit(fixture, ["wf"], "HEAD~2")
    }

    @Test func theRootCommitIsTheChangeWhenNothingLaterTouchedThePath() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "hello")
        let root = try fixture.commitAll("root")
        try fixture.write("docs/x.md", "x")
        try fixture.commitAll("docs")
        #expect(try lastChange(fixture, "hello") == .commit(#require(Oid(hex: root))))
        #expect(try lastChange(fixture, "nowhere") == nil)
        #expect(try gitLastChange(fixture, "nowhere") == "")
        try expectMatchesGit(fixture, ["hello", "docs"])
    }

    @Test func aWorkflowAtTheRootSkipsEmptyCommitsButNotAnyOtherChange() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll("root workflow")
        try fixture.write("README.md", "readme\n")
        let readme = try fixture.commitAll("readme")
        try fixture.git(["commit", "-q", "--allow-empty", "-m", "empty"])
        #expect(try lastChange(fixture, "") == .commit(#require(Oid(hex: readme))))
        try expectMatchesGit(fixture, [""])
    }

    @Test func anEmptyRootCommitIsNoChangeOfTheWholeTree() throws {
        let fixture = try GitFixture()
        try fixture.git(["commit", "-q", "--allow-empty", "-m", "empty root"])
        #expect(try lastChange(fixture, "") == nil)
        #expect(try gitLastChange(fixture, "") == "")
        try fixture.writeWorkflow()
        let first = try fixture.commitAll("workflow")
        #expect(try lastChange(fixture, "") == .commit(#require(Oid(hex: first))))
    }

    @Test func aShallowCloneFindsChangesWithinItsHistoryAndSaysWhenTheWalkHitsTheBoundary() throws {
        let origin = try GitFixture()
        try origin.write("wf/a.ts", "1")
        try origin.write("other/b.ts", "1")
        try origin.commitAll("one")
        for index in 2...4 {
            try origin.write("other/b.ts", "\(index)")
            try origin.commitAll("other \(index)")
        }
        try origin.write("near/c.ts", "c")
        try origin.commitAll("near")
        let clone = try GitFixture()
        try clone.git(["fetch", "-q", "--depth", "3", "file://\(origin.path)", "main:refs/remotes/origin/main"])
        try clone.git(["checkout", "-q", "-B", "main", "origin/main"])
        let boundary = try clone.gitText(["rev-parse", "HEAD~2"])
        let repository = try Repository.open(containing: clone.path)
        let head = try repository.resolveCommit("HEAD").oid
        #expect(repository.isShallow)
        #expect(try repository.lastChange(of: "wf", asOf: head) == .beyondShallowBoundary(#require(Oid(hex: boundary))))
        // git, which cannot see past the boundary either, calls the boundary the change.
        #expect(try gitLastChange(clone, "wf") == boundary)
        try expectMatchesGit(clone, ["near", "other"])
    }
}
