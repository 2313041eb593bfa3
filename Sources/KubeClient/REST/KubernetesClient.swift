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

    /// Round trips made so far, retries included.
    public var requestCount: Int { transport.requestCount }

    public func shutdown() async throws { try await transport.shutdown() }

    public func serverVersion() async throws -> String {
        let request = KubeRequest(method: "GET", path: "/version", operation: KubeOperation.serverVersion)
        guard case .object(let info) = try await succeed(request), case .string(let version)? = info["gitVersion"] else {
            throw KubeAPIError(code: 200, reason: nil, message: "GET /version returned no gitVersion", operation: KubeOperation.serverVersion)
        }
        return version
    }

    public func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        let request = KubeRequest(method: "GET", path: type.objectPath(namespace: namespace, name: name),
                                  operation: KubeOperation.get(type, name))
        let response = try await transport.send(request)
        if response.status == 404 { return nil }
        return try checked(response, request)
    }

    public func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws -> [JSONValue] {
        let request = KubeRequest(method: "GET", path: type.collectionPath(namespace: namespace),
                                  operation: KubeOperation.list(type, labelSelector: labelSelector), query: [("labelSelector", labelSelector)])
        let list = try await succeed(request)
        guard case .object(let members) = list else { return [] }
        guard case .array(let items)? = members["items"] else { return [] }
        // The API server encodes a typed list's items without apiVersion and kind; like client-go's
        // unstructured decoder (`decodeToList`), give each item the list's.
        guard case .string(let apiVersion)? = members["apiVersion"], case .string(let listKind)? = members["kind"],
              listKind.hasSuffix("List") else { return items }
        let kind = String(listKind.dropLast("List".count))
        return items.map { item in
            guard case .object(var fields) = item else { return item }
            if fields["apiVersion"] == nil { fields["apiVersion"] = .string(apiVersion) }
            if fields["kind"] == nil { fields["kind"] = .string(kind) }
            return .object(fields)
        }
    }

    public func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool) async throws -> JSONValue {
        try await apply(type, namespace: namespace, name: name, object: object, dryRun: dryRun, force: true)
    }

    public func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool, force: Bool) async throws -> JSONValue {
        // JSON is YAML, so the apply patch is sent as JSON under the apply-patch+yaml type.
        let query = [("fieldManager", Self.fieldManager), ("force", force ? "true" : "false")] + Self.dryRunQuery(dryRun)
        return try await succeed(KubeRequest(method: "PATCH", path: type.objectPath(namespace: namespace, name: name),
                                             operation: KubeOperation.apply(type, name, dryRun: dryRun),
                                             query: query, body: Self.yamlSafe(try Self.encode(object)),
                                             contentType: "application/apply-patch+yaml"))
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, strategicMerge: JSONValue, dryRun: Bool) async throws -> JSONValue {
        let query = [("fieldManager", Self.fieldManager)] + Self.dryRunQuery(dryRun)
        return try await succeed(KubeRequest(method: "PATCH", path: type.objectPath(namespace: namespace, name: name),
                                             operation: KubeOperation.patch(type, name, dryRun: dryRun),
                                             query: query, body: try Self.encode(strategicMerge),
                                             contentType: "application/strategic-merge-patch+json"))
    }

    public func delete(_ type: ResourceType, namespace: String?, name: String, dryRun: Bool) async throws -> Bool {
        let request = KubeRequest(method: "DELETE", path: type.objectPath(namespace: namespace, name: name),
                                  operation: KubeOperation.delete(type, name, dryRun: dryRun),
                                  query: [("propagationPolicy", "Background")] + Self.dryRunQuery(dryRun))
        let response = try await transport.send(request)
        if response.status == 404 { return false }
        guard response.isSuccess else { throw response.apiError(for: request) }
        return true
    }

    public func create(_ type: ResourceType, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await succeed(KubeRequest(method: "POST", path: type.collectionPath(namespace: namespace),
                                      query: [("fieldManager", Self.fieldManager)], body: try Self.encode(object),
                                      contentType: "application/json"))
    }

    public func update(_ type: ResourceType, namespace: String?, name: String, object: JSONValue) async throws -> JSONValue {
        try await succeed(KubeRequest(method: "PUT", path: type.objectPath(namespace: namespace, name: name),
                                      query: [("fieldManager", Self.fieldManager)], body: try Self.encode(object),
                                      contentType: "application/json"))
    }

    public func delete(_ type: ResourceType, namespace: String?, name: String, resourceVersion: String) async throws -> Bool {
        let options = JSONValue.object([
            "apiVersion": .string("v1"), "kind": .string("DeleteOptions"),
            "preconditions": .object(["resourceVersion": .string(resourceVersion)]),
        ])
        let request = KubeRequest(method: "DELETE", path: type.objectPath(namespace: namespace, name: name),
                                  body: try Self.encode(options), contentType: "application/json")
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
                                                   operation: KubeOperation.accessReview(verb: verb, type, namespace: namespace, name: name),
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

    /// The API server reads an apply body with a YAML parser, which refuses characters outside
    /// YAML's printable set even inside JSON strings (DEL, the C1 controls, U+FFFE, U+FFFF) and
    /// folds the YAML 1.1 line breaks NEL, LS and PS into spaces. JSON lets them be written as
    /// `\uXXXX` escapes, which YAML reads back as the same characters. They can only occur inside
    /// strings, so the bytes are rewritten in place.
    static func yamlSafe(_ json: Data) -> Data {
        var output = Data()
        output.reserveCapacity(json.count)
        let bytes = [UInt8](json)
        var index = 0
        func escape(_ scalar: UInt32) {
            output.append(contentsOf: Array(String(format: "\\u%04x", scalar).utf8))
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x7F {
                escape(0x7F)
                index += 1
            } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                escape(UInt32(bytes[index + 1]))
                index += 2
            } else if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF {
                escape(bytes[index + 2] == 0xBE ? 0xFFFE : 0xFFFF)
                index += 3
            } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                escape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    static func encode(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
