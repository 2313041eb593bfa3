import Foundation
import GitFiles
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

    /// Every object's kind and size from its header, and every blob's first bytes, as `git cat-file`
    /// gives them: loose objects first, then the same objects packed with deltas by `git gc`.
    @Test(arguments: [false, true])
    func headersAndPrefixesFromTheObjectFilesAreGits(packed: Bool) throws {
        let fixture = try GitFixture()
        let files = Self.contents()
        for (path, bytes) in files { try fixture.write(path, bytes) }
        try fixture.commitAll()
        for round in 1...3 {
            try fixture.write("text.ts", files["text.ts"]! + Array(String(repeating: "export const more = \(round);\n", count: round).utf8))
            try fixture.commitAll("round \(round)")
        }
        if packed { try fixture.git(["gc", "-q", "--aggressive"]) }
        let objects = try #require(ObjectFiles(directory: fixture.path + "/.git/objects"))
        let listing = String(decoding: try fixture.git(["cat-file", "--batch-check", "--batch-all-objects"]), as: UTF8.self)
        var deltas = 0
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let oid = try #require(Oid(hex: String(fields[0])))
            let header = try #require(try objects.header(oid.rawBytes))
            #expect("\(header.kind)" == fields[1], "\(line)")
            #expect(header.size == Int(fields[2]), "\(line)")
            guard header.kind == .blob else { continue }
            let expected = Array(try fixture.git(["cat-file", "blob", oid.hex]).prefix(8_000))
            #expect(try objects.blobPrefix(oid.rawBytes, maxBytes: 8_000) == expected, "\(line)")
        }
        if packed {
            let verbose = String(decoding: try fixture.git(["verify-pack", "-v"] + (try FileManager.default
                .contentsOfDirectory(atPath: fixture.path + "/.git/objects/pack").filter { $0.hasSuffix(".idx") }
                .map { fixture.path + "/.git/objects/pack/" + $0 })), as: UTF8.self)
            deltas = verbose.split(separator: "\n").filter { $0.split(separator: " ").count >= 7 }.count
            #expect(deltas > 0, "the pack holds deltas, so their headers were read")
        }
    }
}
