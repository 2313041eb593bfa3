import Foundation
import KubeClient

/// How a deploy runs: server-side dry run, waiting for the rollout, and its time limits.
public struct DeploySettings: Sendable {
    public var serverDryRun = false
    public var wait = true
    /// How long to wait for the rollout; nil waits without limit (`--timeout 0`, as `kubectl rollout status`).
    public var timeout: Duration? = .seconds(300)
    /// First pause between rollout polls; it doubles up to `maxPollInterval`.
    public var pollInterval: Duration = .milliseconds(100)
    public var maxPollInterval: Duration = .seconds(2)
    /// Take over objects of this workflow's names that exist without its labels (`--adopt`).
    public var adopt = false
    /// Take fields other managers own (`--force-conflicts`), as `kubectl apply --server-side --force-conflicts`.
    public var forceConflicts = false
    /// Delete the live Secret when the working copy has none (`--prune-secret`).
    public var pruneSecret = false
    /// False where no working copy is read for secrets (post-receive): a missing Secret is not news there.
    public var readsSecrets = true
    /// How long to wait for another deploy's lease (`--lock-timeout`); zero fails at once.
    public var lockTimeout: Duration = .seconds(120)
    /// Per-commit code ConfigMaps kept for rollback besides the live one.
    public var keepCodeVersions = 5
    /// Who deploys, as the history records it (`user@host`, `post-receive@host`).
    public var actor = "unknown"

    public init() {}
}

/// What happened to one object.
public struct AppliedObject: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: String, Sendable { case created, configured, unchanged, pruned, adopted }
    /// kubectl's `configmap/hello-code`, `deployment.apps/hello`.
    public let reference: String
    public let outcome: Outcome
    public var description: String { "\(reference) \(outcome.rawValue)" }
}

/// The result of a deploy.
public struct DeployResult: Sendable {
    public private(set) var objects: [AppliedObject]
    /// True when the existing Deployment's pods roll: by the restart patch, by the new stamp riding
    /// in an apply that changed the pod template anyway, or by a template change with the same stamp
    /// (a field an upgrade adds, a new Secret digest). What `-o json` and the text output report.
    public let restarted: Bool
    public let rollout: RolloutState?
    /// True when the apply itself changed the existing Deployment's pod template (a new image, a
    /// node file added, another code ConfigMap), the new stamp riding along.
    public var templateChanged = false

    /// The same result with `more` objects (deletions after the rollout) at the end.
    public func adding(_ more: [AppliedObject]) -> DeployResult {
        var result = self
        result.objects += more
        return result
    }

    /// The objects this deploy changed.
    public var changedObjects: [AppliedObject] { objects.filter { $0.outcome != .unchanged } }

    /// True when anything changed in the cluster: an object, or the restart stamp.
    public var changed: Bool { !changedObjects.isEmpty || restarted }

    /// True when the pods roll for this commit: the Deployment was created (already stamped) or restamped.
    public var startedRollout: Bool {
        restarted || templateChanged || objects.contains { $0.reference.hasPrefix("deployment.apps/") && $0.outcome == .created }
    }
}

/// Applies a rendered workflow to a cluster in DESIGN order: ConfigMap (and Secret), Deployment,
/// Service, CronJobs, prune, restart stamp, rollout wait.
public struct Deployer: Sendable {
    let api: any KubernetesAPI
    let say: @Sendable (String) -> Void

    public init(api: any KubernetesAPI, say: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.say = say
    }

