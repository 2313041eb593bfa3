import Foundation
import GitShim
import Hooks
import Testing
import TestSupport

/// When the index cannot be read here, git says which paths the commit changes.
@Suite struct IndexFallbackTests {
    @Test func gitsListOfStagedPathsNamesTheWorkflowsTouched() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        #expect(try IndexFallback.touchedWorkflows(repository: repository) == [])
        try fixture.write("README.md", "docs\n")
        try fixture.git(["add", "README.md"])
        #expect(try IndexFallback.touchedWorkflows(repository: repository) == [])
        try fixture.write("wf/nodes/more.ts", "more\n")
        try fixture.write("new/workflow.yaml", "name: new\n")
        try fixture.git(["add", "-A"])
        #expect(try IndexFallback.touchedWorkflows(repository: repository) == ["new", "wf"])
    }
}
