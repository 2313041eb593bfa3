import Foundation
import GitShim
import KubeClient
import KubeTestServer
import TestSupport

@testable import Deploy

/// A test API server holding the objects an earlier version of pipedreamer applied for the
/// fixture workflow, and a client of it: for the first deploy after an upgrade.
struct EarlierVersionFixture {
    let server: KubeTestServer
    let client: KubernetesClient
    let repo: GitFixture
    let rendered: Rendered

    static func start() async throws -> EarlierVersionFixture {
        let server = try await KubeTestServer.start(.init(rolloutDelayMilliseconds: 5))
        let client = try KubernetesClient(connection: ClusterConnection(server: server.url, contextName: "test", origin: "test"),
                                          options: KubeClientOptions(retry: .never, version: "test", warningHandler: { _ in }))
        let repo = try GitFixture()
        try repo.writeWorkflow()
        try repo.commitAll("first")
        var options = RenderOptions()
        options.runtimeClass = ""
        let rendered = try Renderer.render(repository: try Repository.open(containing: repo.path), options: options)
        return EarlierVersionFixture(server: server, client: client, repo: repo, rendered: rendered)
    }

    /// Applies every rendered object as the earlier version wrote it (`earlier` edits the body) and
    /// waits for the rollout; returns the rollout count then.
    func applyAsEarlierVersion(_ earlier: (KubeObject, JSONValue) -> JSONValue) async throws -> Int {
        for object in rendered.objects {
            _ = try await client.apply(Deployer.resourceType(of: object), namespace: "default", name: object.metadata.name ?? "",
                                       object: earlier(object, try JSONValue(encoding: object)), dryRun: false, force: true)
        }
        _ = await server.waitForRollout(namespace: "default", name: "hello")
        return server.rolloutCount(namespace: "default", name: "hello")
    }

    func shutdown() async {
        try? await client.shutdown()
        try? await server.shutdown()
    }
}
