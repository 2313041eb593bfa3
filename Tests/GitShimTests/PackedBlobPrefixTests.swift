import Foundation
import GitShim
import Testing
import TestSupport

/// The first bytes of a packed blob, read from the pack, are git's own (`git cat-file`).
@Suite struct PackedBlobPrefixTests {
    /// Random bytes (incompressible), text, a file whose second version git stores as a delta.
    static func contents() -> [String: [UInt8]] {
        var random = SystemRandomNumberGenerator()
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = Array(String(repeating: "export const line = 1;\n", count: 2_000).utf8)
        return ["noise.bin": noise, "text.ts": text, "tiny.txt": Array("a\n".utf8), "empty.txt": []]
    }

    func prefixes(_ fixture: GitFixture, _ paths: [String], maxBytes: Int) throws -> [String: [UInt8]] {
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        var result: [String: [UInt8]] = [:]
        for path in paths { result[path] = try snapshot.prefix(of: try #require(try snapshot.entry(at: path)), maxBytes: maxBytes) }
        return result
    }

    @Test(arguments: [8_000, 1, 70_000])
    func aPackedBlobsPrefixIsItsFirstBytes(maxBytes: Int) throws {
        let fixture = try GitFixture()
        let files = Self.contents()
        for (path, bytes) in files { try fixture.write(path, bytes) }
        try fixture.commitAll()
        // A second version of text.ts, similar enough that `git gc` stores one of them as a delta.
        try fixture.write("text.ts", files["text.ts"]! + Array("export const more = 2;\n".utf8))
        try fixture.commitAll("more")
        try fixture.git(["gc", "-q", "--aggressive"])
        let found = try prefixes(fixture, files.keys.sorted(), maxBytes: maxBytes)
        for path in files.keys.sorted() {
            let expected = Array(try fixture.git(["cat-file", "blob", "HEAD:\(path)"]).prefix(maxBytes))
            #expect(found[path] == expected, "\(path)")
        }
    }
}
