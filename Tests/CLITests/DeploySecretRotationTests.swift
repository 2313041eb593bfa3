import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A Secret's content is in the pod template only as a digest: a change rolls the pods once, no
/// change rolls nothing, and a Secret gone from the working copy is kept and said so.
@Suite struct DeploySecretRotationTests {
    var digestPath: [String] { ["spec", "template", "metadata", "annotations", "pipedreamer.dev/secret-digest"] }

    @Test func aChangedSecretRollsOnceAndAnUnchangedOneRollsNothing() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", "first")
            #expect(try h.deploy().status == 0)
            #expect(h.rollouts == 1)
            let first = h.deployment?.value(at: digestPath)?.string
            #expect(first?.hasPrefix("hmac-sha256:") == true)

            try h.repo.write(".secrets/API_KEY", "second")
            let rotated = try h.deploy()
            #expect(rotated.status == 0, "\(rotated.stderrText)")
            #expect(h.rollouts == 2)
            #expect(h.restartPatches.isEmpty)
            #expect(h.deployment?.value(at: digestPath)?.string != first)
            #expect(!rotated.allOutput.contains("second"))

            let again = try h.deploy()
            #expect(again.status == 0)
            #expect(h.rollouts == 2)
        }
    }

    @Test func aSecretGoneFromTheWorkingCopyIsKeptAndPruneSecretRemovesIt() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", "value")
            #expect(try h.deploy().status == 0)
            try FileManager.default.removeItem(atPath: h.repo.path + "/.secrets")

            let kept = try h.deploy()
            #expect(kept.status == 0, "\(kept.stderrText)")
            #expect(kept.stdoutText.contains("secret hello-secrets: the working copy has no .secrets.yaml or .secrets/; the live Secret is kept (pass --prune-secret to delete it)\n"))
            #expect(h.object(.secrets, "hello-secrets") != nil)
            #expect(h.rollouts == 1)

            let pruned = try h.deploy(["--prune-secret"])
            #expect(pruned.status == 0, "\(pruned.stderrText)")
            #expect(pruned.stdoutText.contains("secret/hello-secrets pruned\n"))
            #expect(h.object(.secrets, "hello-secrets") == nil)
        }
    }

    @Test func aSecretKeyTheServerWouldRefuseIsNamedBeforeAnyRequest() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets.yaml", "\(String(repeating: "k", count: 254)): value\n")
            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText == "Error: .secrets.yaml line 1: key is not a valid Secret key; use letters, digits, '-', '_' and '.'\n")
            #expect(h.server.requests.isEmpty)
        }
    }
}
