import Deploy
import Testing

/// workflow.yaml's own keys and values reach messages escaped: a node path holding an escape
/// sequence or a line break cannot erase or fake a line of output.
@Suite struct SpecErrorDisplayTests {
    @Test func controlCharactersInFieldsAndMessagesAreEscapedAsGitEscapesAPath() {
        let error = SpecError(file: "wf/workflow.yaml", field: "nodes.a\u{1b}[2K", line: 3,
                              message: "'nodes/x\r\u{1b}[1A✔ ALL GOOD.ts' does not exist in the commit")
        #expect(error.description == "wf/workflow.yaml:3: nodes.a\\033[2K: 'nodes/x\\r\\033[1A✔ ALL GOOD.ts' does not exist in the commit")
    }

    @Test func plainTextIsUnchanged() {
        let error = SpecError(file: "workflow.yaml", field: "triggers[1].schedule", line: 12, message: "expected 5 fields, found \"6\"")
        #expect(error.description == "workflow.yaml:12: triggers[1].schedule: expected 5 fields, found \"6\"")
    }

    @Test func aFileNameWithAControlCharacterIsQuoted() {
        let error = SpecError(file: "w\nf/workflow.yaml", field: "", line: nil, message: "not valid YAML")
        #expect(error.description == "\"w\\nf/workflow.yaml\": not valid YAML")
    }
}
