import Foundation
import GitShim
import Testing
import TestSupport

@Suite struct RepositoryTests {
    @Test func opensFromASubdirectory() throws {
        let fixture = try GitFixture()
        try fixture.write("deep/er/file.txt", "x\n")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path + "/deep/er")
        let top = URL(fileURLWithPath: fixture.path).resolvingSymlinksInPath().path
        #expect(URL(fileURLWithPath: repository.workingDirectory!).resolvingSymlinksInPath().path == top)
        #expect(!repository.isBare)
    }

    @Test func opensABareRepository() throws {
        let source = try GitFixture()
        try source.write("a.txt", "x\n")
        let sha = try source.commitAll()
        let bare = try GitFixture(bare: true)
        try source.git(["push", "-q", bare.path, "main"])
        let repository = try Repository.open(containing: bare.path)
        #expect(repository.isBare)
        #expect(repository.workingDirectory == nil)
        #expect(try repository.resolveCommit("main").oid.hex == sha)
    }

    @Test func opensALinkedWorktreeWithItsOwnHead() throws {
        let fixture = try GitFixture()
        try fixture.write("a.txt", "x\n")
        let first = try fixture.commitAll()
        try fixture.write("a.txt", "y\n")
        try fixture.commitAll()
        let worktree = fixture.path + "-wt"
        try fixture.git(["worktree", "add", "-q", "--detach", worktree, first])
        defer { try? FileManager.default.removeItem(atPath: worktree) }
        let repository = try Repository.open(containing: worktree)
        #expect(try repository.resolveCommit("HEAD").oid.hex == first)
    }

    @Test func outsideARepositoryIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("no-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Repository.open(containing: dir.path)
            Issue.record("opened a repository where there is none")
        } catch let error as GitError {
            #expect(error.reason == .notARepository)
            #expect(error.message.hasPrefix("not a git repository"))
        }
    }
}
