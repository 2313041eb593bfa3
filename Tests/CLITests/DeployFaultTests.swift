import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `pipedreamer deploy` when the cluster misbehaves: each failure says what is wrong and applies
/// nothing (or retries through it), and a re-run without the fault converges.
@Suite struct DeployFaultTests {
    /// The re-run after a fault is removed: succeeds, the code is the commit's, one rollout.
    func expectConverges(_ h: DeployHarness, _ arguments: [String] = [], namespace: String = "default") throws {
        let rerun = try h.deploy(arguments)
        #expect(rerun.status == 0, "\(rerun.stderrText)")
        #expect(rerun.stdoutText.contains("deployed hello at \(h.firstCommit) to namespace \(namespace)\n"))
        #expect(h.liveFiles(namespace: namespace)["nodes/fetch.ts"] == (try h.show("HEAD:nodes/fetch.ts")))
        #expect(h.server.rolloutCount(namespace: namespace, name: "hello") == 1)
    }

    @Test func apiDownFailsWithReasonAndAppliesNothing() async throws {
        try await DeployHarness.with { h in
            // A port nothing listens on, held so no other test is given it.
            let gone = try RefusingPort()
            defer { withExtendedLifetime(gone) {} }
            let goneURL = gone.httpsURL
            try h.writeKubeconfig(h.server.kubeconfig().replacingOccurrences(of: h.server.url.absoluteString, with: goneURL))

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("the Kubernetes API is not usable: cannot reach the Kubernetes API at \(goneURL): connection refused (after 4 attempts)"))
            #expect(h.server.requests.isEmpty)

            try h.writeKubeconfig(h.server.kubeconfig())
            try expectConverges(h)
        }
    }

    @Test func a503IsRetriedAndTheDeploySucceeds() async throws {
        try await DeployHarness.with { h in
            let path = "/api/v1/namespaces/default/configmaps/hello-code"
            h.server.injectFault(Fault(method: "PATCH", pathPrefix: path, count: 1, action: .status(503)))

            try expectConverges(h)
            let attempts = h.server.requests.filter { $0.method == "PATCH" && $0.path == path }
            // The dry run meets the fault and is retried; the apply follows it.
            #expect(attempts.map(\.status) == [503, 201, 201])
        }
    }

    @Test func a429IsRetriedAfterRetryAfter() async throws {
        try await DeployHarness.with { h in
            let path = "/apis/apps/v1/namespaces/default/deployments/hello"
            h.server.injectFault(Fault(method: "PATCH", pathPrefix: path, count: 1, action: .tooManyRequests(retryAfterSeconds: 1)))

            try expectConverges(h)
            let attempts = h.server.requests.filter { $0.method == "PATCH" && $0.path == path }
            // The dry run meets the fault and is retried; the apply follows it.
            #expect(attempts.map(\.status) == [429, 201, 201])
        }
    }

    @Test func aMissingPatchPermissionIsNamedByPreflightBeforeAnyWrite() async throws {
        let everythingButConfigMapPatch = AccessPolicy.only([
            AccessRule(resources: ["namespaces", "secrets", "services", "deployments", "cronjobs", "runtimeclasses", "leases"]),
            AccessRule(verbs: ["get", "list", "watch", "create", "update", "delete"], resources: ["configmaps"]),
        ])
        try await DeployHarness.with(policy: everythingButConfigMapPatch) { h in
            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("""
                missing permissions in namespace "default"; deploy needs:
                  - patch configmaps
                ask a cluster administrator for a Role granting them (check one with `kubectl auth can-i patch configmaps -n default`)
                """))
            #expect(h.writes.isEmpty)

            h.server.setPolicy(.allowingEverything)
            try expectConverges(h)
        }
    }

    @Test func aMissingNamespaceSaysHowToCreateIt() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(["-n", "staging"])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("namespace \"staging\" does not exist; create it with `kubectl create namespace staging`, or pick another with -n"))
            #expect(h.writes.isEmpty)

            h.server.addNamespace("staging")
            try expectConverges(h, ["-n", "staging"], namespace: "staging")
        }
    }

    @Test func aWrongTokenIsRefusedWith401AndNeverPrinted() async throws {
        let token = "wrong-token-5f2b9c0e7d"
        try await DeployHarness.with(tls: true, tokens: ["right-token-a81d4e": UserInfo(name: "admin")], token: token) { h in
            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("the Kubernetes API is not usable: Error from server (Unauthorized): Unauthorized (HTTP 401)"))
            #expect(!result.allOutput.contains(token))
            #expect(h.server.requests.map(\.status) == [401])

            try h.writeKubeconfig(h.server.kubeconfig(token: "right-token-a81d4e"))
            try expectConverges(h)
        }
    }

    @Test func anUnknownCertificateAuthorityIsRefusedWithTheReason() async throws {
        try await DeployHarness.with(tls: true) { h in
            let own = try #require(h.server.pki).caCertificatePEM
            let other = try TestPKI.generate(clients: []).caCertificatePEM
            try h.writeKubeconfig(h.server.kubeconfig().replacingOccurrences(
                of: Data(own.utf8).base64EncodedString(), with: Data(other.utf8).base64EncodedString()))

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("TLS handshake with the Kubernetes API at \(h.server.url.absoluteString) failed: the server's certificate was not trusted by certificate-authority-data of cluster \"kube-test-server\" (certificate verify failed)"))
            #expect(h.server.requests.isEmpty)

            try h.writeKubeconfig(h.server.kubeconfig())
            try expectConverges(h)
        }
    }

    /// A kubeconfig whose user runs `plugin` for its credential.
    func execKubeconfig(_ h: DeployHarness, plugin: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-test-server
          cluster:
            server: \(h.server.url.absoluteString)
            certificate-authority-data: \(Data((h.server.pki?.caCertificatePEM ?? "").utf8).base64EncodedString())
        users:
        - name: plugin-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(plugin)
              interactiveMode: Never
        contexts:
        - name: kube-test-server
          context:
            cluster: kube-test-server
            user: plugin-user
        current-context: kube-test-server

        """
    }

    static let pluginToken = "plugin-token-3c7e19"
    static let validCredential = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plugin-token-3c7e19"}}"#

    @Test func aFailingExecPluginIsReportedWithItsStderr() async throws {
        try await DeployHarness.with(tls: true, tokens: [Self.pluginToken: UserInfo(name: "admin")]) { h in
            let plugin = try h.script("plugin.sh", "echo 'login expired; run sso-login' >&2\nexit 3\n")
            try h.writeKubeconfig(execKubeconfig(h, plugin: plugin))

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("exec plugin for user \"plugin-user\" (\(plugin)) failed with exit code 3: login expired; run sso-login"))
            #expect(h.server.requests.isEmpty)

            _ = try h.script("plugin.sh", "echo '\(Self.validCredential)'\n")
            try expectConverges(h)
            #expect(!(try h.deploy()).allOutput.contains(Self.pluginToken))
        }
    }

    @Test func anExecPluginPrintingInvalidJSONIsReportedWithoutQuotingIt() async throws {
        try await DeployHarness.with(tls: true, tokens: [Self.pluginToken: UserInfo(name: "admin")]) { h in
            let plugin = try h.script("plugin.sh", "echo '{\"token\": \"plugin-token-3c7e19\"'\n")
            try h.writeKubeconfig(execKubeconfig(h, plugin: plugin))

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("exec plugin for user \"plugin-user\" (\(plugin)) printed invalid JSON; expected an ExecCredential object on stdout"))
            #expect(!result.allOutput.contains(Self.pluginToken))
            #expect(h.server.requests.isEmpty)

            _ = try h.script("plugin.sh", "echo '\(Self.validCredential)'\n")
            try expectConverges(h)
        }
    }

    @Test func aRolloutThatNeverBecomesAvailableFailsWithTheConditionMessage() async throws {
        try await DeployHarness.with { h in
            h.server.setNeverAvailable(namespace: "default", name: "hello")

            let result = try h.run(["deploy", "--timeout", "2s"])
            #expect(result.status != 0)
            let progressing = h.deployment?.value(at: ["status", "conditions"])?.array?
                .first { $0["type"]?.string == "Progressing" }?["message"]?.string
            let message = try #require(progressing)
            #expect(message.hasSuffix("has timed out progressing."))
            #expect(result.stderrText.contains("deployment \"hello\" exceeded its progress deadline: \(message)"))

            // The pods come up: the controller reports the rollout done and a re-run converges.
            h.server.setNeverAvailable(namespace: "default", name: "hello", false)
            let rerun = try h.deploy()
            #expect(rerun.status == 0, "\(rerun.stderrText)")
            #expect(rerun.stdoutText.contains("deployment \"hello\" successfully rolled out\n"))
            #expect(h.rollouts == 1)
        }
    }
}
