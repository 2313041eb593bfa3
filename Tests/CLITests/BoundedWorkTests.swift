import Foundation
import Testing
import TestSupport

/// No input makes `check`, `render` or the pre-commit hook use more than 128 MiB or run without
/// end: a 100 MB workflow.yaml (it packs to about 100 KB), a billion-laughs workflow.yaml, an
/// attribute pattern that backtracks exponentially, and 100,000 attribute lines over 100 files.
@Suite(.enabled(if: Command.which("python3") != nil)) struct BoundedWorkTests {
    static let limitKiB = 128 * 1024
    static let spec = "name: hello\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n"

    func expectBounded(_ arguments: [String], in fixture: GitFixture, status: Int32, _ comment: String) throws {
        let (code, peak) = try MemoryTests.peakKiB(arguments, in: fixture.path)
        #expect(code == status, "\(comment): \(arguments)")
        #expect(peak <= Self.limitKiB, "\(comment): \(arguments) peaked at \(peak) KiB")
    }

    func expectAllBounded(in fixture: GitFixture, status: Int32, _ comment: String) throws {
        for command in [["check"], ["render"]] { try expectBounded(command, in: fixture, status: status, comment) }
    }

    /// Stages a change to nodes/fetch.ts, so the hook runs its full check over the index.
    func stageAChange(_ fixture: GitFixture) throws {
        let blob = try fixture.blob("export default async () => ({ changed: true });\n")
        try fixture.git(["update-index", "--cacheinfo", "100644,\(blob),nodes/fetch.ts"])
    }

    @Test func aHundredMegabyteWorkflowYAMLIsRefusedFromItsSize() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        // An unknown key with 25 million list items: 100 MB that git packs to about 100 KB.
        let url = fixture.root.appendingPathComponent("workflow.yaml")
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data("x-junk:\n".utf8))
        let chunk = Data(String(repeating: "- a\n", count: 250_000).utf8)
        for _ in 0..<100 { handle.write(chunk) }
        try handle.close()
        try fixture.git(["add", "-A"])
        try expectBounded(["hook", "pre-commit"], in: fixture, status: 1, "staged")
        try fixture.git(["commit", "-q", "--no-verify", "-m", "a 100 MB workflow.yaml"])
        try expectAllBounded(in: fixture, status: 1, "loose")
        try fixture.git(["gc", "-q"])
        try expectAllBounded(in: fixture, status: 1, "packed")
    }

    @Test func aBillionLaughsWorkflowYAMLIsRefusedWhileItIsCounted() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        var laughs = "metadata:\n  l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]\n"
        for level in 1...8 {
            laughs += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        try fixture.write("workflow.yaml", Self.spec + laughs)
        try fixture.git(["add", "-A"])
        try expectBounded(["hook", "pre-commit"], in: fixture, status: 1, "staged")
        try fixture.git(["commit", "-q", "--no-verify", "-m", "10^9 values once expanded"])
        try expectAllBounded(in: fixture, status: 1, "committed")
    }

    @Test func anExponentiallyBacktrackingAttributePatternIsRefused() throws {
        let fixture = try GitFixture()
        // git's own add and check-attr never finish on this pair, so the tree is written directly.
        let pattern = String(repeating: "*a", count: 19) + "*b binary\n"
        let long = GitFixture.RawEntry.blob(String(repeating: "a", count: 200) + ".ts", try fixture.blob(""))
        let tree = try fixture.workflowTree(extraNodes: [long], extraEntries: [.blob(".gitattributes", try fixture.blob(pattern))])
        try fixture.git(["update-ref", "refs/heads/main", try fixture.commitTree(tree)])
        try expectAllBounded(in: fixture, status: 1, "committed")
        try fixture.git(["read-tree", tree])
        try stageAChange(fixture)
        try expectBounded(["hook", "pre-commit"], in: fixture, status: 1, "staged")
    }

    @Test func aHundredThousandAttributeLinesOverAHundredFilesPass() throws {
        let fixture = try GitFixture()
        var nodes = [String: String]()
        for index in 0..<100 { nodes["n\(index)"] = "export default async () => (\(index));\n" }
        nodes["fetch"] = "export default async () => ({});\n"
        try fixture.writeWorkflow(nodes: nodes)
        var lines = ""
        for index in 0..<100_000 {
            switch index % 4 {
            case 0: lines += "file\(index).ts diff=literal\n"
            case 1: lines += "*.e\(index) -diff\n"
            case 2: lines += "nodes/d\(index)/*.ts text\n"
            default: lines += "n\(index)*[0-9].ts eol=lf\n"
            }
        }
        try fixture.write(".gitattributes", lines)
        try fixture.commitAll("100,000 attribute lines")
        try expectAllBounded(in: fixture, status: 0, "committed")
        try stageAChange(fixture)
        try expectBounded(["hook", "pre-commit"], in: fixture, status: 0, "staged")
    }
}
