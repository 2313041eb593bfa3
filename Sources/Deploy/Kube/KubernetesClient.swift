import Foundation

/// `KubernetesAPI` over HTTPS with AsyncHTTPClient. Call `shutdown()` when done.
public final class KubernetesClient: KubernetesAPI {
    public static let fieldManager = "pipedreamer"

    public let connection: ClusterConnection
    private let transport: KubeTransport

    public init(connection: ClusterConnection, options: KubeClientOptions = KubeClientOptions()) throws {
        self.connection = connection
        transport = try KubeTransport(connection: connection, options: options)
    }

    /// The client for the CLI's flags: `--kubeconfig`, `--context` and `--request-timeout` (kubectl's
    /// duration syntax; nil means 30s, `0` means none). The namespace is `KubeNamespace.resolve(flag:workflow:connection:)`
    /// with this client's `connection`.
    public static func fromFlags(kubeconfig: String?, context: String?, requestTimeout: String?, version: String,
                                 warningHandler: @escaping @Sendable (String) -> Void) throws -> KubernetesClient {
        let connection = try KubeConfigLoader.load(KubeConfigOptions(kubeconfig: kubeconfig, context: context))
        let timeout = try requestTimeout.map(KubeRequestTimeout.parse) ?? KubeRequestTimeout.standard
        return try KubernetesClient(connection: connection, options: KubeClientOptions(
            requestTimeout: timeout, version: version, warningHandler: warningHandler))
    }

    /// Round trips made so far, retries included.
    public var requestCount: Int { transport.requestCount }

    public func shutdown() async throws { try await transport.shutdown() }

    public func serverVersion() async throws -> String {
        let request = KubeRequest(method: "GET", path: "/version")
        guard case .object(let info) = try await succeed(request), case .string(let version)? = info["gitVersion"] else {
            throw KubeAPIError(code: 200, reason: nil, message: "GET /version returned no gitVersion")
        }
        return version
    }

    public func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        let request = KubeRequest(method: "GET", path: type.objectPath(namespace: namespace, name: name))
        let response = try await transport.send(request)
        if response.status == 404 { return nil }
        return try checked(response, request)
    }

    public func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws -> [JSONValue] {
        let request = KubeRequest(method: "GET", path: type.collectionPath(namespace: namespace),
                                  query: [("labelSelector", labelSelector)])
        let list = try await succeed(request)
        guard case .object(let members) = list else { return [] }
        guard case .array(let items)? = members["items"] else { return [] }
        return items
    }

    public func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool) async throws -> JSONValue {
        // JSON is YAML, so the apply patch is sent as JSON under the apply-patch+yaml type.
        let query = [("fieldManager", Self.fieldManager), ("force", "true")] + Self.dryRunQuery(dryRun)
        return try await succeed(KubeRequest(method: "PATCH", path: type.objectPath(namespace: namespace, name: name),
                                             query: query, body: try Self.encode(object),
                                             contentType: "application/apply-patch+yaml"))
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, strategicMerge: JSONValue, dryRun: Bool) async throws -> JSONValue {
        let query = [("fieldManager", Self.fieldManager)] + Self.dryRunQuery(dryRun)
        return try await succeed(KubeRequest(method: "PATCH", path: type.objectPath(namespace: namespace, name: name),
                                             query: query, body: try Self.encode(strategicMerge),
                                             contentType: "application/strategic-merge-patch+json"))
    }

    public func delete(_ type: ResourceType, namespace: String?, name: String, dryRun: Bool) async throws -> Bool {
        let request = KubeRequest(method: "DELETE", path: type.objectPath(namespace: namespace, name: name),
                                  query: [("propagationPolicy", "Background")] + Self.dryRunQuery(dryRun))
        let response = try await transport.send(request)
        if response.status == 404 { return false }
        guard response.isSuccess else { throw response.apiError(for: request) }
        return true
    }

    public func accessReview(verb: String, type: ResourceType, namespace: String?, name: String?) async throws -> AccessReview {
        var attributes: [String: JSONValue] = ["verb": .string(verb), "group": .string(type.group), "resource": .string(type.plural)]
        if type.namespaced, let namespace { attributes["namespace"] = .string(namespace) }
        if let name { attributes["name"] = .string(name) }
        let review = JSONValue.object([
            "apiVersion": .string("authorization.k8s.io/v1"), "kind": .string("SelfSubjectAccessReview"),
            "spec": .object(["resourceAttributes": .object(attributes)]),
        ])
        let answer = try await succeed(KubeRequest(method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                                                   body: try Self.encode(review), contentType: "application/json"))
        guard case .object(let members) = answer, case .object(let status)? = members["status"] else {
            return AccessReview(allowed: false, reason: nil)
        }
        var reason: String?
        if case .string(let text)? = status["reason"], !text.isEmpty { reason = text }
        return AccessReview(allowed: status["allowed"] == .bool(true), reason: reason)
    }

    private func succeed(_ request: KubeRequest) async throws -> JSONValue {
        try checked(try await transport.send(request), request)
    }

    private func checked(_ response: KubeResponse, _ request: KubeRequest) throws -> JSONValue {
        guard response.isSuccess else { throw response.apiError(for: request) }
        return try response.json(for: request)
    }

    private static func dryRunQuery(_ dryRun: Bool) -> [(String, String)] { dryRun ? [("dryRun", "All")] : [] }

    static func encode(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
