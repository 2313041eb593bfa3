import Deploy
import Foundation
import GitShim
import Testing
import TestSupport
import WorkflowBundle

/// File names reach messages quoted, so one cannot erase a line or move the cursor.
@Suite struct PathDisplayTests {
    @Test func aShellWordWithAControlCharacterUsesAnsiCQuoting() {
        #expect(ShellQuoting.quoted("wf/nodes/\u{1B}]0;x\u{07}'.ts") == "$'wf/nodes/\\033]0;x\\a\\'.ts'")
        #expect(ShellQuoting.quoted("wf/nodes/it's.ts") == "'wf/nodes/it'\\''s.ts'")
    }

    @Test func aViolationNamesAFileWithEscapesQuoted() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.write("wf/nodes/\u{1B}[1A\u{1B}[2K.ts", [0x2F, 0x00])
        try fixture.commitAll()
        let violation = try #require(try bundleAtHead(fixture).violations.first)
        #expect(violation.path == "wf/nodes/\u{1B}[1A\u{1B}[2K.ts")
        #expect(violation.message == "\"wf/nodes/\\033[1A\\033[2K.ts\": binary file (contains a NUL byte in its first 8000 bytes); workflow.yaml and every file under nodes/ must be text")
        #expect(violation.fix == "remove it (`git rm --cached $'wf/nodes/\\033[1A\\033[2K.ts'`) or move it out of nodes/ (diagrams and docs beside workflow.yaml are fine)")
    }

    @Test func theReportHeaderQuotesTheWorkflowDirectory() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "w\rf")
        try fixture.write("w\rf/.env", "TOKEN=1\n")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let check = try WorkflowCheck.run(snapshot: snapshot, directory: "w\rf", all: ["w\rf"])
        #expect(ViolationReport.text(for: check, at: "HEAD").split(separator: "\n").first == "workflow \"w\\rf\" at HEAD: 1 problem")
    }
}
