import Foundation
import GitFiles
import Testing
import TestSupport
import WorkflowBundle

/// A "clean" verdict another user wrote into a cache directory they control must not let a bad
/// workflow.yaml through pre-commit: pipedreamer-hook then leaves the commit to the full check.
@Suite struct PlantedVerdictTests {
    @Test func aVerdictPlantedByAnotherUserLeavesTheCommitToTheFullCheck() throws {
        let fixture = try HookFastPathTests.repository()
        let shared = try ScratchDirectory()
        try fixture.write("wf/workflow.yaml", "name: Not_Kebab\nversion: \"1.0\"\ntriggers:\n  - type: manual\nnodes:\n  fetch: nodes/fetch.ts\n")
        try fixture.write("wf/nodes/fetch.ts", "export const x = 2;\n")
        try fixture.git(["add", "-A"])
        var environment = GitFixture.environment
        environment["XDG_CACHE_HOME"] = shared.path
        // The other user's verdict for exactly this blob, in directories they own.
        let cache = try #require(SpecVerdictCache(executable: PipedreamerBinary.path, environment: { environment[$0] }))
        let blob = try #require(Oid(hex: try fixture.gitText(["rev-parse", ":wf/workflow.yaml"])))
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: ["nodes/fetch.ts"])
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == ["nodes/fetch.ts"], "planted as the victim would have written it")
        let chown = try Command.run("/bin/chown", ["-R", "65534:65534", shared.path + "/pipedreamer"])
        #expect(chown.status == 0, "\(chown.stderrText)")

        let result = try Command.run(HookFastPathTests.hookBinary, ["pre-commit", PipedreamerBinary.path], in: fixture.path,
                                     environment: environment)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Not_Kebab"), "\(result.stderrText)")
    }
}
