import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A commit that changes only files that do not ship — a README beside workflow.yaml,
/// `nodes/NOTES.md` — deploys without restarting anything; the next commit that changes a node
/// restarts once.
@Suite struct DeployOnlyWhatShipsTests {
    func stamp(_ h: DeployHarness) -> String? {
        h.object(.deployments, "hello")?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
    }

    @Test func docsBesideTheCodeRestartNothingAndTheNextNodeChangeRestartsOnce() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let deployed = try h.repo.gitText(["rev-parse", "HEAD"])
            for (path, text) in [("README.md", "how to run it\n"), ("nodes/NOTES.md", "why fetch retries\n")] {
                try h.repo.write(path, text)
                let docs = try h.repo.commitAll("docs: \(path)")
                let result = try h.deploy()
                #expect(result.status == 0, "\(result.stderrText)")
                #expect(!result.stdoutText.contains("restarted at"), "\(result.stdoutText)")
                #expect(h.restartPatches.isEmpty)
                #expect(h.server.rolloutCount(namespace: "default", name: "hello") == 1)
                #expect(stamp(h) == deployed)
                #expect(h.object(.deployments, "hello")?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == docs)
                let diff = try h.run(["diff"])
                #expect(diff.status == 0, "diff after deploying \(path): \(diff.stdoutText)")
            }
            try h.commitFetch("export default async () => ({ greeting: \"changed\" });\n")
            let node = try h.repo.gitText(["rev-parse", "HEAD"])
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("deployment.apps/hello restarted at \(node.prefix(12))\n"), "\(result.stdoutText)")
            #expect(h.server.rolloutCount(namespace: "default", name: "hello") == 2)
            #expect(stamp(h) == node)
        }
    }
}
