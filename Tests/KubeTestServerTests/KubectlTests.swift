import Foundation
import KubeTestServer
import TestSupport
import Testing

/// kubectl itself against the server, for the requests pipedreamer's users make by hand.
@Suite struct KubectlTests {
    func kubectl(_ server: KubeTestServer, _ directory: ExternalClientTests.Directory, _ arguments: [String]) throws -> Command.Result {
        let kubeconfig = try directory.write("kubeconfig", server.kubeconfig())
        return try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig] + arguments)
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlScalePatchesTheScaleSubresourceAsKubectl() async throws {
        try await withServer { server, http in
            _ = try await http.apply(Fixture.deployments + "/hello", Fixture.deployment("hello"))
            let directory = try ExternalClientTests.Directory()
            let result = try kubectl(server, directory, ["scale", "deployment", "hello", "--replicas=3"])
            #expect(result.stderrText == "")
            #expect(result.stdoutText == "deployment.apps/hello scaled\n")
            let patch = server.requests.first { $0.method == "PATCH" && $0.path.hasSuffix("/scale") }
            #expect(patch?.path == "/apis/apps/v1/namespaces/default/deployments/hello/scale")
            #expect(patch?.contentType == "application/merge-patch+json")
            #expect(patch?.query.contains("fieldManager") == false)
            let stored = try #require(server.object(.deployments, namespace: "default", name: "hello"))
            #expect(stored.value(at: ["spec", "replicas"]) == 3)
            let scaler = stored.value(at: ["metadata", "managedFields"])?.array?.first { $0["subresource"] == "scale" }
            #expect(scaler?["manager"] == "kubectl")
            #expect(scaler?["operation"] == "Update")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlGetsLeases() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.leases, Fixture.lease("hello-deploy"))
            let directory = try ExternalClientTests.Directory()
            let names = try kubectl(server, directory, ["get", "leases", "-o", "name"])
            #expect(names.stderrText == "")
            #expect(names.stdoutText == "lease.coordination.k8s.io/hello-deploy\n")
            let holder = try kubectl(server, directory, ["get", "lease", "hello-deploy", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(holder.stdoutText == "deploy-1")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlRolloutUndoReturnsToTheFirstReplicaSet() async throws {
        try await withServer(KubeTestServer.Configuration(rolloutDelayMilliseconds: 5)) { server, http in
            _ = try await http.apply(Fixture.deployments + "/hello", Fixture.deployment("hello", image: "engine:1"))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let directory = try ExternalClientTests.Directory()
            _ = try kubectl(server, directory, ["set", "image", "deployment/hello", "engine=engine:2"])
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let history = try kubectl(server, directory, ["rollout", "history", "deployment/hello"])
            #expect(history.stdoutText == "deployment.apps/hello \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
            let undo = try kubectl(server, directory, ["rollout", "undo", "deployment/hello"])
            #expect(undo.stdoutText == "deployment.apps/hello rolled back\n")
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let sets = try await http.get(Fixture.replicaSets).json["items"]?.array ?? []
            #expect(sets.count == 2)
            let revisions = sets.compactMap { $0.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"])?.string }
            #expect(revisions.sorted() == ["2", "3"])
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlListsADeploymentsReplicaSetsBySelector() async throws {
        try await withServer { server, http in
            _ = try await http.apply(Fixture.deployments + "/hello", Fixture.deployment("hello"))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let directory = try ExternalClientTests.Directory()
            let result = try kubectl(server, directory, ["get", "replicasets", "-l", "app.kubernetes.io/name=hello", "-o", "name"])
            #expect(result.stderrText == "")
            #expect(result.stdoutText.hasPrefix("replicaset.apps/hello-"))
            #expect(result.stdoutText.split(separator: "\n").count == 1)
        }
    }
}
