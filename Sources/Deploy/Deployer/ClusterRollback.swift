import Foundation
import KubeClient

/// A rollback that needs no repository: in per-commit mode, while the version's code ConfigMap and a
/// ReplicaSet of the Deployment that mounts it are still in the cluster, the ReplicaSet's pod
/// template is that version's (as `kubectl rollout undo` reuses it). The Deployment's template is
/// set back to it with pipedreamer's apply; the Service and CronJobs are left as they are.
public struct ClusterRollback: Sendable {
    let api: any KubernetesAPI
    let say: @Sendable (String) -> Void

    public init(api: any KubernetesAPI, say: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.say = say
    }

    /// The pod template of `entry`'s version, or nil when its ConfigMap or ReplicaSet is gone.
    public func template(of entry: DeployHistory.Entry, namespace: String, workflow: String) async throws -> JSONValue? {
        guard entry.codeConfigMap != Manifests.codeConfigMapName(workflow),
              try await api.get(.configMaps, namespace: namespace, name: entry.codeConfigMap) != nil else { return nil }
        let replicaSets = try await api.list(.replicaSets, namespace: namespace, labelSelector: Manifests.selector(workflow))
        let match = replicaSets.first { replicaSet in
            CodeGarbageCollector.codeVolume(of: replicaSet) == entry.codeConfigMap
                && RestartStamp.of(replicaSet) == entry.codeCommit
        }
        return match?[path: "spec", "template"]?.removing(["metadata", "labels", "pod-template-hash"])
    }

    /// Applies `template` to the live Deployment with `entry`'s commits, then waits for the rollout,
    /// holding the deploy lease as a deploy does.
    public func run(_ entry: DeployHistory.Entry, template: JSONValue, namespace: String, workflow: String,
                    settings: DeploySettings) async throws -> RolloutState? {
        let lease = DeployLease(api: api, namespace: namespace, workflow: workflow, commit: entry.commit)
        return try await lease.holding(timeout: settings.lockTimeout, say: say, warn: say) {
            try await restore(entry, template: template, namespace: namespace, workflow: workflow, settings: settings)
        }
    }

    private func restore(_ entry: DeployHistory.Entry, template: JSONValue, namespace: String, workflow: String,
                         settings: DeploySettings) async throws -> RolloutState? {
        guard let live = try await api.get(.deployments, namespace: namespace, name: workflow) else {
            throw DeployError("deployment \"\(workflow)\" does not exist in namespace \(namespace); deploy it with `pipedreamer deploy`")
        }
        // The apply keeps what pipedreamer's apply owns of the spec beside the template.
        var spec: [String: JSONValue] = ["selector": live[path: "spec", "selector"] ?? .null, "template": template]
        if Deployer.appliedFields(of: live, contain: ObjectOwnership.historyLimitPath),
           let limit = live[ObjectOwnership.historyLimitPath] {
            spec["revisionHistoryLimit"] = limit
        }
        let body = JSONValue.object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object([
                "name": .string(workflow), "namespace": .string(namespace),
                "labels": live[path: "metadata", "labels"] ?? .object([:]),
                "annotations": .object([Manifests.commitAnnotation: .string(entry.commit),
                                        Manifests.codeCommitAnnotation: .string(entry.codeCommit)]),
            ]),
            "spec": .object(spec),
        ])
        let applied = try await api.apply(.deployments, namespace: namespace, name: workflow, object: body, dryRun: false)
        say("deployment.apps/\(workflow) rolled back to \(entry.codeConfigMap)")
        guard settings.wait else { return nil }
        return try await Deployer(api: api, say: say).waitForRollout(namespace: namespace, name: workflow, commit: entry.commit,
                                                                   after: applied, settings: settings)
    }
}
