import Foundation

/// A kind of Kubernetes object and where the API serves it.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// API group; "" for the core group.
    public let group: String
    public let version: String
    /// The lowercase plural used in paths and RBAC (`configmaps`).
    public let plural: String
    public let kind: String
    public let namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` or `apps/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The collection path: `/api/v1/namespaces/NS/configmaps`, `/apis/apps/v1/namespaces/NS/deployments`.
    public func collectionPath(namespace: String?) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        guard namespaced, let namespace else { return "\(root)/\(plural)" }
        return "\(root)/namespaces/\(namespace)/\(plural)"
    }

    public func objectPath(namespace: String?, name: String) -> String {
        "\(collectionPath(namespace: namespace))/\(name)"
    }

    /// kubectl's short form: `configmap`, `deployment.apps`.
    public var description: String { group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)" }

    public static let configMaps = ResourceType(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)
    public static let secrets = ResourceType(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    public static let services = ResourceType(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
    public static let namespaces = ResourceType(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    public static let deployments = ResourceType(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true)
    public static let cronJobs = ResourceType(group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true)
    public static let runtimeClasses = ResourceType(group: "node.k8s.io", version: "v1", plural: "runtimeclasses", kind: "RuntimeClass", namespaced: false)
    public static let pods = ResourceType(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
    public static let replicaSets = ResourceType(group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true)
}

/// An error status returned by the API server (a `Status` object), or a failure to reach it,
/// with the operation that failed (`applying deployment.apps/hello`) and how often it was tried.
public struct KubeAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code; 0 when no response arrived.
    public let code: Int
    /// `Status.reason` (`Forbidden`, `NotFound`, `Conflict`, `Invalid`, ...), when given.
    public let reason: String?
    /// `Status.message`, or a description of the transport failure. Never carries credentials.
    public let message: String
    /// What the request was for, as a person would say it: `applying deployment.apps/hello`,
    /// `listing configmaps with labels app.kubernetes.io/name=hello,...`; nil when not known.
    public var operation: String?
    /// Attempts made, the first included; more than 1 when the failure outlasted the retries.
    public var attempts: Int

    public init(code: Int, reason: String?, message: String, operation: String? = nil, attempts: Int = 1) {
        self.code = code
        self.reason = reason
        self.message = message
        self.operation = operation
        self.attempts = attempts
    }

    /// kubectl's form without the operation: `Error from server (Forbidden): <message> (HTTP 403)`,
    /// `... (HTTP 500, after 4 attempts)`; a transport failure is its message.
    public var detail: String {
        let retried = attempts > 1 ? "after \(attempts) attempts" : nil
        guard code != 0 else { return message + (retried.map { " (\($0))" } ?? "") }
        return "Error from server (\(reason ?? "HTTP \(code)")): \(message) (HTTP \(code)\(retried.map { ", \($0)" } ?? ""))"
    }

    /// `applying deployment.apps/hello: Error from server (InternalError): boom (HTTP 500, after 4 attempts)`.
    public var description: String { operation.map { "\($0): \(detail)" } ?? detail }

    public var isNotFound: Bool { code == 404 }

    /// The same failure described as `operation`, where the caller knows a better word
    /// (`pruning cronjob.batch/x` for a delete, `restarting deployment.apps/x` for a patch).
    public func during(_ operation: String) -> KubeAPIError {
        var copy = self
        copy.operation = operation
        return copy
    }

    /// Runs `body`; a `KubeAPIError` it throws is described as `operation`.
    public static func naming<T>(_ operation: String, isolation: isolated (any Actor)? = #isolation,
                                 _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as KubeAPIError {
            throw error.during(operation)
        }
    }
}

/// The answer of a SelfSubjectAccessReview.
public struct AccessReview: Sendable, Equatable {
    public let allowed: Bool
    /// Why, when the server says (`status.reason`).
    public let reason: String?

    public init(allowed: Bool, reason: String?) {
        self.allowed = allowed
        self.reason = reason
    }
}

/// The requests deploy, status, diff and delete make. Implemented by `KubernetesClient` over HTTPS;
/// bodies and results are JSON objects.
public protocol KubernetesAPI: Sendable {
    /// `GET /version`: proves the API is reachable and the credentials are accepted.
    func serverVersion() async throws -> String

    /// The object, or nil when it does not exist (404).
    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue?

    /// Objects matching a label selector (`app.kubernetes.io/name=hello`).
    func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws -> [JSONValue]

    /// Server-side apply: `PATCH` with `application/apply-patch+yaml`, `fieldManager=pipedreamer`, `force=true`.
    func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool) async throws -> JSONValue

    /// Server-side apply; without `force`, a field another manager owns with another value is a 409
    /// Conflict naming the manager and the field, as `kubectl apply --server-side` without `--force-conflicts`.
    func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool, force: Bool) async throws -> JSONValue

    /// `POST` to the collection; 409 AlreadyExists when an object of that name exists.
    func create(_ type: ResourceType, namespace: String?, object: JSONValue) async throws -> JSONValue

    /// `PUT` of the whole object; with `metadata.resourceVersion` set, 409 Conflict when it changed since.
    func update(_ type: ResourceType, namespace: String?, name: String, object: JSONValue) async throws -> JSONValue

    /// Deletes the object only while its resourceVersion is still `resourceVersion` (DeleteOptions
    /// preconditions; 409 Conflict otherwise); false when it was already gone.
    func delete(_ type: ResourceType, namespace: String?, name: String, resourceVersion: String) async throws -> Bool

    /// Strategic-merge patch (`application/strategic-merge-patch+json`).
    func patch(_ type: ResourceType, namespace: String?, name: String, strategicMerge: JSONValue, dryRun: Bool) async throws -> JSONValue

    /// Deletes the object; false when it was already gone.
    func delete(_ type: ResourceType, namespace: String?, name: String, dryRun: Bool) async throws -> Bool

    /// A SelfSubjectAccessReview for `verb` on `type` in `namespace`.
    func accessReview(verb: String, type: ResourceType, namespace: String?, name: String?) async throws -> AccessReview
}
