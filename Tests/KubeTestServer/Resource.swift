/// A kind of object this server serves, and where.
public struct Resource: Sendable, Hashable {
    public let group: String
    public let version: String
    public let plural: String
    public let singular: String
    public let kind: String
    public let namespaced: Bool
    public let shortNames: [String]
    /// Whether the strategy sets `metadata.generation` to 1 on create and bumps it when `spec` changes: the workloads'
    /// (pkg/registry/apps/deployment/strategy.go, apps/replicaset/strategy.go, batch/cronjob/strategy.go). The core
    /// strategies (pkg/registry/core/service|configmap|secret|namespace/strategy.go) and the Lease and RuntimeClass
    /// ones never touch it, so those objects carry no generation; `rest.BeforeUpdate`
    /// (staging/src/k8s.io/apiserver/pkg/registry/rest/update.go) keeps a client from setting it.
    let tracksGeneration: Bool
    let verbs: [String]
    /// The strategy's `AllowCreateOnUpdate`: a PUT of a missing object creates it.
    var allowCreateOnUpdate = false
    /// The strategy's `AllowUnconditionalUpdate`: a PUT may omit `metadata.resourceVersion`.
    var allowUnconditionalUpdate = true

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `configmaps`, `deployments.apps`: the name errors use.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }

    static let crud = ["create", "delete", "get", "list", "patch", "update"]

    public static let namespaces = Resource(group: "", version: "v1", plural: "namespaces", singular: "namespace",
                                            kind: "Namespace", namespaced: false, shortNames: ["ns"],
                                            tracksGeneration: false, verbs: crud)
    public static let configMaps = Resource(group: "", version: "v1", plural: "configmaps", singular: "configmap",
                                            kind: "ConfigMap", namespaced: true, shortNames: ["cm"],
                                            tracksGeneration: false, verbs: crud)
    public static let secrets = Resource(group: "", version: "v1", plural: "secrets", singular: "secret",
                                         kind: "Secret", namespaced: true, shortNames: [],
                                         tracksGeneration: false, verbs: crud)
    /// pkg/registry/core/service/strategy.go: `AllowCreateOnUpdate` is true, so a PUT of a missing Service creates it.
    public static let services = Resource(group: "", version: "v1", plural: "services", singular: "service",
                                          kind: "Service", namespaced: true, shortNames: ["svc"],
                                          tracksGeneration: false, verbs: crud, allowCreateOnUpdate: true)
    public static let deployments = Resource(group: "apps", version: "v1", plural: "deployments", singular: "deployment",
                                             kind: "Deployment", namespaced: true, shortNames: ["deploy"],
                                             tracksGeneration: true, verbs: crud)
    public static let replicaSets = Resource(group: "apps", version: "v1", plural: "replicasets", singular: "replicaset",
                                             kind: "ReplicaSet", namespaced: true, shortNames: ["rs"],
                                             tracksGeneration: true, verbs: ["get", "list"])
    public static let cronJobs = Resource(group: "batch", version: "v1", plural: "cronjobs", singular: "cronjob",
                                          kind: "CronJob", namespaced: true, shortNames: ["cj"],
                                          tracksGeneration: true, verbs: crud)
    /// `pkg/registry/coordination/lease/strategy.go`: created by PUT, updated only with a resourceVersion.
    public static let leases = Resource(group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease",
                                        kind: "Lease", namespaced: true, shortNames: [], tracksGeneration: false,
                                        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
                                        allowCreateOnUpdate: true, allowUnconditionalUpdate: false)
    public static let runtimeClasses = Resource(group: "node.k8s.io", version: "v1", plural: "runtimeclasses",
                                                singular: "runtimeclass", kind: "RuntimeClass", namespaced: false,
                                                shortNames: [], tracksGeneration: false, verbs: crud)
    public static let selfSubjectAccessReviews = Resource(group: "authorization.k8s.io", version: "v1",
                                                          plural: "selfsubjectaccessreviews", singular: "selfsubjectaccessreview",
                                                          kind: "SelfSubjectAccessReview", namespaced: false,
                                                          shortNames: [], tracksGeneration: false, verbs: ["create"])

    public static let all: [Resource] = [namespaces, configMaps, secrets, services, deployments, replicaSets,
                                         cronJobs, leases, runtimeClasses, selfSubjectAccessReviews]

    /// Where the apiserver keeps this kind in etcd (`/registry/<prefix>/<namespace>/<name>`).
    var storagePrefix: String { self == .services ? "services/specs" : plural }

    static func find(group: String, version: String, plural: String) -> Resource? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The groups and versions served, in discovery order.
    static var groupVersions: [(group: String, version: String)] {
        var seen: [(group: String, version: String)] = []
        for r in all where !r.group.isEmpty && !seen.contains(where: { $0 == (r.group, r.version) }) {
            seen.append((r.group, r.version))
        }
        return seen
    }
}
