import Foundation
@testable import GitShim
import Testing
import TestSupport
import GitFiles

/// The libgit2-free reading the pre-commit hook does first: objects from loose files and packs
/// (deltas included) equal `git cat-file`, and a directory is "unchanged" only when git agrees.
@Suite struct StagedChangeTests {
    /// A history of edits to the same files, so `git gc` stores most trees and blobs as deltas.
    func history(packed: Bool) throws -> GitFixture {
        let fixture = try GitFixture()
        for round in 0..<6 {
            for file in 0..<4 {
                try fixture.write("wf/nodes/n\(file).ts", String(repeating: "export const v\(file) = \(round);\n", count: 40 + round))
            }
            try fixture.write("wf/workflow.yaml", "name: wf\nround: \(round)\n")
            try fixture.write("lib/deep/x\(round).ts", "x\n")
            try fixture.commitAll("round \(round)")
        }
        if packed { try fixture.git(["gc", "-q", "--aggressive"]) }
        return fixture
    }

    func open(_ fixture: GitFixture, environment: [String: String] = [:]) -> StagedChange? {
        StagedChange.open(environment: { environment[$0] }, currentDirectory: fixture.path + "/wf")
    }

    @Test(arguments: [false, true])
    func everyObjectReadsAsGitCatFileShowsIt(packed: Bool) throws {
        let fixture = try history(packed: packed)
        if packed {
            #expect(try fixture.gitText(["count-objects", "-v"]).hasPrefix("count: 0\n"))
            #expect(try fixture.gitText(["verify-pack", "-v"] + [try packIndex(fixture)]).contains("chain length = "))
        }
        let objects = try #require(ObjectFiles(directory: fixture.path + "/.git/objects"))
        let listed = try fixture.gitText(["rev-list", "--objects", "--all"]).split(separator: "\n").map { String($0.prefix(40)) }
        #expect(listed.count > 40)
        for hex in listed {
            let read = try #require(try objects.read(Oid(hex: hex)!.rawBytes))
            let kind = try fixture.gitText(["cat-file", "-t", hex])
            #expect("\(read.kind)" == kind)
            #expect(Data(read.data) == (try fixture.git(["cat-file", kind, hex])))
        }
        #expect(try objects.read(Array(repeating: 0xab, count: 20)) == nil)
    }

    func packIndex(_ fixture: GitFixture) throws -> String {
        let directory = fixture.path + "/.git/objects/pack"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".idx") })
        return directory + "/" + name
    }

    @Test(arguments: [false, true])
    func aDirectoryIsUnchangedExactlyUntilSomethingBelowItIsStaged(packed: Bool) throws {
        let fixture = try history(packed: packed)
        try fixture.git(["read-tree", "HEAD"])
        let clean = try #require(open(fixture))
        #expect(clean.hasHead)
        #expect(clean.directories(containing: "workflow.yaml") == ["wf"])
        for directory in ["", "wf", "wf/nodes", "lib", "lib/deep"] { #expect(clean.isUnchanged(directory: directory), "\(directory)") }
        #expect(clean.isUnchanged(file: "wf/workflow.yaml"))
        #expect(clean.isUnchanged(file: ".gitattributes"))
        try fixture.write("lib/deep/y.ts", "y\n")
        try fixture.git(["add", "lib/deep/y.ts"])
        let staged = try #require(open(fixture))
        #expect(staged.isUnchanged(directory: "wf"))
        #expect(!staged.isUnchanged(directory: "lib"))
        #expect(!staged.isUnchanged(directory: ""))
        try fixture.write(".gitattributes", "*.ts binary\n")
        try fixture.git(["add", ".gitattributes"])
        #expect(try #require(open(fixture)).isUnchanged(file: ".gitattributes") == false)
    }

    @Test func formsItDoesNotReadAreLeftToLibgit2() throws {
        let fixture = try history(packed: false)
        #expect(open(fixture, environment: ["GIT_OBJECT_DIRECTORY": fixture.path + "/.git/objects"]) == nil)
        #expect(open(fixture, environment: ["GIT_INDEX_FILE": fixture.path + "/.git/no-such-index"]) == nil)
        try fixture.write(".git/objects/info/alternates", "/elsewhere\n")
        #expect(open(fixture) == nil)
        let sha256 = try GitFixture()
        try sha256.git(["init", "-q", "--object-format=sha256", sha256.path + "/r"])
        #expect(StagedChange.open(environment: { _ in nil }, currentDirectory: sha256.path + "/r") == nil)
    }
}
