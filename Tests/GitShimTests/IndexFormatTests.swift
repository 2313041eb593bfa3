import Foundation
@testable import GitShim
import Testing
import TestSupport
import GitFiles
import WorkflowBundle

/// Every index form git writes reads as `git ls-files -s` lists it (git expands a sparse index there).
@Suite struct IndexFormatTests {
    /// `git ls-files -s` of stage-0 entries, as "mode oid path" lines.
    func gitListing(_ fixture: GitFixture) throws -> [String] {
        try fixture.gitText(["ls-files", "-s"]).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            let meta = fields[0].split(separator: " ")
            guard meta[2] == "0" else { return nil }
            return "\(meta[0]) \(meta[1]) \(fields[1])"
        }
    }

    func listing(_ fixture: GitFixture) throws -> [String] {
        let snapshot = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        let modes: [EntryKind: String] = [.file: "100644", .executable: "100755", .symlink: "120000", .submodule: "160000"]
        return snapshot.allPaths.map { "\(modes[$0.kind]!) \($0.oid.hex) \($0.path)" }
    }

    /// A repository with files in several directories, committed.
    func populated() throws -> GitFixture {
        let fixture = try GitFixture()
        for directory in ["a", "b/c", "d", "wf/nodes"] {
            for file in 0..<5 { try fixture.write("\(directory)/f\(file).ts", "\(directory) \(file)\n") }
        }
        try fixture.write("top.txt", "top\n")
        try fixture.commitAll("base")
        return fixture
    }

    @Test(arguments: ["2", "3", "4"])
    func aSplitIndexWithReplacedDeletedAndAddedEntriesReadsAsGitListsIt(version: String) throws {
        let fixture = try populated()
        try fixture.git(["update-index", "--index-version", version])
        try fixture.git(["update-index", "--split-index"])
        try fixture.write("a/f1.ts", "changed\n")
        try fixture.write("b/c/new.ts", "new\n")
        try fixture.write("zz.ts", "last\n")
        try fixture.git(["add", "a/f1.ts", "b/c/new.ts", "zz.ts"])
        try fixture.git(["rm", "-q", "--cached", "d/f3.ts"])
        try fixture.git(["update-index", "--chmod=+x", "wf/nodes/f0.ts"])
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/.git")
        #expect(files.contains { $0.hasPrefix("sharedindex.") })
        #expect(try listing(fixture) == gitListing(fixture))
        #expect(try listing(fixture).count == 22)
    }

    @Test func aSplitIndexKeptOnAcrossCommitsReadsAsGitListsIt() throws {
        let fixture = try populated()
        try fixture.git(["config", "core.splitIndex", "true"])
        for round in 0..<3 {
            try fixture.write("a/f\(round).ts", "round \(round)\n")
            try fixture.write("e/n\(round).ts", "new \(round)\n")
            try fixture.git(["add", "-A"])
            try fixture.git(["commit", "-q", "--no-verify", "-m", "round \(round)"])
        }
        try fixture.git(["rm", "-q", "--cached", "b/c/f2.ts"])
        try fixture.write("b/c/f4.ts", "staged\n")
        try fixture.git(["add", "b/c/f4.ts"])
        #expect(try listing(fixture) == gitListing(fixture))
    }

    @Test func aSparseIndexIsExpandedFromItsTrees() throws {
        let fixture = try populated()
        try fixture.git(["sparse-checkout", "init", "--cone", "--sparse-index"])
        try fixture.git(["sparse-checkout", "set", "wf"])
        let sparse = try fixture.gitText(["ls-files", "--sparse"])
        #expect(sparse.contains("b/\n"))
        #expect(try listing(fixture) == gitListing(fixture))
        try fixture.write("wf/nodes/more.ts", "more\n")
        try fixture.git(["add", "wf/nodes/more.ts"])
        #expect(try listing(fixture) == gitListing(fixture))
    }

    @Test func intentToAddEntriesAreLeftOut() throws {
        let fixture = try populated()
        try fixture.write("wf2/workflow.yaml", "name: later\n")
        try fixture.git(["add", "-N", "wf2"])
        try fixture.git(["update-index", "--index-version", "3"])
        #expect(try fixture.gitText(["ls-files", "wf2"]) == "wf2/workflow.yaml")
        #expect(try !listing(fixture).contains { $0.hasSuffix(" wf2/workflow.yaml") })
        let snapshot = try IndexSnapshot(repository: Repository.open(containing: fixture.path))
        #expect(try snapshot.directories(containing: "workflow.yaml") == [])
    }

    @Test func ewahBitmapsDecodeRunsAndLiterals() throws {
        // 3 run words of ones (192 bits), then one literal word with bits 0 and 63.
        let marker: UInt64 = (1 << 33) | (3 << 1) | 1
        var bytes: [UInt8] = [0, 0, 1, 0, 0, 0, 0, 2]
        let words: [UInt64] = [marker, (1 << 63) | 1]
        for word in words {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        bytes += [0, 0, 0, 0]
        var cursor = 0
        let bits = try EWAHBitmap(bytes, at: &cursor).setBits()
        #expect(bits == Array(0..<192) + [192, 255])
        #expect(cursor == bytes.count)
    }
}
