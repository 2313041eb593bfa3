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
        /// Where the commit was read, to tell whether it is older than the deployed one.
        public var repository: Repository?
        /// What it was rendered with, to render it again in the live code ConfigMap mode.
        public var options: RenderOptions?

        /// The Secret built from `secrets`.
        public var secret: Secret? {
            secrets.map { Manifests.secret(name: rendered.spec.name, namespace: rendered.namespace, data: $0.data) }
        }
    }

    /// Everything local, in the deploy order (docs/ARCHITECTURE.md): a commit that cannot ship throws `WorkflowRejected`, a bad
    /// secrets file `DeployError`, before any request is sent. `readSecrets` is false where there is
    /// no working copy to read them from (a bare repository on the server).
    public static func prepare(repository: Repository, options: RenderOptions, readSecrets: Bool) throws -> Prepared {
        let rendered = try Renderer.render(repository: repository, options: options)
        let secrets = readSecrets
            ? try SecretSource.load(workingDirectory: repository.workingDirectory, workflowDirectory: rendered.directory)
            : nil
        if let secrets { try SecretDigest.check(secrets, secretName: Manifests.secretName(rendered.spec.name)) }
        let tags = (try? repository.tags(pointingAt: rendered.commit.oid)) ?? []
        return Prepared(rendered: rendered, secrets: secrets, tags: tags, repository: repository, options: options)
    }

    /// Preflight, the deploy lease (waiting up to `settings.lockTimeout` for another deploy of the
    /// workflow), then the dry run of every object, the apply in the deploy order, the restart stamp and
    /// (when `settings.wait`) the rollout wait; the lease is released at the end, on success or not.
    /// `say` gets progress lines, `warn` preflight and lease warnings. A server dry run takes no lease.
    public static func run(_ prepared: Prepared, api: any KubernetesAPI, settings: DeploySettings,
                           say: @escaping @Sendable (String) -> Void,
                           warn: @escaping @Sendable (String) -> Void) async throws -> DeployResult {
        let asked = prepared.rendered
        let preflight = Preflight(api: api, warn: warn)
        let withSecret = prepared.secret != nil || settings.pruneSecret
        let takesLease = !settings.serverDryRun
        try await preflight.run(namespace: asked.namespace, runtimeClass: asked.runtimeClass,
                                withSecret: withSecret, withLease: takesLease, codeConfigMap: asked.codeConfigMap)
        // The live code mode is read under the lease: a deploy that waited for it plans on the mode
        // the deploy before it left, not the one it saw while waiting.
        let inLiveMode = { @Sendable () async throws -> Prepared in
            let (prepared, announcement) = try await inLiveCodeMode(prepared, api: api)
            if let announcement { say(announcement) }
            let rendered = prepared.rendered
            if rendered.codeConfigMap != asked.codeConfigMap {
                // The live mode's permissions (per-commit lists ReplicaSets), checked before any write as well.
                try await preflight.checkPermissions(namespace: rendered.namespace, withSecret: withSecret, withLease: takesLease,
                                                     codeConfigMap: rendered.codeConfigMap)
            }
            return prepared
        }
        guard takesLease else { return try await deployAndFinish(try await inLiveMode(), api: api, settings: settings, say: say) }
        let lease = DeployLease(api: api, namespace: asked.namespace, workflow: asked.spec.name, commit: asked.commit.oid.hex)
        return try await lease.holding(timeout: settings.lockTimeout, say: say, warn: warn) {
            try await deployAndFinish(try await inLiveMode(), api: api, settings: settings, say: say)
        }
    }

    /// What the lease guards: the older-commit note, the deploy itself, then its history entry and
    /// the clean-up of code ConfigMaps (a failure that reached the Deployment is recorded too).
    static func deployAndFinish(_ prepared: Prepared, api: any KubernetesAPI, settings: DeploySettings,
                                say: @escaping @Sendable (String) -> Void) async throws -> DeployResult {
        let rendered = prepared.rendered
        if let note = try await OlderCommitNote.make(rendered, repository: prepared.repository, api: api) { say(note) }
        let result: DeployResult
        do {
            result = try await Deployer(api: api, say: say).deploy(rendered, secret: prepared.secret, settings: settings)
        } catch {
            // A deploy refused before its first write changed nothing, so there is no version to record.
            if !(error is DeployRefused) { try? await recordFailure(rendered, api: api, settings: settings) }
            if let incomplete = error as? RolloutIncomplete, !settings.serverDryRun,
               let entries = try? await DeployHistory(api: api).read(namespace: rendered.namespace, workflow: rendered.spec.name),
               entries.contains(where: { $0.outcome == .complete }) {
                throw incomplete.suggestingRollback(workflow: rendered.spec.name, namespace: rendered.namespace)
            }
            throw error
        }
        return try await finish(rendered, result, api: api, settings: settings, say: say)
    }

    /// After the apply: the history entry of a deploy that rolled the pods, then (once the rollout
    /// is complete, so no old pod still mounts them) the code ConfigMaps nothing needs any more.
    static func finish(_ rendered: Rendered, _ result: DeployResult, api: any KubernetesAPI, settings: DeploySettings,
                       say: @escaping @Sendable (String) -> Void) async throws -> DeployResult {
        guard !settings.serverDryRun else { return result }
        if result.startedRollout {
            let outcome: DeployHistory.Entry.Outcome = if case .complete? = result.rollout { .complete } else { .started }
            try await DeployHistory(api: api).record(rendered, outcome: outcome, by: settings.actor)
        }
        guard case .complete? = result.rollout else { return result }
        let removed = try await CodeGarbageCollector(api: api, say: say).collect(rendered, keep: settings.keepCodeVersions)
        return result.adding(removed)
    }

    /// A failed deploy is recorded when it reached the Deployment (its template holds this code commit).
    static func recordFailure(_ rendered: Rendered, api: any KubernetesAPI, settings: DeploySettings) async throws {
        guard !settings.serverDryRun,
              let live = try await api.get(.deployments, namespace: rendered.namespace, name: rendered.spec.name),
              RestartStamp.of(live)
                == rendered.codeCommit.oid.hex else { return }
        try await DeployHistory(api: api).record(rendered, outcome: .failed, by: settings.actor)
    }
}