    public func deploy(_ rendered: Rendered, secret: Secret?, settings: DeploySettings) async throws -> DeployResult {
        let namespace = rendered.namespace
        let name = rendered.spec.name
        let selector = Manifests.selector(name)
        let dryRun = settings.serverDryRun

        // Current state, read once, tells created from configured from unchanged and what to prune.
        let live = try await liveObjects(namespace: namespace, selector: selector)
        let existing = live.mapValues { $0[path: "metadata", "resourceVersion"]?.stringValue ?? "" }
        // The stamp is the code commit: a commit that changes nothing in the workflow restarts nothing.
        let sha = rendered.codeCommit.oid.hex
        let liveDeployment = live[Self.key(.deployments, name)]

        // The digest key lives on the Secret, so the one GET of it reads the key (its values go unused).
        var keyed: (secret: Secret, digest: String)?
        // This workflow's live Secret, compared like the other objects so an unchanged one is not re-sent.
        var planned = live
        if let secret {
            let secretName = Manifests.secretName(name)
            let live = try await KubeAPIError.naming("reading \(Self.reference(.secrets, secretName))") {
                try await api.get(.secrets, namespace: namespace, name: secretName)
            }
            keyed = SecretDigest.keyed(secret, live: live)
            if let live, Manifests.isOwned(live, by: name) { planned[Self.key(.secrets, secretName)] = live }
        }

        // Every object is dry-run first: a refusal there writes nothing. This code commit's immutable
        // ConfigMap, when it is already there, is not sent at all: a redeploy writes no new one.
        var bodies = try requestBodies(rendered, secret: keyed?.secret, digest: keyed?.digest,
                                       liveDeployment: liveDeployment, settings: settings)
        var kept = [AppliedObject]()
        bodies.removeAll { type, objectName, body in
            guard type == .configMaps, body[path: "immutable"] == .bool(true),
                  existing[Self.key(.configMaps, objectName)] != nil else { return false }
            kept.append(AppliedObject(reference: Self.reference(.configMaps, objectName), outcome: .unchanged))
            return true
        }
        for record in kept { say(record.description + (dryRun ? " (server dry run)" : "")) }
        let validation = DeployValidation(api: api, namespace: namespace, workflow: name,
                                          adopt: settings.adopt, forceConflicts: settings.forceConflicts)
        var plans = try await validation.validate(bodies, live: planned)
        if let index = plans.firstIndex(where: { $0.type == .deployments }) {
            plans[index] = Self.carryingStamp(plans[index], live: liveDeployment, sha: sha)
        }
        var (applied, deploymentAfterApply) = try await write(plans, namespace: namespace, dryRun: dryRun)
        applied = kept + applied

        let wanted = rendered.cronJobNames
        for (key, _) in existing.sorted(by: { $0.key < $1.key }) where key.hasPrefix(Self.key(.cronJobs, "")) {
            let cronJob = String(key.dropFirst(Self.key(.cronJobs, "").count))
            guard !wanted.contains(cronJob) else { continue }
            let pruned = try await KubeAPIError.naming("pruning\(dryRun ? " (server dry run)" : "") \(Self.reference(.cronJobs, cronJob))") {
                try await api.delete(.cronJobs, namespace: namespace, name: cronJob, dryRun: dryRun)
            }
            if pruned {
                let record = AppliedObject(reference: Self.reference(.cronJobs, cronJob), outcome: .pruned)
                applied.append(record)
                say(record.description + (dryRun ? " (server dry run)" : ""))
                if cronJob == Manifests.legacyCronJobName(name), let moved = rendered.spec.cronJobNames.first {
                    say("note: \(Self.reference(.cronJobs, cronJob)) is now \(Self.reference(.cronJobs, moved)): a CronJob's name "
                        + "depends on its trigger alone from this version on, so adding a trigger will not recreate it (this move happens once)")
                }
            }
        }

        if secret == nil, settings.pruneSecret, let pruned = try await pruneSecret(rendered, dryRun: dryRun) {
            applied.append(pruned)
        } else if secret == nil, settings.readsSecrets, SecretDigest.live(liveDeployment) != nil {
            say("secret \(Manifests.secretName(name)): the working copy has no .secrets.yaml or .secrets/; the live Secret is kept (pass --prune-secret to delete it)")
        }

        let stamped = RestartStamp.of(deploymentAfterApply)
        var deployment = deploymentAfterApply
        let liveStamp = RestartStamp.of(liveDeployment)
        let restamped = stamped != sha || (liveDeployment != nil && liveStamp != sha)
        if stamped != sha {
            deployment = try await rolloutRestart(namespace: namespace, deployment: name, sha: sha, dryRun: dryRun)
        }
        let liveTemplate = liveDeployment?[path: "spec", "template"]
        let templateChanged = liveTemplate != nil && deployment?[path: "spec", "template"] != liveTemplate
        // The pods of an existing Deployment roll by the restart patch, by the stamp the apply carried,
        // or by any other change of its pod template (a new field after an upgrade, a new Secret digest).
        let restarted = restamped || templateChanged
        if restarted {
            say("\(Self.reference(.deployments, name)) restarted at \(rendered.codeCommit.oid.short)"
                + (restamped ? "" : " (its pod template changed)") + (dryRun ? " (server dry run)" : ""))
        }

        var rollout: RolloutState?
        if settings.wait, !dryRun {
            // The wait is for this deploy's commit (the Deployment's pipedreamer.dev/commit), not its code commit.
            do {
                rollout = try await waitForRollout(namespace: namespace, name: name, commit: rendered.commit.oid.hex,
                                                   after: deployment, settings: settings)
            } catch let error as RolloutIncomplete {
                // The objects are written; the caller reports them with the wait's outcome.
                throw error.with(DeployResult(objects: applied, restarted: restarted, rollout: error.state))
            }
        }
        var result = DeployResult(objects: applied, restarted: restarted, rollout: rollout)
        result.templateChanged = templateChanged
        return result
    }

