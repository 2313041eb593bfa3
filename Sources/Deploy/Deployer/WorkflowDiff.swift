import Crypto
import Foundation
import KubeClient

/// The difference between the live objects of a workflow and what deploying a commit would write:
/// deploy's own plan (the same request bodies, Secret, ownership and conflict rules, replicas rule
/// and restart stamp), run as a server-side dry run.
public struct WorkflowDiff: Sendable {
    public struct Entry: Sendable {
        /// `configmap/hello-code`
        public let reference: String
        /// Normalised YAML of the live object; nil when it does not exist.
        public let live: String?
        /// Normalised YAML of the object after deploy's writes; nil when deploy would prune it.
        public let desired: String?
        /// True when deploy would write this object (an apply, a restart patch or a prune).
        public let changed: Bool
    }

    let api: any KubernetesAPI

    public init(api: any KubernetesAPI) { self.api = api }

    /// Server-populated fields that say nothing about what was applied.
    static let ignoredPaths: [[String]] = [
        ["metadata", "managedFields"], ["metadata", "resourceVersion"], ["metadata", "uid"],
        ["metadata", "creationTimestamp"], ["metadata", "generation"], ["metadata", "selfLink"],
        ["metadata", "annotations", "deployment.kubernetes.io/revision"], ["status"],
    ]

    /// Plans the deploy of `rendered` with `secret` (the working copy's, as deploy reads it) under
    /// `settings` and dry-runs it. A plan deploy would refuse throws `DeployRefused`, as deploy does.
    public func run(_ rendered: Rendered, secret: Secret?, settings: DeploySettings) async throws -> [Entry] {
        let namespace = rendered.namespace
        let name = rendered.spec.name
        let deployer = Deployer(api: api, say: { _ in })
        var live = try await deployer.liveObjects(namespace: namespace, selector: Manifests.selector(name))
        let liveDeployment = live[Deployer.key(.deployments, name)]
        var keyed: (secret: Secret, digest: String)?
        if let secret {
            let liveSecret = try await api.get(.secrets, namespace: namespace, name: Manifests.secretName(name))
            if let liveSecret, Manifests.isOwned(liveSecret, by: name) {
                live[Deployer.key(.secrets, Manifests.secretName(name))] = liveSecret
            }
            keyed = SecretDigest.keyed(secret, live: liveSecret)
        }
        var bodies = try deployer.requestBodies(rendered, secret: keyed?.secret, digest: keyed?.digest,
                                                liveDeployment: liveDeployment, settings: settings)
        var entries = [Entry]()
        // This code commit's immutable ConfigMap, when it is already there, is not sent at all.
        bodies.removeAll { type, objectName, body in
            guard type == .configMaps, body[path: "immutable"] == .bool(true),
                  let existing = live[Deployer.key(.configMaps, objectName)] else { return false }
            let text = try? Self.normalised(existing)
            entries.append(Entry(reference: Deployer.reference(.configMaps, objectName), live: text, desired: text, changed: false))
            return true
        }
        let validation = DeployValidation(api: api, namespace: namespace, workflow: name,
                                          adopt: settings.adopt, forceConflicts: settings.forceConflicts)
        var plans = try await validation.validate(bodies, live: live)
        let sha = rendered.codeCommit.oid.hex
        if let index = plans.firstIndex(where: { $0.type == .deployments }) {
            plans[index] = Deployer.carryingStamp(plans[index], live: liveDeployment, sha: sha)
        }
        let digestKey = keyed.flatMap { SecretDigest.key(ofLive: try? JSONValue(encoding: $0.secret)) }
        for plan in plans {
            let before = live[Deployer.key(plan.type, plan.name)]
            var after = plan.outcome == .unchanged ? before ?? plan.preview : plan.preview
            var changed = plan.outcome != .unchanged
            if plan.type == .deployments {
                // The stamp the apply carries, or the restart patch that follows it.
                let stamp = RestartStamp.path
                if after[stamp]?.stringValue != sha {
                    after = after.setting(stamp, .string(sha))
                    changed = true
                }
            }
            let shown: (JSONValue) throws -> String = { object in
                try Self.normalised(plan.type == .secrets ? Self.digested(object, key: digestKey) : object)
            }
            entries.append(Entry(reference: Deployer.reference(plan.type, plan.name),
                                 live: try before.map(shown), desired: try shown(after), changed: changed))
        }
        // CronJobs of this workflow that the spec no longer has: deploy prunes them.
        let wanted = rendered.cronJobNames
        for (key, cronJob) in live.sorted(by: { $0.key < $1.key }) where key.hasPrefix(Deployer.key(.cronJobs, "")) {
            let cronJobName = String(key.dropFirst(Deployer.key(.cronJobs, "").count))
            guard !wanted.contains(cronJobName) else { continue }
            entries.append(Entry(reference: Deployer.reference(.cronJobs, cronJobName), live: try Self.normalised(cronJob),
                                 desired: nil, changed: true))
        }
        return entries
    }

    /// A Secret as the diff shows it: each value replaced by its keyed digest, the digest key hidden,
    /// so a changed key shows which key changed and no value or guessable hash is ever printed.
    static func digested(_ secret: JSONValue, key: SymmetricKey?) -> JSONValue {
        var result = secret.removing(["data"]).removing(["stringData"])
        if secret[SecretDigest.keyPath] != nil { result = result.setting(SecretDigest.keyPath, .string("(not shown)")) }
        guard case .object(let data)? = secret[path: "data"], let key else { return result }
        var digests = [String: JSONValue]()
        for (name, value) in data {
            let bytes = Array(Data(base64Encoded: value.stringValue ?? "") ?? Data())
            digests[name] = .string(SecretDigest.of([name: bytes], key: key))
        }
        return result.setting(["data"], .object(digests))
    }

    static func normalised(_ object: JSONValue) throws -> String {
        let cleaned = ignoredPaths.reduce(object) { $0.removing($1) }
        return try ManifestWriter.yaml(values: [cleaned])
    }

    /// A unified diff of one entry, as `diff -u` prints it (labels `live/…` and `desired/…`).
    public static func unified(_ entry: Entry) -> String {
        UnifiedDiff.make(old: entry.live ?? "", new: entry.desired ?? "",
                         oldLabel: "live/\(entry.reference)", newLabel: "desired/\(entry.reference)")
    }
}
