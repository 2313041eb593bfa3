import Crypto
import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `diff` is deploy's plan: its exit status is 1 exactly when the deploy that follows writes
/// something (the server's recorded writes, leaving out dry runs and the lease).
@Suite struct DiffPredictsDeployTests {
    /// Runs `diff ARGS` then `deploy ARGS`; returns diff's result, deploy's result and deploy's writes.
    static func diffThenDeploy(_ h: DeployHarness, _ arguments: [String] = []) throws
        -> (diff: Command.Result, deploy: Command.Result, writes: Int) {
        h.server.clearRequests()
        let diff = try h.run(["diff"] + arguments)
        #expect(h.objectWrites.isEmpty, "diff wrote: \(h.objectWrites.map { "\($0.method) \($0.path)" })")
        h.server.clearRequests()
        let deploy = try h.deploy(arguments)
        return (diff, deploy, h.objectWrites.count)
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func diffExitsOneExactlyWhenTheFollowingDeployWrites() async throws {
        try await DeployHarness.with { h in
            var steps = [(String, () throws -> Void)]()
            steps.append(("first deploy", {}))
            steps.append(("unchanged redeploy", {}))
            steps.append(("docs-only commit", { try h.repo.write("README.md", "how to run it\n"); _ = try h.repo.commitAll("docs") }))
            steps.append(("secret added", { try h.repo.write(".secrets.yaml", "API_TOKEN: first\n") }))
            steps.append(("secret unchanged", {}))
            steps.append(("secret changed", { try h.repo.write(".secrets.yaml", "API_TOKEN: second\n") }))
            steps.append(("new node", {
                try h.repo.write("nodes/extra.ts", "export default async () => ({});\n")
                let yaml = try String(contentsOfFile: h.repo.path + "/workflow.yaml", encoding: .utf8)
                try h.repo.write("workflow.yaml", yaml + "  extra: nodes/extra.ts\n")
                _ = try h.repo.commitAll("a new node")
            }))
            steps.append(("kubectl scale", { let scaled = try h.kubectl(["scale", "deployment", "hello", "--replicas=3"]); #expect(scaled.status == 0) }))
            for (label, change) in steps {
                try change()
                let (diff, deploy, writes) = try Self.diffThenDeploy(h)
                #expect(deploy.status == 0, "\(label): \(deploy.stderrText)")
                #expect(diff.status == (writes > 0 ? 1 : 0), "\(label): diff exited \(diff.status), deploy wrote \(writes) times\n\(diff.allOutput)")
            }
        }
    }

    @Test func beforeTheFirstDeployWithASecretDiffShowsTheSecretByKeyAndDigest() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try h.repo.write(".secrets.yaml", "API_TOKEN: s3cr3t-value\n")
            let diff = try h.run(["diff"])
            #expect(diff.status == 1, "\(diff.allOutput)")
            #expect(diff.stdoutText.contains("+++ desired/secret/hello-secrets\n"), "\(diff.stdoutText)")
            #expect(diff.stdoutText.contains("+    pipedreamer.dev/secret-digest-key: (not shown)\n"), "\(diff.stdoutText)")
            #expect(diff.stdoutText.contains("+  API_TOKEN: hmac-sha256:"), "\(diff.stdoutText)")
            #expect(diff.stdoutText.contains("+        pipedreamer.dev/secret-digest: hmac-sha256:"), "\(diff.stdoutText)")
            #expect(!diff.allOutput.contains("s3cr3t-value"))
            #expect(!diff.allOutput.contains(Data("s3cr3t-value".utf8).base64EncodedString()))
        }
    }

    @Test func aChangedSecretShowsWhichKeyChangedByTheLiveKeysDigest() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets.yaml", "API_TOKEN: first\nOTHER: same\n")
            #expect(try h.deploy().status == 0)
            try h.repo.write(".secrets.yaml", "API_TOKEN: second\nOTHER: same\n")
            let diff = try h.run(["diff"])
            #expect(diff.status == 1, "\(diff.allOutput)")
            let secret = try #require(h.object(.secrets, "hello-secrets"))
            let key = try #require(secret.value(at: ["metadata", "annotations", "pipedreamer.dev/secret-digest-key"])?.string
                .flatMap { Data(base64Encoded: $0) })
            func digest(_ name: String, _ value: String) -> String {
                let encoded = [Array(name.utf8), Array(value.utf8)].flatMap { part in
                    withUnsafeBytes(of: UInt64(part.count).bigEndian) { Array($0) } + part
                }
                let mac = HMAC<SHA256>.authenticationCode(for: encoded, using: SymmetricKey(data: key))
                return "hmac-sha256:" + mac.map { String(format: "%02x", $0) }.joined()
            }
            #expect(diff.stdoutText.contains("-  API_TOKEN: \(digest("API_TOKEN", "first"))\n+  API_TOKEN: \(digest("API_TOKEN", "second"))\n   OTHER: \(digest("OTHER", "same"))\n"),
                    "\(diff.stdoutText)")
            #expect(!diff.allOutput.contains("second\n"))
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func replicasSetByKubectlScaleAreNotADifference() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(try h.kubectl(["scale", "deployment", "hello", "--replicas=3"]).status == 0)
            let diff = try h.run(["diff"])
            #expect(diff.status == 0, "\(diff.allOutput)")
            #expect(diff.stdoutText == "")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aFieldConflictIsReportedAsDeployReportsIt() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(try h.kubectl(["set", "image", "deployment/hello", "engine=engine:patched"]).status == 0)
            #expect(await h.server.waitForRollout(namespace: "default", name: "hello"))
            let (diff, deploy, writes) = try Self.diffThenDeploy(h, ["--image", "engine:2"])
            let refusal = "Error: deployment.apps/hello: Apply failed with 1 conflict: conflict with \"kubectl-set\" using apps/v1: .spec.template.spec.containers[name=\"engine\"].image; pass --force-conflicts to take these fields over\nnothing was written\n"
            #expect(diff.status == 2)
            #expect(diff.stdoutText == "")
            #expect(diff.stderrText.hasSuffix(refusal), "\(diff.stderrText)")
            #expect(deploy.status == 1)
            #expect(writes == 0)

            let forced = try Self.diffThenDeploy(h, ["--image", "engine:2", "--force-conflicts"])
            #expect(forced.diff.status == 1, "\(forced.diff.allOutput)")
            #expect(forced.diff.stdoutText.contains("-      - image: engine:patched\n+      - image: engine:2\n"), "\(forced.diff.stdoutText)")
            #expect(forced.deploy.status == 0)
            #expect(forced.writes > 0)
        }
    }
}
