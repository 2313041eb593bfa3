import Foundation
import GitShim
import Testing
import TestSupport
import GitFiles

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

    @Test func oneRepositoryIsReadFromManyTasksAtOnce() async throws {
        let fixture = try GitFixture()
        for i in 0..<40 { try fixture.write("f\(i).txt", String(repeating: "\(i) ", count: 100 + i)) }
        try fixture.commitAll()
        try fixture.git(["gc", "-q"])  // packed objects too: several tasks in one pack at once
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let entries = try snapshot.entries(under: "")
        let read = try await withThrowingTaskGroup(of: (String, [UInt8], Int).self) { group in
            for _ in 0..<4 {
                for entry in entries {
                    group.addTask { (entry.path, try snapshot.contents(of: entry), try repository.blobSize(entry.oid)) }
                }
            }
            return try await group.reduce(into: [(String, [UInt8], Int)]()) { $0.append($1) }
        }
        #expect(read.count == 160)
        for (path, bytes, size) in read {
            let expected = [UInt8](try fixture.git(["show", "HEAD:\(path)"]))
            #expect(bytes == expected, "\(path)")
            #expect(size == expected.count, "\(path)")
        }
    }
}
