import Foundation
import GitFiles
import GitShim
import Hooks
import Testing
import TestSupport
import WorkflowBundle

/// The pre-commit logic over a real index, without git running it.
@Suite struct PreCommitTests {
    func run(_ fixture: GitFixture, limit: Int = 921_600) throws -> PreCommitReport {
        let repository = try Repository.open(containing: fixture.path)
        return try PreCommit.run(repository: repository, index: IndexSnapshot(repository: repository, indexFile: fixture.path + "/.git/index"),
                                 limit: limit)
    }

    @Test func onlyWorkflowsTheStagedChangeTouchesAreChecked() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "a")
        try fixture.writeWorkflow(at: "b")
        try fixture.commitAll()
        try fixture.write("b/nodes/more.ts", "more\n")
        try fixture.git(["add", "-A"])
        #expect(try run(fixture).checked == ["b"])
    }

    @Test func aModeChangeTouchesTheWorkflow() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        try fixture.git(["update-index", "--chmod=+x", "wf/nodes/fetch.ts"])
        #expect(try run(fixture).checked == ["wf"])
    }

    @Test func aChangedGitattributesAboveAWorkflowTouchesIt() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "team/wf")
        try fixture.commitAll()
        try fixture.write("team/.gitattributes", "*.ts -diff\n")
        try fixture.git(["add", "-A"])
        let report = try run(fixture)
        #expect(report.checked == ["team/wf"])
        #expect(report.failures.map(\.check.violations.first?.path) == ["team/wf/nodes/fetch.ts"])
    }

    @Test func aNestedWorkflowsChangeDoesNotTouchTheOuterOne() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "outer")
        try fixture.writeWorkflow(at: "outer/inner", name: "inner")
        try fixture.commitAll()
        try fixture.write("outer/inner/nodes/x.ts", "x\n")
        try fixture.git(["add", "-A"])
        #expect(try run(fixture).checked == ["outer/inner"])
    }

    @Test func changesOutsideWorkflowsCheckNothing() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        try fixture.write("docs/readme.md", "x\n")
        try fixture.git(["add", "-A"])
        let report = try run(fixture)
        #expect(report.checked == [])
        #expect(report.passed)
    }

    @Test func theSizeReportSaysHowMuchTheCommitAdds() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["fetch": "12345\n"])
        try fixture.commitAll()
        try fixture.write("wf/nodes/fetch.ts", String(repeating: "a", count: 1999) + "\n")
        try fixture.git(["add", "-A"])
        let failure = try #require(try run(fixture, limit: 1024).failures.first)
        let spec = try fixture.git(["show", "HEAD:wf/workflow.yaml"]).count
        #expect(failure.bytesBefore == spec + 6)
        #expect(failure.sizeChange == "this commit adds 1994 bytes (\(spec + 6) bytes before)")
    }

    @Test func theSizeBeforeCountsOnlyWhatTheBundleShips() throws {
        // At HEAD a node marked binary in .gitattributes (committed past the hook) does not ship,
        // so it is not part of the size before the change either.
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["fetch": "12345\n"])
        try fixture.write("wf/nodes/data.json", String(repeating: "d", count: 500))
        try fixture.write("wf/.gitattributes", "nodes/data.json binary\n")
        try fixture.commitAll()
        try fixture.write("wf/nodes/fetch.ts", String(repeating: "a", count: 1999) + "\n")
        try fixture.git(["add", "-A"])
        let failure = try #require(try run(fixture, limit: 1024).failures.first)
        let spec = try fixture.git(["show", "HEAD:wf/workflow.yaml"]).count
        #expect(failure.bytesBefore == spec + 6)
    }

    @Test func theHookNeverWritesTheIndex() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        try fixture.write("wf/nodes/bad.ts", [0])
        try fixture.git(["add", "-A"])
        let index = fixture.root.appendingPathComponent(".git/index")
        let before = try Data(contentsOf: index)
        let modified = try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date
        #expect(try run(fixture).failures.count == 1)
        #expect(try Data(contentsOf: index) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date == modified)
    }

    @Test func aFileUnderNodesThatCannotBeReadInPartIsRefused() throws {
        // Two versions of a 17 MiB file with a NUL near the start; after `git gc` one is a delta,
        // which libgit2 resolves only whole, and only up to 16 MiB: it must not pass unread.
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        let line = Array("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n".utf8)
        var content = [UInt8](repeating: 0, count: 0)
        content.reserveCapacity(17 << 20 + line.count)
        while content.count < 17 << 20 { content += line }
        content[5] = 0
        try fixture.write("wf/nodes/model.bin", content)
        try fixture.commitAll("first")
        try fixture.write("wf/nodes/model.bin", content + Array("more\n".utf8))
        try fixture.commitAll("second")
        // One thread: an aggressive repack of 34 MiB on every core would starve the tests beside it.
        try fixture.git(["-c", "pack.threads=1", "gc", "-q"])
        let packs = try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/.git/objects/pack").filter { $0.hasSuffix(".idx") }
        let verbose = String(decoding: try fixture.git(["verify-pack", "-v"] + packs.map { fixture.path + "/.git/objects/pack/" + $0 }), as: UTF8.self)
        let versions = [try fixture.gitText(["rev-parse", "HEAD~1:wf/nodes/model.bin"]), try fixture.gitText(["rev-parse", "HEAD:wf/nodes/model.bin"])]
        let delta = try #require(versions.first { blob in
            verbose.split(separator: "\n").contains { $0.hasPrefix(blob) && $0.split(separator: " ", omittingEmptySubsequences: true).count >= 7 }
        }, "git stored one version as a delta")
        if delta == versions[1] {
            // HEAD holds the delta version: take the file out of HEAD, so staging it is a change.
            try fixture.git(["rm", "-q", "--cached", "wf/nodes/model.bin"])
            try fixture.git(["commit", "-q", "--no-verify", "-m", "without the model"])
        }
        try fixture.git(["update-index", "--add", "--cacheinfo", "100644,\(delta),wf/nodes/model.bin"])
        let report = try run(fixture)
        #expect(report.checked == ["wf"])
        #expect(!report.passed)
        let violation = try #require(report.failures.first?.check.violations.first { $0.path == "wf/nodes/model.bin" })
        #expect(violation.kind == .binary)
        #expect(violation.message.contains("stored as a delta"), "\(violation.message)")
        // The hook's own reader (object files, no libgit2) keeps the same bound and gives the same
        // empty prefix, as `Snapshot.prefix` promises, rather than an error of its own.
        let environment = { (name: String) -> String? in name == "GIT_DIR" ? fixture.path + "/.git" : nil }
        let change = try #require(StagedChange.open(environment: environment, currentDirectory: fixture.path))
        let snapshot = change.snapshot
        let entry = try #require(try snapshot.entry(at: "wf/nodes/model.bin"))
        #expect(entry.size > SnapshotLimits.maxWholeReadForPrefix)
        #expect(try snapshot.prefix(of: entry, maxBytes: 8000) == [])
        let libgit2 = try IndexSnapshot(repository: Repository.open(containing: fixture.path), indexFile: fixture.path + "/.git/index")
        #expect(try libgit2.prefix(of: try #require(try libgit2.entry(at: "wf/nodes/model.bin")), maxBytes: 8000) == [])
    }
}
