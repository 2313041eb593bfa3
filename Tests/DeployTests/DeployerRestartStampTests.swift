import Foundation
import GitShim
import KubeTestServer
import Testing
import TestSupport

@testable import Deploy
import KubeClient

/// The restart stamp (`kubectl.kubernetes.io/restartedAt`) through `Deployer` against the local API
/// server: a new Deployment is born stamped, and afterwards only the restart patch changes it.
@Suite struct DeployerRestartStampTests {
    static let stampPath = RestartStamp.path

    /// A started server, a client for it and a committed workflow `hello`.
    func withDeployer(_ body: (KubeTestServer, KubernetesClient, GitFixture) async throws -> Void) async throws {
        let server = try await KubeTestServer.start(.init(rolloutDelayMilliseconds: 5))
        let client = try KubernetesClient(connection: ClusterConnection(server: server.url, contextName: "test", origin: "test"),
                                          options: KubeClientOptions(retry: .never, version: "test", warningHandler: { _ in }))
        let repo = try GitFixture()
        try repo.writeWorkflow()
        try repo.commitAll("first")
        do {
            try await body(server, client, repo)
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    func render(_ repo: GitFixture) throws -> Rendered {
        var options = RenderOptions()
        options.runtimeClass = ""
        return try Renderer.render(repository: try Repository.open(containing: repo.path), options: options)
    }

    func deploy(_ client: KubernetesClient, _ rendered: Rendered, dryRun: Bool = false) async throws -> DeployResult {
        var settings = DeploySettings()
        settings.serverDryRun = dryRun
        settings.pollInterval = .milliseconds(10)
        return try await Deployer(api: client, say: { _ in }).deploy(rendered, secret: nil, settings: settings)
    }

    func liveStamp(_ server: KubeTestServer) -> String? {
        server.object(.deployments, namespace: "default", name: "hello")?.value(at: Self.stampPath)?.string
    }

    func generation(_ server: KubeTestServer) -> Int64? {
        server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["metadata", "generation"])?.int
    }

    func restartPatches(_ server: KubeTestServer) -> Int {
        server.requests.filter { $0.contentType == "application/strategic-merge-patch+json" }.count
    }

    @Test func aNewDeploymentIsCreatedStampedInOneRolloutWithoutARestart() async throws {
        try await withDeployer { server, client, repo in
            let rendered = try render(repo)
            let result = try await deploy(client, rendered)
            #expect(result.restarted == false)
            #expect(liveStamp(server) == rendered.commit.oid.hex)
            #expect(restartPatches(server) == 0)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
        }
    }

    @Test func aServerDryRunOfAFirstDeploySucceedsAndPersistsNothing() async throws {
        try await withDeployer { server, client, repo in
            let result = try await deploy(client, try render(repo), dryRun: true)
            #expect(result.objects.map(\.description) == [
                "configmap/hello-code created", "deployment.apps/hello created", "service/hello created",
            ])
            #expect(server.object(.deployments, namespace: "default", name: "hello") == nil)
            #expect(restartPatches(server) == 0)
        }
    }

    @Test func aNewCommitIsStampedByTheRestartPatchOnlyOnce() async throws {
        try await withDeployer { server, client, repo in
            _ = try await deploy(client, try render(repo))
            try repo.write("nodes/fetch.ts", "export default async () => ({ ok: false });\n")
            try repo.commitAll("second")
            let rendered = try render(repo)
            server.clearRequests()

            let result = try await deploy(client, rendered)
            #expect(result.restarted)
            #expect(liveStamp(server) == rendered.commit.oid.hex)
            let deploymentApply = server.requests.first { $0.contentType == "application/apply-patch+yaml" && $0.path.hasSuffix("/deployments/hello") }
            let applied = try JSON.parse(try #require(deploymentApply).body)
            #expect(applied.value(at: Self.stampPath)?.string != rendered.commit.oid.hex)
            #expect(restartPatches(server) == 1)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    @Test func aManualRestartIsKeptByTheApplyAndReplacedByOneRestart() async throws {
        try await withDeployer { server, client, repo in
            let rendered = try render(repo)
            _ = try await deploy(client, rendered)
            // What `kubectl rollout restart` does: another manager stamps a time.
            let manual = JSONValue.object(["spec": .object(["template": .object(["metadata": .object([
                "annotations": .object([RestartStamp.annotation: .string("2026-01-01T00:00:00Z")]),
            ])])])])
            _ = try await client.patch(.deployments, namespace: "default", name: "hello", strategicMerge: manual, dryRun: false)
            #expect(generation(server) == 2)
            server.clearRequests()

            let result = try await deploy(client, rendered)
            #expect(result.restarted)
            #expect(liveStamp(server) == rendered.commit.oid.hex)
            // The template went back to the commit's stamp once: one new generation, one patch.
            #expect(generation(server) == 3)
            #expect(restartPatches(server) == 1)
        }
    }

    /// A live Deployment stamped `old-sha`, with the stamp owned by `manager` doing `operation`.
    static func live(ownedBy manager: String, _ operation: String) -> JSONValue {
        let owned = JSONValue.object([:]).setting(stampPath.map { "f:" + $0 }, .object([:]))
        return JSONValue.object([:]).setting(stampPath, .string("old-sha"))
            .setting(["metadata", "managedFields"], .array([.object([
                "manager": .string(manager), "operation": .string(operation), "fieldsType": .string("FieldsV1"), "fieldsV1": owned,
            ])]))
    }

    @Test func theApplyCarriesTheLiveStampWhileItsApplyOwnsIt() {
        let rendered = JSONValue.object([:]).setting(Self.stampPath, .string("new-sha"))
        #expect(Deployer.keepingLiveStamp(rendered, live: nil)[Self.stampPath] == .string("new-sha"))
        #expect(Deployer.keepingLiveStamp(rendered, live: Self.live(ownedBy: "pipedreamer", "Apply"))[Self.stampPath] == .string("old-sha"))
    }

    @Test func theApplyLeavesOutAStampTheRestartPatchOwns() {
        let rendered = JSONValue.object([:]).setting(Self.stampPath, .string("new-sha"))
        #expect(Deployer.keepingLiveStamp(rendered, live: Self.live(ownedBy: "pipedreamer", "Update")) == .object([:]))
        #expect(Deployer.keepingLiveStamp(rendered, live: Self.live(ownedBy: "kubectl", "Apply")) == .object([:]))
        #expect(Deployer.keepingLiveStamp(rendered, live: .object(["spec": .object([:])])) == .object([:]))
    }
}

@Suite struct DeployerTemplateChangeTests {
    @Test func aNextCommitThatAlsoChangesThePodTemplateRollsOnce() async throws {
        let helper = DeployerRestartStampTests()
        try await helper.withDeployer { server, client, repo in
            _ = try await helper.deploy(client, try helper.render(repo))
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
            // A new node file adds an `items` entry to the code volume: the template changes on its own.
            try repo.writeWorkflow(nodes: ["fetch": "export default async () => ({ ok: true });\n",
                                           "store": "export default async () => ({ stored: true });\n"])
            try repo.commitAll("second node")
            let rendered = try helper.render(repo)
            let result = try await helper.deploy(client, rendered)
            #expect(helper.liveStamp(server) == rendered.commit.oid.hex)
            // The pods rolled (once, through the apply): that is a restart, though no restart patch was sent.
            #expect(result.restarted)
            #expect(helper.restartPatches(server) == 0)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }
}

@Suite struct DeployerRedeployAfterRestartTests {
    @Test func redeployingAfterARestartPatchChangesNothing() async throws {
        let helper = DeployerRestartStampTests()
        try await helper.withDeployer { server, client, repo in
            _ = try await helper.deploy(client, try helper.render(repo))
            try repo.write("nodes/fetch.ts", "export default async () => ({ ok: 2 });\n")
            try repo.commitAll("content only")
            let second = try await helper.deploy(client, try helper.render(repo))
            #expect(second.restarted)
            let version = server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["metadata", "resourceVersion"])
            let again = try await helper.deploy(client, try helper.render(repo))
            #expect(again.objects.map(\.description) == [
                "configmap/hello-code unchanged", "deployment.apps/hello unchanged", "service/hello unchanged",
            ])
            #expect(again.restarted == false)
            #expect(server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["metadata", "resourceVersion"]) == version)
            #expect(helper.liveStamp(server) == (try repo.gitText(["rev-parse", "HEAD"])))
        }
    }
}
