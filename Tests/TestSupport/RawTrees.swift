import Foundation

/// Trees written byte for byte (`<mode> <name>\0<20-byte id>` per entry, in the order given), for
/// the trees git's porcelain refuses to make: `..` or `.git` entries, names holding `/`, duplicates.
extension GitFixture {
    public struct RawEntry {
        public let mode: String
        public let name: [UInt8]
        public let oid: String

        public static func blob(_ name: String, _ oid: String) -> RawEntry { RawEntry(mode: "100644", name: Array(name.utf8), oid: oid) }
        public static func tree(_ name: String, _ oid: String) -> RawEntry { RawEntry(mode: "40000", name: Array(name.utf8), oid: oid) }
        public static func blob(bytes name: [UInt8], _ oid: String) -> RawEntry { RawEntry(mode: "100644", name: name, oid: oid) }
    }

    /// Writes a blob and returns its id.
    public func blob(_ text: String) throws -> String {
        try gitText(["hash-object", "-w", "--stdin"], input: Data(text.utf8))
    }

    /// Writes a tree with exactly these entries (`--literally`: git checks nothing) and returns its id.
    public func rawTree(_ entries: [RawEntry]) throws -> String {
        var bytes = Data()
        for entry in entries {
            bytes += Data("\(entry.mode) ".utf8) + Data(entry.name) + Data([0])
            let hex = Array(entry.oid.utf8)
            for index in stride(from: 0, to: hex.count, by: 2) {
                bytes.append(UInt8(String(decoding: hex[index..<(index + 2)], as: UTF8.self), radix: 16)!)
            }
        }
        return try gitText(["hash-object", "-w", "-t", "tree", "--literally", "--stdin"], input: bytes)
    }

    /// Commits `tree` (with HEAD as parent when there is one) without touching refs; returns the commit's id.
    public func commitTree(_ tree: String, message: String = "raw tree") throws -> String {
        let head = try? gitText(["rev-parse", "--verify", "-q", "HEAD"])
        return try gitText(["commit-tree", tree, "-m", message] + (head.map { ["-p", $0] } ?? []))
    }

    /// The tree of a well-formed workflow (workflow.yaml naming node `fetch`, nodes/fetch.ts).
    public func workflowTree(extraNodes: [RawEntry] = [], extraEntries: [RawEntry] = []) throws -> String {
        let yaml = "name: hello\nversion: \"1.0\"\ntriggers:\n  - type: manual\nnodes:\n  fetch: nodes/fetch.ts\n"
        let fetch = RawEntry.blob("fetch.ts", try blob("export default async () => ({ ok: true });\n"))
        let nodes = try rawTree(([fetch] + extraNodes).sorted { $0.name.lexicographicallyPrecedes($1.name) })
        return try rawTree(([.tree("nodes", nodes), .blob("workflow.yaml", try blob(yaml))] + extraEntries)
            .sorted { $0.name.lexicographicallyPrecedes($1.name) })
    }

    /// `gitText` with standard input.
    public func gitText(_ arguments: [String], input: Data) throws -> String {
        let text = String(decoding: try git(arguments, input: input), as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
