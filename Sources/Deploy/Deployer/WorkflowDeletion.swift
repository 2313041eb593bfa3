import KubeClient
/// Removes every object this tool created for a workflow, selected by its labels.
public struct WorkflowDeletion: Sendable {
    let api: any KubernetesAPI

    public init(api: any KubernetesAPI) { self.api = api }

    /// The types deleted, in the reverse of the apply order: triggers first, code last.
    public static let types: [ResourceType] = [.cronJobs, .services, .deployments, .secrets, .configMaps]

    /// `kind/name` references of the objects that would be deleted. Secrets are found by name, never listed.
    public func plan(namespace: String, name: String) async throws -> [(ResourceType, String)] {
        let selector = Manifests.selector(name)
        var result = [(ResourceType, String)]()
        for type in Self.types {
            if type == .secrets {
                let secretName = Manifests.secretName(name)
                if let secret = try await api.get(.secrets, namespace: namespace, name: secretName),
                   Manifests.isOwned(secret, by: name) {
                    result.append((type, secretName))
                }
                continue
            }
            let items = try await api.list(type, namespace: namespace, labelSelector: selector)
            let names = items.compactMap { $0[path: "metadata", "name"]?.stringValue }.sorted()
            result += names.map { (type, $0) }
        }
        return result
    }

    /// Deletes the planned objects; returns the references actually deleted (already-gone ones are skipped).
    public func run(_ plan: [(ResourceType, String)], namespace: String, dryRun: Bool) async throws -> [String] {
        var deleted = [String]()
        for (type, objectName) in plan where try await api.delete(type, namespace: namespace, name: objectName, dryRun: dryRun) {
            deleted.append("\(type)/\(objectName)")
        }
        return deleted
    }
}
