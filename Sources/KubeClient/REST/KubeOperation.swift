/// How a request is named in error messages, after kubectl's object references:
/// `applying deployment.apps/hello`, `validating (server dry run) configmap/hello-code`,
/// `listing configmaps with labels app.kubernetes.io/name=hello,app.kubernetes.io/managed-by=pipedreamer`.
enum KubeOperation {
    static let serverVersion = "getting the server version"

    static func get(_ type: ResourceType, _ name: String) -> String { "getting \(type)/\(name)" }

    static func list(_ type: ResourceType, labelSelector: String) -> String {
        "listing \(pluralReference(type)) with label\(labelSelector.contains(",") ? "s" : "") \(labelSelector)"
    }

    /// A server-side apply; its dry run is how deploy validates an object before any write.
    static func apply(_ type: ResourceType, _ name: String, dryRun: Bool) -> String {
        dryRun ? "validating (server dry run) \(type)/\(name)" : "applying \(type)/\(name)"
    }

    static func patch(_ type: ResourceType, _ name: String, dryRun: Bool) -> String {
        "patching\(dryRun ? " (server dry run)" : "") \(type)/\(name)"
    }

    static func create(_ type: ResourceType, _ name: String, dryRun: Bool) -> String {
        "creating\(dryRun ? " (server dry run)" : "") \(type)/\(name)"
    }

    static func update(_ type: ResourceType, _ name: String, dryRun: Bool) -> String {
        "updating\(dryRun ? " (server dry run)" : "") \(type)/\(name)"
    }

    static func delete(_ type: ResourceType, _ name: String, dryRun: Bool) -> String {
        "deleting\(dryRun ? " (server dry run)" : "") \(type)/\(name)"
    }

    static func accessReview(verb: String, _ type: ResourceType, namespace: String?, name: String?) -> String {
        let object = name.map { " \($0)" } ?? ""
        let scope = type.namespaced ? namespace.map { " in namespace \"\($0)\"" } ?? "" : ""
        return "checking whether the user may \(verb) \(pluralReference(type))\(object)\(scope)"
    }

    /// RBAC's resource naming: `configmaps`, `deployments.apps`.
    static func pluralReference(_ type: ResourceType) -> String {
        type.group.isEmpty ? type.plural : "\(type.plural).\(type.group)"
    }
}
