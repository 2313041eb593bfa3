import Deploy
import Foundation
import GitShim
import Testing
import TestSupport

/// workflow.yaml costs bounded work whatever a commit holds: judged by its object header before it
/// is read, and composed only when its nodes, aliases expanded, stay within one budget.
@Suite struct WorkflowBoundsTests {
    static let prefix = "name: hello\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n"
    static let budgetMessage = "more than 100000 YAML nodes in the file (keys and values, an alias counting as a copy "
        + "of what it stands for); write fewer values, or move data out of workflow.yaml"

    /// Nine levels of ten aliases each under `key` from line 5: 10^9 values once expanded.
    static func billionLaughs(under key: String) -> String {
        var text = prefix + "\(key):\n  l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]\n"
        for level in 1...8 {
            text += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text
    }

    static func errors(_ yaml: String) -> [SpecError] {
        WorkflowSpec.read(yaml, file: "workflow.yaml").errors
    }

    @Test(arguments: ["metadata", "contract", "sidecars", "triggers", "nodes", "edges", "deployment", "x-unknown"])
    func nestedAliasesUnderAnyKeyAreRefusedWhereTheyPassTheBudget(key: String) {
        // l4 is the first list past 100,000 values: its eighth alias, on line 10.
        #expect(Self.errors(Self.billionLaughs(under: key)) == [
            SpecError(file: "workflow.yaml", field: "\(key).l4[7]", line: 10, message: Self.budgetMessage),
        ])
    }

    @Test func aMappingKeyStandingForNestedAliasesIsRefusedBeforeItIsComposed() {
        // Composing would hash the whole key, every expanded value, to look for duplicate keys.
        var yaml = Self.prefix + "metadata:\n  l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]\n"
        for level in 1...3 {
            yaml += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "  ? [" + Array(repeating: "*l3", count: 10).joined(separator: ", ") + "]\n  : boom\n"
        #expect(Self.errors(yaml) == [
            SpecError(file: "workflow.yaml", field: "metadata[7]", line: 10, message: Self.budgetMessage),
        ])
    }

    @Test func aListOfManyPlainValuesCountsTowardTheSameBudget() {
        let yaml = Self.prefix + "x-data: [" + Array(repeating: "a", count: 100_000).joined(separator: ", ") + "]\n"
        // The mapping, its four keys and values, `x-data` and its list come first: 99,989 items fit.
        #expect(Self.errors(yaml) == [
            SpecError(file: "workflow.yaml", field: "x-data[99989]", line: 5, message: Self.budgetMessage),
        ])
    }

    @Test func aliasesWithinTheBudgetStillExpandInConfig() throws {
        let yaml = Self.prefix + "config:\n  base: &base {retries: 3}\n  fetch: *base\n"
        let spec = try WorkflowSpec.parse(yaml, file: "workflow.yaml")
        #expect(spec.config == .object(["base": .object(["retries": .int(3)]), "fetch": .object(["retries": .int(3)])]))
    }

    @Test func aWorkflowYAMLOverTheLimitIsRefusedFromItsHeaderWithoutBeingParsed() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        // Unreadable YAML past the limit: were it parsed, a syntax error would be reported too.
        let text = String(decoding: try Data(contentsOf: fixture.root.appendingPathComponent("wf/workflow.yaml")), as: UTF8.self)
        let padded = text + "x-junk: [" + String(repeating: "a, ", count: 400) + "\n"
        try fixture.write("wf/workflow.yaml", padded)
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let check = try WorkflowCheck.run(snapshot: snapshot, directory: "wf", all: ["wf"], limit: 1_000)
        let size = padded.utf8.count
        #expect(check.violations.map(\.message).dropFirst() == [
            "wf/workflow.yaml: \(size) bytes, over the code size limit (1000 bytes) on its own; not read or checked",
        ])
        #expect(check.violations.first?.kind == .tooLarge)
        #expect(check.spec == nil && check.warnings.isEmpty)
    }

    @Test func aWorkflowYAMLWithinTheLimitIsStillCheckedWhenTheNodesPassIt() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", extra: "x-typo: 1\n")
        try fixture.write("wf/nodes/big.ts", "//" + String(repeating: "x", count: 2_000) + "\n")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let check = try WorkflowCheck.run(snapshot: snapshot, directory: "wf", all: ["wf"], limit: 1_000)
        #expect(check.violations.map(\.kind) == [.tooLarge])
        #expect(check.warnings.map(\.field) == ["x-typo"])
    }
}
