import Foundation
import Testing
import TestSupport

/// `check -o json` keys every workflow by a name, also when its workflow.yaml has errors: tools
/// match results by it.
@Suite struct CheckJSONNameTests {
    struct Report: Decodable {
        struct Workflow: Decodable {
            let directory: String
            let name: String?
            let ok: Bool
        }
        let workflows: [Workflow]
    }

    func check(_ fixture: GitFixture) throws -> [Report.Workflow] {
        let result = try PipedreamerBinary.run(["check", "-o", "json"], in: fixture.path)
        #expect(result.status == 1, "\(result.stderrText)")
        return try JSONDecoder().decode(Report.self, from: result.stdout).workflows
    }

    @Test func aWorkflowWithASpecErrorIsNamedByItsNameField() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", "name: billing\nversion: \"9\"\nnodes:\n  fetch: nodes/fetch.ts\n")
        try fixture.write("wf/nodes/fetch.ts", "export default async () => ({});\n")
        try fixture.commitAll()
        let workflows = try check(fixture)
        #expect(workflows.map(\.directory) == ["wf"])
        #expect(workflows.map(\.name) == ["billing"])
        #expect(workflows.map(\.ok) == [false])
    }

    @Test func anInvalidNameIsReportedAsWritten() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", "name: Billing_Job\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n")
        try fixture.write("wf/nodes/fetch.ts", "export default async () => ({});\n")
        try fixture.commitAll()
        #expect(try check(fixture).map(\.name) == ["Billing_Job"])
    }

    @Test func anUnreadableNameFallsBackToTheDirectorysName() throws {
        let fixture = try GitFixture()
        try fixture.write("jobs/nightly/workflow.yaml", "name: [not, a, string]\nversion: \"1.0\"\nnodes: {}\n")
        try fixture.write("broken/workflow.yaml", "name: \"unterminated\n")
        try fixture.commitAll()
        let workflows = try check(fixture)
        #expect(workflows.map(\.directory) == ["broken", "jobs/nightly"])
        #expect(workflows.map(\.name) == ["broken", "nightly"])
    }
}
