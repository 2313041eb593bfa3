import Foundation
import GitShim
import Testing
import TestSupport
import GitFiles

/// Attribute files cost bounded work: git's line and file limits (attr.c), a read limit judged
/// from the object header, a cap on lines, and a step budget for matching one path.
@Suite struct AttributeBoundsTests {
    static let backtracking = String(repeating: "*a", count: 19) + "*b"
    static let longName = String(repeating: "a", count: 200) + ".ts"

    /// HEAD's snapshot after committing a root tree of `.gitattributes` = `attributes` and `nodes/<names>`.
    static func commit(in fixture: GitFixture, attributes: String, names: [String]) throws -> CommitSnapshot {
        let empty = try fixture.blob("")
        let nodes = try fixture.rawTree(names.sorted().map { .blob($0, empty) })
        // git's own `add` evaluates attributes and never finishes on the backtracking pattern.
        let tree = try fixture.rawTree([.blob(".gitattributes", try fixture.blob(attributes)), .tree("nodes", nodes)])
        try fixture.git(["update-ref", "refs/heads/main", try fixture.commitTree(tree)])
        let repository = try Repository.open(containing: fixture.path)
        return try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
    }

    @Test func aBacktrackingPatternIsRefusedNamingTheFileLineAndPath() throws {
        let fixture = try GitFixture()
        let snapshot = try Self.commit(in: fixture, attributes: "*.png binary\n\(Self.backtracking) binary\n", names: [Self.longName])
        let attributes = try GitAttributes.load(from: snapshot, for: ["nodes/" + Self.longName])
        #expect(throws: AttributesRefusal(
            file: ".gitattributes", line: 2,
            message: ".gitattributes:2: matching the pattern '\(Self.backtracking)' against 'nodes/\(Self.longName)' "
                + "takes more than 10000000 steps",
            fix: "simplify the pattern on line 2 of .gitattributes: each `*` followed by more text multiplies the work")) {
            try attributes.state(of: "binary", for: "nodes/" + Self.longName)
        }
    }

    @Test func theSamePatternStillDecidesShortNames() throws {
        let fixture = try GitFixture()
        let snapshot = try Self.commit(in: fixture, attributes: "\(Self.backtracking) binary\n", names: ["aab.ts", "aaa.ts"])
        let attributes = try GitAttributes.load(from: snapshot, for: ["nodes/aab.ts", "nodes/aaa.ts"])
        #expect(try attributes.state(of: "binary", for: "nodes/aab.ts") == .unspecified)
        let matching = "nodes/" + String(repeating: "a", count: 19) + "b"
        #expect(try attributes.state(of: "binary", for: matching) == .set)
    }

    @Test func aLineOf2048BytesIsIgnoredWithGitsWarning() throws {
        // git's t0003: `path %02043d` is 2048 bytes, one more than attr.c reads.
        let long = "path " + String(repeating: "0", count: 2042) + "1"
        let fixture = try GitFixture()
        let snapshot = try Self.commit(in: fixture, attributes: "\(long)\nshort.ts -diff\n", names: ["short.ts"])
        let attributes = try GitAttributes.load(from: snapshot, for: ["nodes/short.ts"])
        #expect(attributes.warnings == [".gitattributes: ignoring overly long attributes line 1, as git does"])
        #expect(try attributes.state(of: "diff", for: "nodes/short.ts") == .unset)
    }

    @Test func aFileOverTheReadLimitIsRefusedFromItsHeader() throws {
        let text = String(repeating: "# padding\n", count: GitAttributes.maxReadBytes / 10 + 1)
        let fixture = try GitFixture()
        let snapshot = try Self.commit(in: fixture, attributes: text, names: ["a.ts"])
        #expect(throws: AttributesRefusal(
            file: ".gitattributes", line: nil,
            message: ".gitattributes: \(text.utf8.count) bytes; pipedreamer reads attributes files of at most 4194304 bytes",
            fix: "shorten .gitattributes: merge its patterns (`*.png binary` covers every PNG)")) {
            try GitAttributes.load(from: snapshot, for: ["nodes/a.ts"])
        }
    }

    @Test func aFileOfGitsSizeLimitIsIgnoredWithoutBeingRead() throws {
        let snapshot = HeaderOnlySnapshot(size: 100 * 1024 * 1024)
        let attributes = try GitAttributes.load(from: snapshot, for: ["a.ts"])
        #expect(attributes.warnings == ["ignoring overly large gitattributes blob '.gitattributes' (104857600 bytes), as git does"])
        #expect(snapshot.reads == 0)
    }

    @Test func moreLinesThanTheCapAreRefused() throws {
        let text = String(repeating: "a.ts -diff\n", count: GitAttributes.maxRules + 1)
        let fixture = try GitFixture()
        let snapshot = try Self.commit(in: fixture, attributes: text, names: ["a.ts"])
        #expect(throws: AttributesRefusal(
            file: ".gitattributes", line: nil,
            message: ".gitattributes: the .gitattributes files hold more than 200000 pattern lines",
            fix: "shorten .gitattributes: merge its patterns (`*.png binary` covers every PNG)")) {
            try GitAttributes.load(from: snapshot, for: ["nodes/a.ts"])
        }
    }
}

/// A snapshot whose only file, `.gitattributes`, has a header of `size` bytes, counting content reads.
private final class HeaderOnlySnapshot: Snapshot, @unchecked Sendable {
    let size: Int
    private let lock = NSLock()
    private var readCount = 0

    init(size: Int) { self.size = size }

    var reads: Int { lock.withLock { readCount } }
    var label: String { "header only" }

    func entries(under directory: String) throws -> [SnapshotEntry] { [] }

    func entry(at path: String) throws -> SnapshotEntry? {
        guard path == ".gitattributes" else { return nil }
        return SnapshotEntry(path: path, kind: .file, oid: Oid(hex: String(repeating: "0", count: 40))!, size: size)
    }

    func directories(containing name: String) throws -> [String] { [] }

    func contents(of entry: SnapshotEntry) throws -> [UInt8] {
        lock.withLock { readCount += 1 }
        return []
    }

    func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] { try contents(of: entry) }
}
