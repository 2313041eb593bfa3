import Foundation
import KubeTestServer
import Testing
import TestSupport

/// Deploy's reports, in text and JSON alike, say what happened: the pods rolled or not, and the
/// Secret created, configured or unchanged; JSON is printed as kubectl prints it.
@Suite struct ReportsSayWhatHappenedTests {
    /// Adds node `extra` to the workflow and commits it.
    static func commitNewNode(_ h: DeployHarness) throws {
        try h.repo.write("nodes/extra.ts", "export default async () => ({});\n")
        let yaml = try String(contentsOfFile: h.repo.path + "/workflow.yaml", encoding: .utf8)
        try h.repo.write("workflow.yaml", yaml + "  extra: nodes/extra.ts\n")
        _ = try h.repo.commitAll("a new node")
    }

    @Test func aNewNodeFileThatRollsThePodsIsReportedRestartedInJSON() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try Self.commitNewNode(h)
            let result = try h.deploy(["-o", "json"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(h.rollouts == 2)
            #expect(h.restartPatches.isEmpty)
            #expect(result.stdoutText.contains("\n    \"restarted\": true,\n"), "\(result.stdoutText)")
        }
    }

    @Test func aNewNodeFileThatRollsThePodsIsReportedRestartedInText() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try Self.commitNewNode(h)
            let head = try h.repo.gitText(["rev-parse", "--short=12", "HEAD"])
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("deployment.apps/hello configured\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("deployment.apps/hello restarted at \(head)\n"), "\(result.stdoutText)")
        }
    }

    @Test func theSecretIsCreatedThenUnchangedThenConfigured() async throws {
        try await DeployHarness.with { h in
            var outcomes = [String]()
            for value in ["first", "first", "second"] {
                try h.repo.write(".secrets.yaml", "API_TOKEN: \(value)\n")
                let result = try h.deploy()
                #expect(result.status == 0, "\(result.stderrText)")
                outcomes += result.stdoutText.split(separator: "\n").filter { $0.hasPrefix("secret/") }.map(String.init)
            }
            #expect(outcomes == ["secret/hello-secrets created", "secret/hello-secrets unchanged", "secret/hello-secrets configured"])
        }
    }

    @Test func anUnchangedSecretIsNotSentAgain() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets.yaml", "API_TOKEN: first\n")
            #expect(try h.deploy().status == 0)
            h.server.clearRequests()
            let again = try h.deploy()
            #expect(again.status == 0, "\(again.stderrText)")
            #expect(h.objectWrites.map { "\($0.method) \($0.path)" } == [])
            #expect(again.stdoutText.hasSuffix("; it was already deployed, nothing changed\n"), "\(again.stdoutText)")
        }
    }

    @Test func jsonIsPrintedAsKubectlPrintsIt() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["-o", "json"])
            #expect(result.status == 0, "\(result.stderrText)")
            // kubectl -o json: four-space indent, "key": value, [] for an empty array.
            #expect(result.stdoutText.hasPrefix("{\n    \"codeCommit\": \"\(h.firstCommit)\",\n    \"commit\": \"\(h.firstCommit)\",\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("\n    \"objects\": [\n        {\n            \"object\": \"configmap/hello-code\",\n            \"result\": \"created\"\n        },\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("\n    \"tags\": [],\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.hasSuffix("\n    \"workflow\": \"hello\"\n}\n"), "\(result.stdoutText)")
            #expect(!result.stdoutText.contains("\" : "))
        }
    }
}

/// One identity rule names who deploys, in the lease and in the history alike.
@Suite struct DeployIdentityTests {
    @Test func withoutUserTheHistoryNamesTheLeaseHolder() async throws {
        try await DeployHarness.with { h in
            var environment = GitFixture.environment
            environment.removeValue(forKey: "USER")
            environment.removeValue(forKey: "LOGNAME")
            let deploy = try Command.run(PipedreamerBinary.path, ["deploy", "--kubeconfig", h.kubeconfigPath, "--timeout", "20s"],
                                         in: h.repo.path, environment: environment)
            #expect(deploy.status == 0, "\(deploy.stderrText)")
            let created = try #require(h.server.requests.first { $0.method == "POST" && $0.path.contains("/leases") })
            let lease = try #require(try JSONSerialization.jsonObject(with: created.body) as? [String: Any])
            let holder = try #require((lease["spec"] as? [String: Any])?["holderIdentity"] as? String)
            let history = try h.run(["history", "hello", "-o", "json"])
            #expect(history.status == 0, "\(history.stderrText)")
            let actor = String(holder.prefix { $0 != " " })
            #expect(!actor.hasPrefix("unknown@"))
            #expect(history.stdoutText.contains("\"deployedBy\": \"\(actor)\""), "lease holder \(holder)\n\(history.stdoutText)")
        }
    }
}
