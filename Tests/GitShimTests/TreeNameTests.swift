import Foundation
import GitFiles
import GitShim
import Testing
import TestSupport

/// Tree entries git fsck refuses (fsck.c `fsck_tree`), judged as git judges them.
@Suite struct TreeNameTests {
    /// git fsck itself is the oracle: each name alone in a tree, and the message id fsck reports for it.
    @Test func everyNameIsJudgedAsGitFsckJudgesIt() throws {
        let fixture = try GitFixture()
        let blob = try fixture.blob("x\n")
        let names: [[UInt8]] = [
            Array(".".utf8), Array("..".utf8), Array("".utf8), Array("a/b".utf8), Array("/a.ts".utf8),
            Array(".git".utf8), Array(".GIT".utf8), Array(".git.".utf8), Array(".git .".utf8), Array("git~1".utf8),
            Array("GIT~1".utf8), Array(".git:stream".utf8), Array(".git\\x".utf8), Array(".g\u{200C}it".utf8),
            Array("\u{FEFF}.git".utf8), Array(".gi\u{200D}T".utf8),
            Array("...".utf8), Array(".gitignore".utf8), Array("git~2".utf8), Array(".git~1".utf8), Array("a.ts".utf8),
            Array(".gi".utf8) + [0xFF] + Array("t".utf8),
        ]
        var trees = [String: [UInt8]]()
        for name in names { trees[try fixture.rawTree([.blob(bytes: name, blob)])] = name }
        let fsck = try Command.run("/usr/bin/env", ["git", "fsck", "--no-dangling"], in: fixture.path,
                                   environment: GitFixture.environment)
        var gitsRules = [[UInt8]: String]()
        for line in (fsck.stdoutText + fsck.stderrText).split(separator: "\n") {
            // "warning in tree <id>: hasDotgit: contains '.git'" (errors alike)
            let parts = line.split(separator: ":", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let tree = parts[0].split(separator: " ").last, let name = trees[String(tree)] else { continue }
            gitsRules[name] = parts[1]
        }
        var ours = Dictionary(uniqueKeysWithValues: names.compactMap { name in TreeNames.rule(forName: name).map { (name, $0.rawValue) } })
        // An empty name is fsck.c's emptyName; git's tree reader stops at it first (tree-walk.c).
        #expect(ours.removeValue(forKey: []) == "emptyName")
        #expect(gitsRules.removeValue(forKey: []) == "badTree")
        #expect(ours == gitsRules)
        #expect(ours.count == 15)
    }

    @Test func aWorkflowUnderADotDotEntryIsNeverDiscovered() throws {
        let fixture = try GitFixture()
        let workflow = try fixture.workflowTree()
        let commit = try fixture.commitTree(try fixture.rawTree([.tree("..", workflow), .tree("wf", workflow)]))
        let snapshot = try CommitSnapshot(repository: try Repository.open(containing: fixture.path),
                                          commit: try Repository.open(containing: fixture.path).resolveCommit(commit))
        let error = #expect(throws: GitError.self) { try snapshot.directories(containing: "workflow.yaml") }
        #expect(error?.message == "workflow directory .. in commit \(commit.prefix(12)) is reached through ..: a tree entry git fsck "
            + "refuses (hasDotdot: tree contains '..'); fix: rewrite the commit without this entry (`git fsck` names the broken tree, "
            + "`git ls-tree` shows its entries); git cannot check such a tree out, and a server with receive.fsckObjects=true refuses it")
    }

    @Test func aWorkflowInATreeNamedWithASlashIsNeverDiscovered() throws {
        let fixture = try GitFixture()
        let commit = try fixture.commitTree(try fixture.rawTree([.tree("a/wf", try fixture.workflowTree())]))
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(commit))
        let error = #expect(throws: GitError.self) { try snapshot.directories(containing: "workflow.yaml") }
        #expect(error?.message.hasPrefix("workflow directory a/wf in commit \(commit.prefix(12)) is reached through a/wf: a tree entry git fsck refuses (fullPathname: tree contains full pathnames)") == true)
    }

    @Test func aBrokenEntryOutsideEveryWorkflowConcernsNone() throws {
        let fixture = try GitFixture()
        let blob = try fixture.blob("x\n")
        let junk = try fixture.rawTree([.blob("a", blob), .blob("a", blob)])
        let commit = try fixture.commitTree(try fixture.rawTree([.tree("..", junk), .blob(".git", blob), .tree("wf", try fixture.workflowTree())]))
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(commit))
        #expect(try snapshot.directories(containing: "workflow.yaml") == ["wf"])
        let entries = try snapshot.entries(under: "wf")
        #expect(try snapshot.treeFaults(under: "wf", entries: entries) == [])
    }

    /// libgit2 1.5 reads a tree with two workflow.yaml entries without complaint, and its lookup by
    /// name returns one of them while a walk lists both: the finding fsck's rule closes.
    @Test func duplicateEntriesAreFaultsWhereLibgit2SeesOneOfThem() throws {
        let fixture = try GitFixture()
        let other = try fixture.blob("name: other\n")
        let commit = try fixture.commitTree(try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraEntries: [.blob("workflow.yaml", other)]))]))
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(commit))
        let entries = try snapshot.entries(under: "wf")
        #expect(entries.filter { $0.path == "wf/workflow.yaml" }.count == 2)
        #expect(try snapshot.entry(at: "wf/workflow.yaml") != nil)
        #expect(try snapshot.treeFaults(under: "wf", entries: entries) == [TreeFault(path: Array("wf/workflow.yaml".utf8), rule: .duplicateEntries)])
    }

    @Test func faultsOnTheWayToTheWorkflowAreItsOwn() throws {
        let fixture = try GitFixture()
        let workflow = try fixture.workflowTree()
        let blob = try fixture.blob("x\n")
        let commit = try fixture.commitTree(try fixture.rawTree([.tree("team", try fixture.rawTree([.blob("wf", blob), .tree("wf", workflow)]))]))
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(commit))
        #expect(try snapshot.treeFaults(under: "team/wf", entries: try snapshot.entries(under: "team/wf"))
            == [TreeFault(path: Array("team/wf".utf8), rule: .duplicateEntries)])
    }

    @Test func anIndexsFlatPathsAreJudgedAsTheTreeTheyWouldWrite() {
        let paths = ["wf/nodes", "wf/nodes/a.ts", "wf/nodes/b.ts", "wf/nodes/b.ts", "wf/x/../y.ts", "wf/.Git/config"]
        #expect(TreeNames.faults(inPaths: paths.map { Array($0.utf8) }) == [
            TreeFault(path: Array("wf/nodes".utf8), rule: .duplicateEntries),
            TreeFault(path: Array("wf/nodes/b.ts".utf8), rule: .duplicateEntries),
            TreeFault(path: Array("wf/x/..".utf8), rule: .hasDotdot),
            TreeFault(path: Array("wf/.Git".utf8), rule: .hasDotgit),
        ])
    }
}
