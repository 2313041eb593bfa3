import Foundation
import GitShim
import Testing
import TestSupport

@Suite struct CommitSnapshotTests {
    let fixture: GitFixture
    let repository: Repository
    let snapshot: CommitSnapshot

    init() throws {
        fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", "name: x\n")
        try fixture.write("wf/nodes/a.ts", "export const a = 1;\n")
        try fixture.write("wf/nodes/deep/b.json", "{}\n")
        try fixture.write("wf/run.sh", "#!/bin/sh\n")
        try fixture.write("other/workflow.yaml", "name: y\n")
        try fixture.write("top.txt", "top\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/wf/run.sh")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/wf/link.ts", withDestinationPath: "nodes/a.ts")
        try fixture.commitAll()
        repository = try Repository.open(containing: fixture.path)
        snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
    }

    @Test func entriesUnderADirectoryMatchGitLsTree() throws {
        let entries = try snapshot.entries(under: "wf")
        let expected = try fixture.gitText(["ls-tree", "-r", "--name-only", "HEAD", "wf"]).split(separator: "\n").map(String.init)
        #expect(entries.map(\.path) == expected)
    }

    @Test func sizesComeFromObjectHeadersAndMatchGitCatFile() throws {
        for entry in try snapshot.entries(under: "") {
            let size = try fixture.gitText(["cat-file", "-s", entry.oid.hex])
            #expect(entry.size == Int(size), "size of \(entry.path)")
        }
    }

    @Test func kindsFollowTheTreeModes() throws {
        let kinds = Dictionary(uniqueKeysWithValues: try snapshot.entries(under: "wf").map { ($0.path, $0.kind) })
        #expect(kinds["wf/run.sh"] == .executable)
        #expect(kinds["wf/link.ts"] == .symlink)
        #expect(kinds["wf/nodes/a.ts"] == .file)
    }

    @Test func contentsEqualGitShow() throws {
        for entry in try snapshot.entries(under: "") where entry.kind != .submodule {
            let expected = try fixture.git(["show", "HEAD:\(entry.path)"])
            #expect(try snapshot.contents(of: entry) == Array(expected), "content of \(entry.path)")
        }
    }

    @Test func directoriesContainingAFileAreFound() throws {
        #expect(try snapshot.directories(containing: "workflow.yaml") == ["other", "wf"])
    }

    @Test func entryAtAPathAndMissingPaths() throws {
        #expect(try snapshot.entry(at: "wf/nodes/a.ts")?.size == 20)
        #expect(try snapshot.entry(at: "wf/nodes") == nil)
        #expect(try snapshot.entry(at: "nope.txt") == nil)
        #expect(try snapshot.entries(under: "nope") == [])
    }

    @Test func snapshotIgnoresTheWorkingCopyAndTheIndex() throws {
        try fixture.write("wf/nodes/a.ts", "changed\n")
        try fixture.write("wf/nodes/new.ts", "new\n")
        try fixture.git(["add", "wf/nodes/new.ts"])
        let again = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        #expect(try again.entries(under: "wf") == snapshot.entries(under: "wf"))
        #expect(try again.text(at: "wf/nodes/a.ts") == "export const a = 1;\n")
    }

    @Test func prefixReadsAtMostTheRequestedBytes() throws {
        try fixture.write("big.txt", String(repeating: "0123456789", count: 10_000))
        try fixture.commitAll()
        let head = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let entry = try #require(try head.entry(at: "big.txt"))
        #expect(entry.size == 100_000)
        #expect(try head.prefix(of: entry, maxBytes: 8_000) == Array(String(repeating: "0123456789", count: 800).utf8))
        try fixture.git(["gc", "-q"])
        let packed = try CommitSnapshot(repository: Repository.open(containing: fixture.path), commit: repository.resolveCommit("HEAD"))
        #expect(try packed.prefix(of: entry, maxBytes: 5) == Array("01234".utf8))
    }

    @Test func submodulesAreListedAsSubmodules() throws {
        let sha = try fixture.gitText(["rev-parse", "HEAD"])
        try fixture.git(["update-index", "--add", "--cacheinfo", "160000,\(sha),wf/vendor"])
        try fixture.git(["commit", "-q", "--no-verify", "-m", "submodule"])
        let head = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let entry = try #require(try head.entries(under: "wf").first { $0.path == "wf/vendor" })
        #expect(entry.kind == .submodule)
        #expect(entry.size == 0)
    }

    @Test func pathsThatAreNotUTF8AreFlagged() throws {
        let blob = try fixture.gitText(["hash-object", "-w", "top.txt"])
        // git accepts any bytes in a path; build one with a Latin-1 byte through update-index.
        try fixture.git(["update-index", "--add", "--index-info"],
                        input: Data("100644 \(blob)\twf/caf".utf8 + [0xE9] + Data(".ts\n".utf8)))
        try fixture.git(["commit", "-q", "--no-verify", "-m", "latin1"])
        let head = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let flagged = try head.entries(under: "wf").filter { !$0.pathIsUTF8 }
        #expect(flagged.count == 1)
    }
}

@Suite struct IndexSnapshotTests {
    @Test func indexSnapshotSeesStagedButNotUnstagedChanges() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/a.ts", "one\n")
        try fixture.commitAll()
        try fixture.write("wf/a.ts", "staged\n")
        try fixture.git(["add", "wf/a.ts"])
        try fixture.write("wf/a.ts", "unstaged\n")
        let snapshot = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        let entry = try #require(try snapshot.entry(at: "wf/a.ts"))
        #expect(entry.size == 7)
        #expect(try snapshot.text(at: "wf/a.ts") == "staged\n")
        #expect(snapshot.label == "the index")
    }

    @Test func anAlternateIndexFileIsRead() throws {
        let fixture = try GitFixture()
        try fixture.write("a.ts", "one\n")
        try fixture.commitAll()
        let alternate = fixture.path + "/.git/other-index"
        try fixture.write("b.ts", "two\n")
        try fixture.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": alternate])
        try fixture.git(["add", "b.ts"], environment: ["GIT_INDEX_FILE": alternate])
        let repository = try Repository.open(containing: fixture.path)
        let alternateSnapshot = try IndexSnapshot(repository: repository, indexFile: alternate)
        #expect(try alternateSnapshot.entries(under: "").map(\.path) == ["a.ts", "b.ts"])
        let main = try IndexSnapshot(repository: repository)
        #expect(try main.entries(under: "").map(\.path) == ["a.ts"])
    }

    @Test func theIndexOfANewRepositoryWorksBeforeTheFirstCommit() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", "name: x\n")
        try fixture.git(["add", "-A"])
        let snapshot = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        #expect(try snapshot.directories(containing: "workflow.yaml") == ["wf"])
    }
}