    /// `RolloutRestart(namespace, deployment, sha)`: a strategic-merge patch of the template's
    /// `kubectl.kubernetes.io/restartedAt` annotation to the full commit SHA.
    public func rolloutRestart(namespace: String, deployment: String, sha: String, dryRun: Bool) async throws -> JSONValue {
        let patch = JSONValue.object(["spec": .object(["template": .object(["metadata": .object([
            "annotations": .object([RestartStamp.annotation: .string(sha)]),
        ])])])])
        return try await KubeAPIError.naming("restarting\(dryRun ? " (server dry run)" : "") \(Self.reference(.deployments, deployment))") {
            try await api.patch(.deployments, namespace: namespace, name: deployment, strategicMerge: patch, dryRun: dryRun)
        }
    }

    func waitForRollout(namespace: String, name: String, commit: String, after last: JSONValue?,
                        settings: DeploySettings) async throws -> RolloutState {
        let clock = ContinuousClock()
        let deadline = settings.timeout.map { clock.now.advanced(by: $0) }
        var pause = settings.pollInterval
        var lastMessage = ""
        var current = last
        while true {
            if let current {
                if let takenOver = Self.takenOver(current, name: name, commit: commit) { throw takenOver }
                let state = RolloutState.of(current)
                switch state {
                case .complete(let message):
                    say(message)
                    return state
                case .failed(let message):
                    throw RolloutIncomplete(reason: .failed, message: message, state: state)
                case .waiting(let message):
                    if message != lastMessage { say(message) }
                    lastMessage = message
                }
            }
            if let deadline, let timeout = settings.timeout, clock.now >= deadline {
                let detail = current.flatMap(RolloutState.conditionSummary).map { "; \($0)" } ?? ""
                let message = "timed out after \(timeout) waiting for deployment \"\(name)\" to roll out\(detail); see `kubectl -n \(namespace) describe deployment \(name)`"
                throw RolloutIncomplete(reason: .timedOut, message: message,
                                        state: current.map(RolloutState.of) ?? .waiting(message))
            }
            try await Task.sleep(for: deadline.map { min(pause, $0 - clock.now) } ?? pause)
            pause = min(pause * 2, settings.maxPollInterval)
            current = try await api.get(.deployments, namespace: namespace, name: name)
            if current == nil { throw DeployError("deployment \"\(name)\" disappeared while waiting for its rollout") }
        }
    }

    /// The Deployment to apply, with a restart stamp the apply cannot change. A new Deployment is
    /// created already stamped with the commit (one rollout, no restart needed). For an existing
    /// one, the apply repeats the live stamp while pipedreamer's apply owns that field, so the
    /// apply never drops it; once the restart patch has taken the field over, the apply leaves it
    /// out, so redeploying moves no ownership and writes nothing.
    static func keepingLiveStamp(_ deployment: JSONValue, live: JSONValue?) -> JSONValue {
        guard let live else { return deployment }
        let stampPath = RestartStamp.path
        let unstamped = deployment.removing(stampPath)
        guard let stamp = live[stampPath], appliedFields(of: live, contain: stampPath) else { return unstamped }
        return unstamped.setting(stampPath, stamp)
    }

    /// True when pipedreamer's apply entry in `metadata.managedFields` owns the field at `path`.
    static func appliedFields(of live: JSONValue, contain path: [String]) -> Bool {
        let entries = live[path: "metadata", "managedFields"]?.arrayValue ?? []
        return entries.contains { entry in
            entry[path: "manager"]?.stringValue == KubernetesClient.fieldManager
                && entry[path: "operation"]?.stringValue == "Apply"
                && entry[path: "fieldsV1"]?[path.map { "f:" + $0 }] != nil
        }
    }

    /// This workflow's objects as they are, keyed by `type/name`.
    func liveObjects(namespace: String, selector: String) async throws -> [String: JSONValue] {
        // Secrets are not listed: that would read their values.
        let types = Self.listedTypes
        return try await withThrowingTaskGroup(of: [String: JSONValue].self) { group in
            for type in types {
                group.addTask {
                    var objects = [String: JSONValue]()
                    for item in try await api.list(type, namespace: namespace, labelSelector: selector) {
                        if let name = item[path: "metadata", "name"]?.stringValue { objects[Self.key(type, name)] = item }
                    }
                    return objects
                }
            }
            var all = [String: JSONValue]()
            for try await part in group { all.merge(part) { $1 } }
            return all
        }
    }

    /// The types whose current state deploy reads (by label) before applying.
    public static let listedTypes: [ResourceType] = [.configMaps, .deployments, .services, .cronJobs]

    static func key(_ type: ResourceType, _ name: String) -> String { "\(type.plural)/\(name)" }

    /// kubectl's object reference: `configmap/x`, `deployment.apps/x`, `cronjob.batch/x`.
    static func reference(_ type: ResourceType, _ name: String) -> String { "\(type)/\(name)" }

    static func resourceType(of object: KubeObject) -> ResourceType {
        switch object {
        case .configMap: return .configMaps
        case .secret: return .secrets
        case .deployment: return .deployments
        case .service: return .services
        case .cronJob: return .cronJobs
        }
    }
}
