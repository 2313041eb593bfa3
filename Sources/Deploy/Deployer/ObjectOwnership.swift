import KubeClient

/// Which objects and fields are pipedreamer's: what it may write without taking anything from
/// another actor (`kubectl scale`, an HPA, someone's own Deployment of the same name).
enum ObjectOwnership {
    static let replicasPath = ["spec", "replicas"]

    /// The Deployment body without `spec.replicas` once pipedreamer's apply no longer owns it: a
    /// new Deployment starts at one replica, and whatever scaled it since (`kubectl scale`, an HPA)
    /// keeps its count across redeploys.
    static func keepingOthersReplicas(_ deployment: JSONValue, live: JSONValue?) -> JSONValue {
        guard let live, !Deployer.appliedFields(of: live, contain: replicasPath) else { return deployment }
        return deployment.removing(replicasPath)
    }

    static let historyLimitPath = ["spec", "revisionHistoryLimit"]

    /// The Deployment body without `spec.revisionHistoryLimit` while another manager owns it (someone
    /// tuned how many ReplicaSets the Deployment keeps): their value stays; the clean-up still keeps
    /// the newest `--keep` code versions. A limit nobody set (the default) is pipedreamer's to set.
    static func keepingOthersHistoryLimit(_ deployment: JSONValue, live: JSONValue?) -> JSONValue {
        guard let live, deployment[historyLimitPath] != nil else { return deployment }
        let entries = live[path: "metadata", "managedFields"]?.arrayValue ?? []
        let others = entries.contains { entry in
            entry[path: "manager"]?.stringValue != KubernetesClient.fieldManager
                && entry[path: "fieldsV1"]?[historyLimitPath.map { "f:" + $0 }] != nil
        }
        return others ? deployment.removing(historyLimitPath) : deployment
    }

    /// The body for taking over a foreign object with `--adopt`: a Deployment keeps the replicas it has.
    static func adopting(_ body: JSONValue, foreign: JSONValue) -> JSONValue {
        guard foreign[path: "kind"]?.stringValue == "Deployment", foreign[replicasPath] != nil else { return body }
        return body.removing(replicasPath)
    }

    /// True when a dry-run answer names managers besides pipedreamer: the object existed before.
    static func hasOtherManagers(_ object: JSONValue) -> Bool {
        let entries = object[path: "metadata", "managedFields"]?.arrayValue ?? []
        return entries.contains { $0[path: "manager"]?.stringValue != KubernetesClient.fieldManager }
    }

    /// True when every manager an apply conflict names is pipedreamer itself (its restart patch is an
    /// Update of the same name), which the apply may take over.
    static func conflictsOnlyWithOwnManagers(_ message: String) -> Bool {
        let managers = quotedManagers(in: message)
        return !managers.isEmpty && managers.allSatisfy { $0 == KubernetesClient.fieldManager }
    }

    /// The names in `conflict with "NAME"` / `conflicts with "NAME"` of an apply conflict message.
    static func quotedManagers(in message: String) -> [String] {
        var names = [String]()
        var rest = Substring(message)
        while let range = rest.range(of: " with \"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            names.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return names
    }

    /// True when the apply's dry run leaves the object as it is: the real apply would write nothing.
    static func sameContent(_ live: JSONValue, _ preview: JSONValue) -> Bool {
        comparable(live) == comparable(preview)
    }

    /// The object without what a dry run may renumber or re-time without changing anything.
    static func comparable(_ object: JSONValue) -> JSONValue {
        var result = object.removing(["metadata", "resourceVersion"])
        if let entries = object[path: "metadata", "managedFields"]?.arrayValue {
            result = result.setting(["metadata", "managedFields"], .array(entries.map { $0.removing(["time"]) }))
        }
        return result
    }
}
