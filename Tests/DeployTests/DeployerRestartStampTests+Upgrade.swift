import KubeClient
import KubeTestServer

@testable import Deploy

extension DeployerRestartStampTests {
    /// Applies every rendered object as an earlier version of pipedreamer wrote it (`earlier` edits
    /// the body) and waits for the rollout; returns the rollout count then. For the first deploy
    /// after an upgrade.
    func applyAsEarlierVersion(_ server: KubeTestServer, _ client: KubernetesClient, _ rendered: Rendered,
                               _ earlier: (KubeObject, JSONValue) -> JSONValue) async throws -> Int {
        for object in rendered.objects {
            _ = try await client.apply(Deployer.resourceType(of: object), namespace: "default", name: object.metadata.name ?? "",
                                       object: earlier(object, try JSONValue(encoding: object)), dryRun: false, force: true)
        }
        _ = await server.waitForRollout(namespace: "default", name: "hello")
        return server.rolloutCount(namespace: "default", name: "hello")
    }
}
