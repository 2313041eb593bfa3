import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `deploy --dry-run`, and the Secret from the working copy: applied with the right data, its
/// values never printed, and a kubeconfig token never printed either.
@Suite struct DeployDryRunAndSecretTests {
    @Test func serverDryRunPersistsNothing() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["--dry-run=server"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("configmap/hello-code created (server dry run)\n"))
            #expect(result.stdoutText.contains("deployed hello at \(h.firstCommit) to namespace default (server dry run, nothing persisted)\n"))
            let writes = h.writes
            #expect(writes.count == 4)
            #expect(writes.allSatisfy { $0.hasQuery("dryRun", "All") })
            #expect(h.configMap == nil)
            #expect(h.deployment == nil)
            #expect(h.object(.services, "hello") == nil)
            #expect(h.object(.cronJobs, "hello-cron-1") == nil)
            #expect(h.rollouts == 0)
        }
    }

    @Test func serverDryRunOfTheNextCommitChangesNothingLive() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let versions = h.resourceVersions()
            let second = try h.commitFetch("export default async () => ({ greeting: \"next\" });\n")

            let result = try h.deploy(["--dry-run=server"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("configmap/hello-code configured (server dry run)\n"))
            #expect(result.stdoutText.contains("deployment.apps/hello restarted at \(second.prefix(12)) (server dry run)\n"))
            // The first deploy's four applies and its history entry; the dry run wrote nothing and took no lease.
            #expect(h.writes.filter { !$0.hasQuery("dryRun", "All") && !$0.path.contains("/leases") }.count == 5)
            #expect(h.server.requests.filter { $0.path.contains("/leases") }.count == 3)
            #expect(h.resourceVersions() == versions)
            #expect(h.restartedAt == h.firstCommit)
            #expect(h.rollouts == 1)
        }
    }

    @Test func clientDryRunSendsNoRequest() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["--dry-run=client"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("kind: ConfigMap\n"))
            let stamp = result.stdoutText.split(separator: "\n").first { $0.contains("kubectl.kubernetes.io/restartedAt: ") }
            #expect(stamp?.contains(h.firstCommit) == true)
            #expect(h.server.requests.isEmpty)
            // Standard output holds only the objects, so it can be piped into kubectl.
            #expect(result.stdoutText.hasPrefix("---\napiVersion: v1\n"))
            #expect(result.stderrText.contains("deploying workflow hello at \(h.firstCommit)"))
        }
    }

    @Test func clientDryRunWithJSONOutputPrintsAList() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["--dry-run=client", "-o", "json"])
            #expect(result.status == 0, "\(result.stderrText)")
            let list = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
            #expect(list?["kind"] as? String == "List")
            #expect((list?["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["ConfigMap", "Deployment", "Service", "CronJob"])
            #expect(h.server.requests.isEmpty)
        }
    }

    @Test func aBadRequestTimeoutIsRefusedBeforeAnythingIsPrinted() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["--request-timeout", "soon"])
            #expect(result.status == 2)
            #expect(result.stdoutText == "")
            #expect(result.stderrText.contains("--request-timeout: 'soon' is not a duration; write it like 30s, 2m or 0 for none"))
            #expect(h.server.requests.isEmpty)
        }
    }

    static let secretValue = "s3cr3t-value-9a7c41"

    @Test func secretsDirectoryIsAppliedAndItsValuesNeverPrinted() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", Self.secretValue)
            try h.repo.write(".secrets/db.password", "pw-\(Self.secretValue)\n")
            #expect(try h.repo.gitText(["status", "--porcelain"]) == "")

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("secret hello-secrets: 2 keys from .secrets/ (values not shown)\n"))
            #expect(result.stdoutText.contains("secret/hello-secrets created\n"))
            let secret = try #require(h.object(.secrets, "hello-secrets"))
            #expect(secret.decodedSecretData == ["API_KEY": Self.secretValue, "db.password": "pw-\(Self.secretValue)\n"])
            #expect(secret.value(at: ["metadata", "labels", "app.kubernetes.io/managed-by"])?.string == "pipedreamer")
            expectNeverShown(result)

            let again = try h.deploy()
            #expect(again.status == 0)
            expectNeverShown(again)
            expectNeverShown(try h.deploy(["--dry-run=client"]))
            expectNeverShown(try h.deploy(["--dry-run=server", "-o", "json"]))
        }
    }

    @Test func secretsYAMLIsAppliedWithNestedValuesAsJSON() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets.yaml", "API_KEY: \(Self.secretValue)\ndatabase:\n  user: app\n  port: 5432\n")
            #expect(try h.repo.gitText(["status", "--porcelain"]) == "")

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("secret hello-secrets: 2 keys from .secrets.yaml (values not shown)\n"))
            #expect(h.object(.secrets, "hello-secrets")?.decodedSecretData
                    == ["API_KEY": Self.secretValue, "database": #"{"port":5432,"user":"app"}"#])
            expectNeverShown(result)
        }
    }

    /// Neither the value nor its base64 form appears on either stream.
    func expectNeverShown(_ result: Command.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        for shown in [Self.secretValue, Data(Self.secretValue.utf8).base64EncodedString()] {
            #expect(!result.allOutput.contains(shown), sourceLocation: sourceLocation)
        }
    }

    @Test func aKubeconfigTokenNeverAppearsInAnyOutput() async throws {
        let token = "kubeconfig-token-e4d2a9b7"
        try await DeployHarness.with(tls: true, tokens: [token: UserInfo(name: "admin")], token: token) { h in
            var outputs = [try h.deploy(), try h.deploy(["-o", "json"]), try h.deploy(["--dry-run=server"]),
                           try h.run(["status"]), try h.run(["diff"])]
            h.server.injectFault(Fault(pathPrefix: "/", count: 10, action: .status(500)))
            outputs.append(try h.deploy())
            h.server.clearFaults()
            h.server.setToken(token, user: UserInfo(name: "nobody"))
            h.server.setPolicy(.only([]))
            outputs.append(try h.deploy())
            outputs.append(try h.run(["delete", "hello", "--yes"]))

            #expect(outputs.map(\.status) == [0, 0, 0, 0, 0, 1, 1, 1])
            for output in outputs { #expect(!output.allOutput.contains(token)) }
            #expect(h.server.requests.allSatisfy { $0.status != 401 })
        }
    }
}

@Suite struct SecretRedeployTests {
    @Test func redeployingWithSecretsSaysNothingElseChanged() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", DeployDryRunAndSecretTests.secretValue)
            #expect(try h.deploy().status == 0)
            let again = try h.deploy()
            #expect(again.status == 0, "\(again.stderrText)")
            let lines = again.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("secret/hello-secrets unchanged"))
            #expect(lines.last == "deployed hello at \(h.firstCommit) to namespace default; it was already deployed, nothing changed")
            #expect(!again.stdoutText.contains(DeployDryRunAndSecretTests.secretValue))
        }
    }
}
