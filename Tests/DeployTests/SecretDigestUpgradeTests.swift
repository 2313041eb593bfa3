import Foundation
import GitShim
import KubeTestServer
import Testing
import TestSupport

@testable import Deploy
import KubeClient

/// A Deployment an earlier version stamped with the unkeyed `sha256:` digest, beside a Secret with no
/// digest key: the first deploy with the same Secret content rolls the pods once, the next none.
@Suite struct SecretDigestUpgradeTests {
    @Test func anOldUnkeyedDigestRollsOnceAndThenNever() async throws {
        let helper = DeployerRestartStampTests()
        try await helper.withDeployer { server, client, repo in
            let rendered = try helper.render(repo)
            let secret = Manifests.secret(name: "hello", namespace: "default", data: ["PIN": Array("4821".utf8)])
            let old = "sha256:" + String(repeating: "ab", count: 32)

            // What an earlier version applied: the Secret without a key, the template with the unkeyed digest.
            _ = try await client.apply(.secrets, namespace: "default", name: "hello-secrets",
                                       object: try JSONValue(encoding: KubeObject.secret(secret)), dryRun: false, force: true)
            let before = try await helper.applyAsEarlierVersion(server, client, rendered) { object, body in
                guard case .deployment = object else { return body }
                return body.setting(SecretDigest.annotationPath, .string(old))
            }
            var settings = DeploySettings()
            settings.pollInterval = .milliseconds(10)
            let deployer = Deployer(api: client, say: { _ in })

            _ = try await deployer.deploy(rendered, secret: secret, settings: settings)
            let digest = server.object(.deployments, namespace: "default", name: "hello")?.value(at: SecretDigest.annotationPath)?.string
            #expect(digest?.hasPrefix("hmac-sha256:") == true)
            #expect(server.object(.secrets, namespace: "default", name: "hello-secrets")?.value(at: SecretDigest.keyPath) != nil)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == before + 1)

            _ = try await deployer.deploy(rendered, secret: secret, settings: settings)
            #expect(server.object(.deployments, namespace: "default", name: "hello")?.value(at: SecretDigest.annotationPath)?.string == digest)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == before + 1)
        }
    }
}
