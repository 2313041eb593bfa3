import KubeClient
/// A Deployment's rollout state, judged the way `kubectl rollout status` judges it.
public enum RolloutState: Sendable, Equatable {
    case waiting(String)
    case complete(String)
    case failed(String)

    public static func of(_ deployment: JSONValue) -> RolloutState {
        let name = deployment[path: "metadata", "name"]?.stringValue ?? "?"
        let generation = deployment[path: "metadata", "generation"]?.intValue ?? 0
        let observed = deployment[path: "status", "observedGeneration"]?.intValue ?? 0
        guard generation <= observed else {
            return .waiting("Waiting for deployment spec update to be observed...")
        }
        let conditions = deployment[path: "status", "conditions"]?.arrayValue ?? []
        if let progressing = conditions.first(where: { $0[path: "type"]?.stringValue == "Progressing" }),
           progressing[path: "reason"]?.stringValue == "ProgressDeadlineExceeded" {
            let message = progressing[path: "message"]?.stringValue ?? "progress deadline exceeded"
            return .failed("deployment \"\(name)\" exceeded its progress deadline: \(message)")
        }
        let desired = deployment[path: "spec", "replicas"]?.intValue ?? 1
        let updated = deployment[path: "status", "updatedReplicas"]?.intValue ?? 0
        let replicas = deployment[path: "status", "replicas"]?.intValue ?? 0
        let available = deployment[path: "status", "availableReplicas"]?.intValue ?? 0
        if updated < desired {
            return .waiting("Waiting for deployment \"\(name)\" rollout to finish: \(updated) out of \(desired) new replicas have been updated...")
        }
        if replicas > updated {
            return .waiting("Waiting for deployment \"\(name)\" rollout to finish: \(replicas - updated) old replicas are pending termination...")
        }
        if available < updated {
            return .waiting("Waiting for deployment \"\(name)\" rollout to finish: \(available) of \(updated) updated replicas are available...")
        }
        return .complete("deployment \"\(name)\" successfully rolled out")
    }

    /// The most telling condition message, for a timeout: Progressing, then Available, then ReplicaFailure.
    public static func conditionSummary(_ deployment: JSONValue) -> String? {
        let conditions = deployment[path: "status", "conditions"]?.arrayValue ?? []
        for type in ["ReplicaFailure", "Progressing", "Available"] {
            if let condition = conditions.first(where: { $0[path: "type"]?.stringValue == type }),
               let message = condition[path: "message"]?.stringValue {
                return "\(type)=\(condition[path: "status"]?.stringValue ?? "?"): \(message)"
            }
        }
        return nil
    }
}
