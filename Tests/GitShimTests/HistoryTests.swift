import Foundation
import GitShim
import Testing
import TestSupport
import GitFiles

@Suite struct HistoryTests {
    @Test func commitsReachableFromATipButNotFromExcludedOnesMatchGitRevList() throws {
        let fixture = try GitFixture()
        var shas = [String]()
        for name in ["a", "b", "c", "d"] {
            try fixture.write("\(name).txt", name)
            shas.append(try fixture.commitAll(name))
        }
        let repository = try Repository.open(containing: fixture.path)
        let listed = try repository.commits(reachableFrom: #require(Oid(hex: shas[3])), excluding: [#require(Oid(hex: shas[1]))])
        let expected = try fixture.gitText(["rev-list", "--topo-order", "--reverse", shas[3], "^" + shas[1]])
        #expect(listed.map(\.hex) == expected.split(separator: "\n").map(String.init))
    }

    @Test func referencesMatchingAGlobAreExcluded() throws {
        let fixture = try GitFixture()
        try fixture.write("a.txt", "a")
        let first = try fixture.commitAll("a")
        try fixture.git(["update-ref", "refs/remotes/origin/main", first])
        try fixture.write("b.txt", "b")
        let second = try fixture.commitAll("b")
        let repository = try Repository.open(containing: fixture.path)
        #expect(try repository.commits(reachableFrom: #require(Oid(hex: second)), excludingReferences: "refs/remotes/origin/*").map(\.hex) == [second])
    }

    @Test func changedPathsMatchGitDiffTree() throws {
        let fixture = try GitFixture()
        try fixture.write("keep/a.txt", "a")
        try fixture.write("gone.txt", "x")
        try fixture.write("mod.txt", "1")
        try fixture.commitAll()
        try fixture.remove("gone.txt")
        try fixture.write("mod.txt", "2")
        try fixture.write("new/b.txt", "b")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let old = try repository.resolveCommit("HEAD~1"), new = try repository.resolveCommit("HEAD")
        let expected = try fixture.gitText(["diff-tree", "-r", "--name-only", "HEAD~1", "HEAD"]).split(separator: "\n").map(String.init)
        #expect(try repository.changedPaths(from: old.tree, to: new.tree) == expected.sorted())
        #expect(new.parents == [old.oid])
    }

    @Test func configValuesAreReadAndMissingOnesAreNil() throws {
        let fixture = try GitFixture()
        try fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*"])
        let config = try Repository.open(containing: fixture.path).config()
        #expect(try config.string("pipedreamer.deployRefs") == "refs/tags/v*")
        #expect(try config.string("pipedreamer.nothing") == nil)
    }

    @Test func aLinkedWorktreeSharesTheCommonDirectory() throws {
        let fixture = try GitFixture()
        try fixture.write("a.txt", "a")
        try fixture.commitAll()
        let worktree = fixture.path + "-wt"
        defer { try? FileManager.default.removeItem(atPath: worktree) }
        try fixture.git(["worktree", "add", "-q", worktree])
        let linked = try Repository.open(containing: worktree)
        #expect(linked.commonDirectory == URL(fileURLWithPath: fixture.path + "/.git").resolvingSymlinksInPath().path)
    }

    @Test func indexEntriesUnderADirectoryAreOnlyThatDirectorysInPathOrder() throws {
        let fixture = try GitFixture()
        for path in ["wf/b.ts", "wf/a/c.ts", "wf-x/d.ts", "wf.txt", "wf0/e.ts", "other/wf/f.ts"] { try fixture.write(path, "x") }
        try fixture.git(["add", "-A"])
        let index = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        #expect(index.unsizedEntries(under: "wf").map(\.path) == ["wf/a/c.ts", "wf/b.ts"])
        #expect(index.unsizedEntries(under: "nope").isEmpty)
        #expect(try index.entries(under: "wf").map(\.size) == [1, 1])
    }

    @Test func treeIDsOfUnchangedDirectoriesAreEqualAcrossCommits() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "a")
        try fixture.write("other/b.ts", "b")
        try fixture.commitAll()
        try fixture.write("other/b.ts", "changed")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let before = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD~1"))
        let after = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        #expect(try before.treeID(at: "wf") == after.treeID(at: "wf"))
        #expect(try before.treeID(at: "other") != after.treeID(at: "other"))
        #expect(try after.treeID(at: "wf")?.hex == fixture.gitText(["rev-parse", "HEAD:wf"]))
    }
}

@Suite struct IndexFileTests {
    /// `git ls-files -s` as (mode, oid, path) for stage-0 entries.
    func lsFiles(_ fixture: GitFixture) throws -> [String] {
        try fixture.gitText(["-c", "core.quotePath=false", "ls-files", "-s"]).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            return fields[2] == "0" ? "\(fields[0]) \(fields[1]) \(parts[1])" : nil
        }
    }

    func snapshotListing(_ fixture: GitFixture) throws -> [String] {
        let index = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        return index.allPaths.map { entry in
            let mode = switch entry.kind {
            case .file: "100644"
            case .executable: "100755"
            case .symlink: "120000"
            case .submodule: "160000"
            }
            return "\(mode) \(entry.oid.hex) \(entry.path)"
        }
    }

    @Test(arguments: [2, 3, 4])
    func everyIndexVersionReadsLikeGitLsFiles(_ version: Int) throws {
        let fixture = try GitFixture()
        for path in ["a.ts", "dir/b.ts", "dir/sub/c.ts", "dir/sub/d-with-a-rather-long-name-to-pad.ts", "dir2/é.ts", "z"] {
            try fixture.write(path, path)
        }
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/link", withDestinationPath: "a.ts")
        try fixture.git(["add", "-A"])
        try fixture.git(["update-index", "--chmod=+x", "z"])
        if version == 3 {
            try fixture.write("intent.ts", "later")
            try fixture.git(["add", "-N", "intent.ts"])
        }
        try fixture.git(["update-index", "--index-version", "\(version)"])
        // What the commit would record: `git ls-files -s` without the intent-to-add entry, as `git write-tree` leaves it out.
        let expected = try lsFiles(fixture).filter { !$0.hasSuffix(" intent.ts") }
        #expect(try snapshotListing(fixture) == expected)
        let tree = try fixture.gitText(["write-tree"])
        #expect(try fixture.gitText(["-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", tree]).split(separator: "\n").count == expected.count)
        #expect(try lsFiles(fixture).contains { $0.hasSuffix(" intent.ts") } == (version == 3))
    }

    @Test func conflictedEntriesAreSkipped() throws {
        let fixture = try GitFixture()
        try fixture.write("a.txt", "base\n")
        try fixture.commitAll()
        try fixture.git(["checkout", "-q", "-b", "other"])
        try fixture.write("a.txt", "other\n")
        try fixture.commitAll()
        try fixture.git(["checkout", "-q", "main"])
        try fixture.write("a.txt", "main\n")
        try fixture.commitAll()
        _ = try? fixture.git(["merge", "-q", "other"])
        let index = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        #expect(index.allPaths.isEmpty)
        #expect(try index.entry(at: "a.txt") == nil)
    }

    @Test func aSplitIndexReadsLikeGitLsFiles() throws {
        let fixture = try GitFixture()
        try fixture.write("a.txt", "a")
        try fixture.git(["add", "-A"])
        try fixture.git(["update-index", "--split-index"])
        try fixture.write("b.txt", "b")
        try fixture.git(["add", "-A"])
        #expect(try snapshotListing(fixture) == lsFiles(fixture))
        #expect(try snapshotListing(fixture).count == 2)
    }
}
