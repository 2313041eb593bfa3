import KubeClient
/// What is deployed for a workflow, read from the cluster.
public struct WorkflowStatus: Sendable {
    public let name: String
    public let namespace: String
    /// The commit recorded on the Deployment (`pipedreamer.dev/commit`), when deployed by this tool.
    public let commit: String?
    /// The commit the running template was stamped with (`kubectl.kubernetes.io/restartedAt`).
    public let restartedAt: String?
    /// The last commit that changed what the workflow ships, as of `commit` (`pipedreamer.dev/code-commit`).
    public let codeCommit: String?
    /// The ConfigMap the pods mount, and so the mode: `<name>-code` is shared, any other per-commit.
    public let codeConfigMap: String?
    public var codeConfigMapMode: CodeConfigMapMode? {
        codeConfigMap.map { $0 == Manifests.codeConfigMapName(name) ? .shared : .perCommit }
    }
    public let image: String?
    public let readyReplicas: Int
    public let desiredReplicas: Int
    public let rollout: RolloutState
    public let cronJobs: [CronJobStatus]

    public struct CronJobStatus: Sendable, Equatable {
        public let name: String
        public let schedule: String
        public let suspended: Bool
        public let lastScheduleTime: String?
    }

    /// Reads the Deployment and the CronJobs of workflow `name`; nil when nothing is deployed.
    public static func fetch(api: any KubernetesAPI, namespace: String, name: String) async throws -> WorkflowStatus? {
        guard let deployment = try await api.get(.deployments, namespace: namespace, name: name) else { return nil }
        let selector = Manifests.selector(name)
        let cronJobs = try await api.list(.cronJobs, namespace: namespace, labelSelector: selector).map { item in
            CronJobStatus(name: item[path: "metadata", "name"]?.stringValue ?? "?",
                          schedule: item[path: "spec", "schedule"]?.stringValue ?? "",
                          suspended: item[path: "spec", "suspend"] == .bool(true),
                          lastScheduleTime: item[path: "status", "lastScheduleTime"]?.stringValue)
        }.sorted { $0.name < $1.name }
        let containers = deployment[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        let engine = containers.first { $0[path: "name"]?.stringValue == "engine" } ?? containers.first
        return WorkflowStatus(
            name: name,
            namespace: namespace,
            commit: deployment[path: "metadata", "annotations", Manifests.commitAnnotation]?.stringValue,
            restartedAt: RestartStamp.of(deployment),
            codeCommit: deployment[path: "metadata", "annotations", Manifests.codeCommitAnnotation]?.stringValue,
            codeConfigMap: CodeGarbageCollector.codeVolume(of: deployment),
            image: engine?[path: "image"]?.stringValue,
            readyReplicas: deployment[path: "status", "readyReplicas"]?.intValue ?? 0,
            desiredReplicas: deployment[path: "spec", "replicas"]?.intValue ?? 1,
            rollout: RolloutState.of(deployment),
            cronJobs: cronJobs
        )
    }
}
