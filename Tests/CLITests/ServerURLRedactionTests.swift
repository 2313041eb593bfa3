import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A `user:password@` in the kubeconfig's server URL never reaches a terminal or a pusher's
/// `remote:` lines: the deploy header, a connection error and `status` name the server without it.
@Suite struct ServerURLRedactionTests {
    static let password = "url-pa55word-7c2e"

    @Test func thePasswordOfTheServerURLAppearsInNoOutput() async throws {
        try await DeployHarness.with { h in
            let url = h.server.url.absoluteString
            let withPassword = url.replacingOccurrences(of: "://", with: "://admin:\(Self.password)@")
            try h.writeKubeconfig(h.server.kubeconfig().replacingOccurrences(of: "server: \(url)", with: "server: \(withPassword)"))

            let deployed = try h.deploy()
            #expect(deployed.status == 0, "\(deployed.stderrText)")
            #expect(deployed.stdoutText.contains("to namespace default on \(url)\n"))
            let status = try h.run(["status"])
            #expect(status.status == 0, "\(status.stderrText)")

            // The same kubeconfig pointed at a port where nothing listens (discard, as PostReceiveHookTests use).
            let closed = 9
            let unreachable = "http://admin:\(Self.password)@127.0.0.1:\(closed)"
            try h.writeKubeconfig(h.server.kubeconfig().replacingOccurrences(of: "server: \(url)", with: "server: \(unreachable)"))
            let failed = try h.deploy(["--request-timeout", "2s"])
            #expect(failed.status == 1)
            #expect(failed.stderrText.contains("cannot reach the Kubernetes API at http://127.0.0.1:\(closed)"), "\(failed.stderrText)")
            let statusFailed = try h.run(["status"])
            #expect(statusFailed.status == 1)
            #expect(statusFailed.stderrText.contains("cannot reach the Kubernetes API at http://127.0.0.1:\(closed)"), "\(statusFailed.stderrText)")

            for output in [deployed, status, failed, statusFailed] { #expect(!output.allOutput.contains(Self.password)) }
        }
    }

    @Test func aPusherSeesTheServerWithoutItsPassword() async throws {
        let remote = try HookedRepository(fixture: try GitFixture(bare: true), server: true)
        let clone = try GitFixture()
        try clone.git(["remote", "add", "origin", remote.path])
        try clone.writeWorkflow(at: "wf", name: "hello")
        let sha = try clone.commitAll("workflow")
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/heads/main"])
        let closed = 9
        let kubeconfig = clone.path + "-kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://admin:\(Self.password)@127.0.0.1:\(closed)"}}]
        users: [{name: u, user: {}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        let result = try Command.run("/usr/bin/env", ["git", "push", "-q", "--no-verify", "origin", "main"], in: clone.path,
                                     environment: GitFixture.environment.merging(["KUBECONFIG": kubeconfig]) { $1 })
        #expect(result.status == 0)
        #expect(result.stderrText.contains("remote: pipedreamer: refs/heads/main at \(sha.prefix(12)): deploy of hello failed: the Kubernetes API is not usable: cannot reach the Kubernetes API at http://127.0.0.1:\(closed)"), "\(result.stderrText)")
        #expect(!result.stderrText.contains(Self.password))
    }
}
