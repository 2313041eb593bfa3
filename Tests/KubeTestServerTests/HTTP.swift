import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeTestServer

/// A response as the tests inspect it.
struct Reply {
    let status: Int
    let headers: [String: String]
    let body: Data

    var json: JSON { (try? JSON.parse(body)) ?? .null }
    var message: String? { json["message"]?.string }
    var reason: String? { json["reason"]?.string }
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Plain URLSession requests against a test server: deliberately not the project's client.
struct HTTP {
    let base: URL
    var token: String?

    init(_ server: KubeTestServer, token: String? = nil) {
        base = server.url
        self.token = token
    }

    func send(_ method: String, _ path: String, json: JSON? = nil, raw: Data? = nil,
              contentType: String = "application/json", headers extra: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        if let body = raw ?? json.map({ $0.serialized() }) {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.setValue("kube-test-client/1.0", forHTTPHeaderField: "User-Agent")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    func get(_ path: String) async throws -> Reply { try await send("GET", path) }
    func post(_ path: String, _ body: JSON) async throws -> Reply { try await send("POST", path, json: body) }
    func put(_ path: String, _ body: JSON) async throws -> Reply { try await send("PUT", path, json: body) }
    func delete(_ path: String) async throws -> Reply { try await send("DELETE", path) }

    /// Server-side apply as pipedreamer does it.
    func apply(_ path: String, _ body: JSON, manager: String? = "pipedreamer", force: Bool = false, dryRun: Bool = false) async throws -> Reply {
        var query: [String] = []
        if let manager { query.append("fieldManager=\(manager)") }
        if force { query.append("force=true") }
        if dryRun { query.append("dryRun=All") }
        return try await send("PATCH", path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), json: body,
                              contentType: "application/apply-patch+yaml")
    }

    func strategicPatch(_ path: String, _ body: JSON) async throws -> Reply {
        try await send("PATCH", path, json: body, contentType: "application/strategic-merge-patch+json")
    }
}

/// Paths and manifests the tests share.
enum Fixture {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let services = "/api/v1/namespaces/default/services"
    static let cronJobs = "/apis/batch/v1/namespaces/default/cronjobs"
    static let secrets = "/api/v1/namespaces/default/secrets"
    static let leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"

    static func lease(_ name: String, holder: String = "deploy-1", seconds: Int64 = 60,
                      renewTime: String = "2026-12-01T20:00:00.000000Z") -> JSON {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(name)],
         "spec": ["holderIdentity": .string(holder), "leaseDurationSeconds": .int(seconds), "renewTime": .string(renewTime)]]
    }

    static func configMap(_ name: String, data: [String: JSON] = ["workflow.yaml": "name: hello\n"],
                          annotations: [String: JSON]? = nil) -> JSON {
        var object: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": .object(data)]
        if let annotations { object.set(["metadata", "annotations"], .object(annotations)) }
        return object
    }

    static func deployment(_ name: String, replicas: Int64 = 1, image: String = "engine:1",
                           templateLabels: [String: JSON]? = nil, mounts: [JSON] = [], volumes: [JSON] = []) -> JSON {
        let labels: JSON = ["app.kubernetes.io/name": .string(name)]
        var container: JSON = ["name": "engine", "image": .string(image), "ports": [["containerPort": 8080]]]
        if !mounts.isEmpty { container["volumeMounts"] = .array(mounts) }
        var podSpec: JSON = ["containers": [container]]
        if !volumes.isEmpty { podSpec["volumes"] = .array(volumes) }
        return ["apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": .string(name), "labels": labels],
                "spec": ["replicas": .int(replicas), "selector": ["matchLabels": labels],
                         "template": ["metadata": ["labels": templateLabels.map(JSON.object) ?? labels], "spec": podSpec]]]
    }

    static func service(_ name: String, port: Int64 = 8080) -> JSON {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)],
         "spec": ["selector": ["app.kubernetes.io/name": .string(name)], "ports": [["port": .int(port), "targetPort": 8080]]]]
    }

    static func cronJob(_ name: String, schedule: String = "*/5 * * * *") -> JSON {
        ["apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": .string(name)],
         "spec": ["schedule": .string(schedule), "concurrencyPolicy": "Forbid",
                  "jobTemplate": ["spec": ["template": ["spec": [
                    "restartPolicy": "Never",
                    "containers": [["name": "trigger", "image": "curlimages/curl:8.8.0"]]]]]]]]
    }
}

/// Runs `body` against a fresh server and shuts it down afterwards.
func withServer(_ configuration: KubeTestServer.Configuration = KubeTestServer.Configuration(),
                _ body: (KubeTestServer, HTTP) async throws -> Void) async throws {
    let server = try await KubeTestServer.start(configuration)
    do {
        try await body(server, HTTP(server))
        try await server.shutdown()
    } catch {
        try? await server.shutdown()
        throw error
    }
}
