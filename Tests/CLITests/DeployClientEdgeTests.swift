import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `pipedreamer deploy` at the client's edges: a persistent server error names the object and
/// the attempts, an exec plugin that never answers is stopped, a dead proxy is named as the proxy.
@Suite struct DeployClientEdgeTests {
    @Test func aPersistent500OnTheDeploymentNamesTheOperationTheObjectAndTheAttempts() async throws {
        try await DeployHarness.with { h in
            let path = "/apis/apps/v1/namespaces/default/deployments/hello"
            h.server.injectFault(Fault(method: "PATCH", pathPrefix: path, count: 4, action: .status(500)))

            let result = try h.deploy()
            #expect(result.status != 0)
            // The Deployment's server-side dry run meets the fault first, so nothing is written.
            #expect(result.stderrText.contains("validating (server dry run) deployment.apps/hello: Error from server (InternalError): Internal error occurred: injected fault (HTTP 500, after 4 attempts)\n"))
            #expect(h.server.requests.filter { $0.method == "PATCH" && $0.path == path }.map(\.status) == [500, 500, 500, 500])
            #expect(h.objectWrites.isEmpty)
        }
    }

    @Test func anExecPluginThatNeverAnswersIsStoppedWithinTheRequestTimeout() async throws {
        try await DeployHarness.with(tls: true) { h in
            let plugin = try h.script("plugin.sh", "sleep 600 &\nwait\n")
            try h.writeKubeconfig(DeployFaultTests().execKubeconfig(h, plugin: plugin))

            let result = try h.deploy(["--request-timeout", "1s"])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("exec plugin for user \"plugin-user\" (\(plugin)) did not finish within 1s and was stopped; check that it can run without a terminal, or allow it longer with --request-timeout"))
            #expect(h.server.requests.isEmpty)
        }
    }

    @Test func anEnvironmentProxyIsNotUsedForALoopbackAPIServer() async throws {
        try await DeployHarness.with { h in
            let dead = ["HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""]
            let result = try PipedreamerBinary.run(["deploy", "--timeout", "20s", "--kubeconfig", h.kubeconfigPath],
                                                   in: h.repo.path, environment: dead)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("deployed hello at \(h.firstCommit) to namespace default\n"))
        }
    }

    @Test func aDeadProxyIsNamedAsTheProxyWithoutItsPassword() async throws {
        try await DeployHarness.with { h in
            let gone = try RefusingPort()
            defer { withExtendedLifetime(gone) {} }
            let deadPort = gone.port
            let password = "proxy-pw-0c41d9"
            let kubeconfig = h.server.kubeconfig().replacingOccurrences(
                of: "    server: \(h.server.url.absoluteString)\n",
                with: "    server: \(h.server.url.absoluteString)\n    proxy-url: http://deploy:\(password)@127.0.0.1:\(deadPort)\n")
            #expect(kubeconfig.contains("proxy-url"))
            try h.writeKubeconfig(kubeconfig)

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("the Kubernetes API is not usable: cannot reach the Kubernetes API at \(h.server.url.absoluteString) through proxy http://127.0.0.1:\(deadPort): connection refused (after 4 attempts)"))
            #expect(!result.allOutput.contains(password))
            #expect(h.server.requests.isEmpty)
        }
    }
}
