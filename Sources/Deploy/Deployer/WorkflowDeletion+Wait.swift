import KubeClient

extension WorkflowDeletion {
    /// Waits until every deleted object is gone (a Deployment with finalizers, a Service being torn
    /// down, lingers for a while); throws when `timeout` passes first, naming what is left. A nil
    /// `timeout` waits without limit (`--timeout 0`).
    public func waitUntilGone(_ plan: [(ResourceType, String)], namespace: String, timeout: Duration?,
                              pollInterval: Duration = .milliseconds(100)) async throws {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var left = plan
        while true {
            var still = [(ResourceType, String)]()
            for (type, name) in left where try await api.get(type, namespace: namespace, name: name) != nil {
                still.append((type, name))
            }
            left = still
            if left.isEmpty { return }
            if let deadline, let timeout, clock.now >= deadline {
                let names = left.map { "\($0.0)/\($0.1)" }.joined(separator: ", ")
                throw DeployError("timed out after \(timeout) waiting for \(names) to be deleted")
            }
            try await Task.sleep(for: deadline.map { min(pollInterval, $0 - clock.now) } ?? pollInterval)
        }
    }

    /// Holds the workflow's deploy lease while deleting, so no deploy runs alongside, and deletes
    /// the lease with the objects. A lease another deploy holds makes delete wait up to `lockTimeout`.
    public func withLease<T: Sendable>(namespace: String, name: String, lockTimeout: Duration,
                                       say: @Sendable (String) -> Void, warn: @Sendable (String) -> Void,
                                       _ body: () async throws -> T) async throws -> T {
        try await DeployLease(api: api, namespace: namespace, workflow: name, commit: "")
            .holding(timeout: lockTimeout, say: say, warn: warn, body)
    }
}
