import GitShim
import KubeClient

/// The one deploy use case. `pipedreamer deploy` and the post-receive hook both prepare a deploy
/// locally (resolve, check, render, secrets) and then run it against a cluster (preflight, apply,
/// prune, restart stamp, rollout wait); they only present what it returns.
public enum WorkflowDeploy {
    /// A deploy checked locally: nothing has been sent.
    public struct Prepared: Sendable {
        public let rendered: Rendered
        /// The working copy's secrets, when deploy reads them and there are some; values are never printed.
        public let secrets: SecretSource?
        /// Local tags that point at the deployed commit.
        public let tags: [String]

        /// The Secret built from `secrets`.
        public var secret: Secret? {
            secrets.map { Manifests.secret(name: rendered.spec.name, namespace: rendered.namespace, data: $0.data) }
        }
    }

    /// Everything local, in DESIGN order: a commit that cannot ship throws `WorkflowRejected`, a bad
    /// secrets file `DeployError`, before any request is sent. `readSecrets` is false where there is
    /// no working copy to read them from (a bare repository on the server).
    public static func prepare(repository: Repository, options: RenderOptions, readSecrets: Bool) throws -> Prepared {
        let rendered = try Renderer.render(repository: repository, options: options)
        let secrets = readSecrets
            ? try SecretSource.load(workingDirectory: repository.workingDirectory, workflowDirectory: rendered.directory)
            : nil
        if let secrets { try SecretDigest.check(secrets, secretName: Manifests.secretName(rendered.spec.name)) }
        let tags = (try? repository.tags(pointingAt: rendered.commit.oid)) ?? []
        return Prepared(rendered: rendered, secrets: secrets, tags: tags)
    }

    /// Preflight, the deploy lease (waiting up to `settings.lockTimeout` for another deploy of the
    /// workflow), then the dry run of every object, the apply in DESIGN order, the restart stamp and
    /// (when `settings.wait`) the rollout wait; the lease is released at the end, on success or not.
    /// `say` gets progress lines, `warn` preflight and lease warnings. A server dry run takes no lease.
    public static func run(_ prepared: Prepared, api: any KubernetesAPI, settings: DeploySettings,
                           say: @escaping @Sendable (String) -> Void,
                           warn: @escaping @Sendable (String) -> Void) async throws -> DeployResult {
        let rendered = prepared.rendered
        let secret = prepared.secret
        let takesLease = !settings.serverDryRun
        try await Preflight(api: api, warn: warn)
            .run(namespace: rendered.namespace, runtimeClass: rendered.runtimeClass,
                 withSecret: secret != nil || settings.pruneSecret, withLease: takesLease)
        let deployer = Deployer(api: api, say: say)
        guard takesLease else { return try await deployer.deploy(rendered, secret: secret, settings: settings) }
        let lease = DeployLease(api: api, namespace: rendered.namespace, workflow: rendered.spec.name, commit: rendered.commit.oid.hex)
        let held = try await lease.acquire(timeout: settings.lockTimeout, say: say, warn: warn)
        do {
            let result = try await deployer.deploy(rendered, secret: secret, settings: settings)
            if let other = held.lostTo {
                throw DeployError("the deploy lease \(lease.name) was taken over by \(other) during this deploy; run the deploy again")
            }
            await held.release()
            return result
        } catch {
            await held.release()
            throw error
        }
    }
}
