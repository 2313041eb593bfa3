import KubeClient

/// After a completed rollout, removes the code ConfigMaps of a workflow that nothing needs any more:
/// in per-commit mode the shared `<name>-code` (a switch from shared) and the per-commit ones that
/// neither the Deployment nor a ReplicaSet it keeps mounts, beyond the newest `keep`; in shared mode
/// every per-commit one (a switch from per-commit). Only objects with this workflow's labels are
/// ever deleted, never the one in use, and never one newer than it (another deploy's, in flight).
/// The per-commit Deployment's `revisionHistoryLimit` is the same `keep`, so the ReplicaSets the
/// Deployment keeps mount no ConfigMap beyond the newest `keep`: what is kept is what they mount.
public struct CodeGarbageCollector: Sendable {
    let api: any KubernetesAPI
    let say: @Sendable (String) -> Void

    public init(api: any KubernetesAPI, say: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.say = say
    }

    /// Deletes what is no longer needed and returns the deletions, in order.
    public func collect(_ rendered: Rendered, keep: Int) async throws -> [AppliedObject] {
        let name = rendered.spec.name
        let namespace = rendered.namespace
        let perCommit = try await api.list(.configMaps, namespace: namespace, labelSelector: PerCommitCode.selector(name))
            .filter { Manifests.isOwned($0, by: name) }
            .sorted(by: Self.newerFirst)
        var doomed = [String]()
        if rendered.codeConfigMap == .perCommit {
            if let shared = try await api.get(.configMaps, namespace: namespace, name: Manifests.codeConfigMapName(name)),
               Manifests.isOwned(shared, by: name) {
                doomed.append(Manifests.codeConfigMapName(name))
            }
            doomed += Self.unneeded(perCommit, inUse: try await mounted(namespace: namespace, workflow: name),
                                    live: rendered.codeConfigMapName, keep: keep)
        } else {
            doomed += perCommit.compactMap(Self.name)
        }
        var removed = [AppliedObject]()
        for configMap in doomed where try await api.delete(.configMaps, namespace: namespace, name: configMap, dryRun: false) {
            let record = AppliedObject(reference: Deployer.reference(.configMaps, configMap), outcome: .pruned)
            removed.append(record)
            say(record.description)
        }
        return removed
    }

    /// The per-commit ConfigMaps (newest first) older than the live one, unmounted, beyond the newest `keep`.
    static func unneeded(_ newestFirst: [JSONValue], inUse: Set<String>, live: String, keep: Int) -> [String] {
        let names = newestFirst.compactMap(name)
        guard let liveIndex = names.firstIndex(of: live) else { return [] }
        // Mounted ones count toward the versions kept for rollback, and are never deleted.
        return names[(liveIndex + 1)...].dropFirst(keep).filter { !inUse.contains($0) }
    }

    /// Code ConfigMaps that the Deployment's template or one of its ReplicaSets' templates mounts.
    func mounted(namespace: String, workflow: String) async throws -> Set<String> {
        var result = Set<String>()
        if let deployment = try await api.get(.deployments, namespace: namespace, name: workflow),
           let code = Self.codeVolume(of: deployment) {
            result.insert(code)
        }
        for replicaSet in try await api.list(.replicaSets, namespace: namespace, labelSelector: Manifests.selector(workflow)) {
            let owners = replicaSet[path: "metadata", "ownerReferences"]?.arrayValue ?? []
            guard owners.contains(where: { $0[path: "kind"]?.stringValue == "Deployment" && $0[path: "name"]?.stringValue == workflow }),
                  let code = Self.codeVolume(of: replicaSet) else { continue }
            result.insert(code)
        }
        return result
    }

    /// The ConfigMap the `code` volume of a Deployment's or ReplicaSet's pod template names.
    public static func codeVolume(of object: JSONValue) -> String? {
        let volumes = object[path: "spec", "template", "spec", "volumes"]?.arrayValue ?? []
        return volumes.first { $0[path: "name"]?.stringValue == "code" }?[path: "configMap", "name"]?.stringValue
    }

    static func name(_ object: JSONValue) -> String? { object[path: "metadata", "name"]?.stringValue }

    /// Creation order, newest first; objects created in the same second by resourceVersion.
    static func newerFirst(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let created = { (o: JSONValue) in o[path: "metadata", "creationTimestamp"]?.stringValue ?? "" }
        let version = { (o: JSONValue) in Int(o[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0 }
        return created(a) != created(b) ? created(a) > created(b) : version(a) > version(b)
    }
}
