import Foundation
import KubeTestServer
import Testing
import TestSupport

/// What a pushed commit may choose is the receiving repository's config to say: a tag cannot pick
/// `kube-system` or an arbitrary image, and one slow workflow does not hold the push forever.
@Suite struct PostReceivePolicyTests {
    let remote: HookedRepository
    let clone: GitFixture
    let kubeconfig: String

    init() throws {
        remote = try HookedRepository(fixture: try GitFixture(bare: true), server: true)
        clone = try GitFixture()
        kubeconfig = clone.path + "-kubeconfig"
        try clone.git(["remote", "add", "origin", remote.path])
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*"])
    }

    /// Pushes a tag of a new commit holding `files`, returning the commit and the lines the remote sent.
    func pushTag(_ files: [String: String], server: KubeTestServer) throws -> (sha: String, lines: [String]) {
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        for (path, text) in files { try clone.write(path, text) }
        let sha = try clone.commitAll("release")
        try clone.git(["tag", "v1.0.0"])
        let result = try Command.run("/usr/bin/env", ["git", "push", "-q", "--no-verify", "origin", "main", "v1.0.0"], in: clone.path,
                                     environment: GitFixture.environment.merging(["KUBECONFIG": kubeconfig]) { $1 })
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stderrText.split(separator: "\n").compactMap { line in
            line.hasPrefix("remote: ") ? String(line.dropFirst(8)).trimmingCharacters(in: .whitespaces) : nil
        }
        return (String(sha.prefix(12)), lines)
    }

    func withServer(_ body: (KubeTestServer) async throws -> Void) async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        do {
            try await body(server)
            try await server.shutdown()
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    @Test func aTagChoosingKubeSystemIsRefusedBeforeAnyRequest() async throws {
        try await withServer { server in
            try remote.fixture.git(["config", "--add", "pipedreamer.allowedNamespaces", "team-*"])
            try remote.fixture.git(["config", "--add", "pipedreamer.allowedNamespaces", "staging"])
            try clone.writeWorkflow(at: "wf", name: "hello", extra: "deployment:\n  namespace: kube-system\n")
            let (sha, lines) = try pushTag([:], server: server)
            #expect(lines == ["pipedreamer: refs/tags/v1.0.0 at \(sha): workflow hello not deployed: namespace \"kube-system\" (from deployment.namespace in workflow.yaml) is not allowed by pipedreamer.allowedNamespaces (team-* staging); to allow it, run `git config --add pipedreamer.allowedNamespaces kube-system` in the server's repository"])
            #expect(server.requests.isEmpty)
        }
    }

    @Test func aTagChoosingAnArbitraryImageIsRefusedBeforeAnyRequest() async throws {
        try await withServer { server in
            try remote.fixture.git(["config", "pipedreamer.allowedImages", "registry.corp/engine:*"])
            try clone.writeWorkflow(at: "wf", name: "hello")
            let (sha, lines) = try pushTag(["wf/.pipedreamer/base-image.txt": "evil.example/registry.corp/engine:1\n"], server: server)
            #expect(lines == ["pipedreamer: refs/tags/v1.0.0 at \(sha): workflow hello not deployed: image \"evil.example/registry.corp/engine:1\" (from wf/.pipedreamer/base-image.txt) is not allowed by pipedreamer.allowedImages (registry.corp/engine:*); to allow it, run `git config --add pipedreamer.allowedImages 'evil.example/registry.corp/engine:1'` in the server's repository"])
            #expect(server.requests.isEmpty)
        }
    }

    @Test func theDefaultImageIsRefusedWhenTheAllowListDoesNotNameIt() async throws {
        try await withServer { server in
            try remote.fixture.git(["config", "pipedreamer.allowedImages", "registry.corp/engine:*"])
            try clone.writeWorkflow(at: "wf", name: "hello")
            let (_, lines) = try pushTag([:], server: server)
            #expect(lines.count == 1)
            #expect(lines.first?.contains("image \"pipedreamer-engine:latest\" (from the default image) is not allowed by pipedreamer.allowedImages") == true)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func allowedValuesDeploy() async throws {
        try await withServer { server in
            server.addNamespace("team-a")
            try remote.fixture.git(["config", "pipedreamer.allowedNamespaces", "team-*"])
            try remote.fixture.git(["config", "pipedreamer.allowedImages", "registry.corp/engine:*"])
            try clone.writeWorkflow(at: "wf", name: "hello", extra: "deployment:\n  namespace: team-a\n")
            let (sha, lines) = try pushTag(["wf/.pipedreamer/base-image.txt": "registry.corp/engine:1.2\n"], server: server)
            #expect(lines == ["pipedreamer: refs/tags/v1.0.0 at \(sha): deployed hello to namespace team-a: configmap/hello-code created, deployment.apps/hello created, service/hello created; rollout started (follow it with `pipedreamer status hello -n team-a`)"])
            let deployment = try #require(server.object(.deployments, namespace: "team-a", name: "hello"))
            guard case .array(let containers)? = deployment.value(at: ["spec", "template", "spec", "containers"]) else {
                Issue.record("no containers")
                return
            }
            #expect(containers.first?["image"]?.string == "registry.corp/engine:1.2")
        }
    }

    @Test func aDeployPastTheReceiveTimeoutIsAbandonedItsLeaseReleasedAndTheNextWorkflowDeployed() async throws {
        try await withServer { server in
            try remote.fixture.git(["config", "pipedreamer.receiveTimeout", "3s"])
            // The first workflow's Deployment dry run is held well past the limit; the second one's is not.
            server.injectFault(Fault(method: "PATCH", pathPattern: "/apis/apps/v1/namespaces/default/deployments/alpha",
                                     action: .delay(milliseconds: 60_000)))
            try clone.writeWorkflow(at: "a", name: "alpha")
            try clone.writeWorkflow(at: "b", name: "beta")
            let (sha, lines) = try pushTag([:], server: server)
            #expect(lines.count == 2)
            #expect(lines.first == "pipedreamer: refs/tags/v1.0.0 at \(sha): deploy of alpha abandoned after 3s (git config pipedreamer.receiveTimeout); the push itself succeeded, run `pipedreamer deploy \(sha)` to retry")
            #expect(lines.last?.hasPrefix("pipedreamer: refs/tags/v1.0.0 at \(sha): deployed beta to namespace default:") == true, "\(lines)")
            #expect(server.object(.leases, namespace: "default", name: "alpha-deploy") == nil)
            #expect(server.requests.contains { $0.method == "DELETE" && $0.path.hasSuffix("/leases/alpha-deploy") && $0.status == 200 })
        }
    }
}
