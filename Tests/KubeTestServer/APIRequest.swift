import Foundation

/// One HTTP request as the API layer sees it, after transport and authentication.
struct APIRequest: Sendable {
    let method: String
    let path: String
    let query: [String: [String]]
    let headers: [(String, String)]
    let body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    func parameter(_ name: String) -> String? { query[name]?.last }

    var contentType: String {
        let raw = header("Content-Type") ?? ""
        return String(raw.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    var isDryRun: Bool { query["dryRun"]?.contains("All") ?? false }

    static func splitQuery(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = decode(parts[0])
            result[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return result
    }

    private static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s
    }
}

/// The answer to one request.
struct APIResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = [("Content-Type", "application/json")]
    var body: Data
    /// Set when the answer is a stream of watch events instead of a body.
    var watch: WatchRequest?

    init(status: Int, json: JSON, headers: [(String, String)] = []) {
        self.status = status
        self.body = json.serialized()
        self.headers = [("Content-Type", "application/json")] + headers
    }

    init(error: StatusError) {
        self.init(status: error.code, json: .null, headers: error.headers)
        body = Data(error.serialized.utf8)
    }

    /// A body already encoded; no Content-Type when nil (an empty 301, 304 or 406).
    init(status: Int, body: Data, contentType: String?) {
        self.status = status
        self.headers = contentType.map { [("Content-Type", $0)] } ?? []
        self.body = body
    }

    init(status: Int, text: String) {
        self.status = status
        self.headers = [("Content-Type", "text/plain; charset=utf-8")]
        self.body = Data(text.utf8)
    }
}

/// What a resource path names: `/apis/apps/v1/namespaces/default/deployments/hello/status`.
struct ResourceTarget: Sendable {
    let resource: Resource
    let namespace: String?
    let name: String?
    let subresource: String?

    var key: ObjectKey? { name.map { ObjectKey(resource: resource, namespace: resource.namespaced ? namespace : nil, name: $0) } }

    static func parse(_ path: String) -> ResourceTarget? {
        let segments = path.split(separator: "/").map(String.init)
        let group: String, version: String, rest: [String]
        if segments.first == "api", segments.count >= 2 {
            (group, version, rest) = ("", segments[1], Array(segments.dropFirst(2)))
        } else if segments.first == "apis", segments.count >= 3 {
            (group, version, rest) = (segments[1], segments[2], Array(segments.dropFirst(3)))
        } else {
            return nil
        }
        guard !rest.isEmpty else { return nil }
        var namespace: String?
        var tail = rest
        if rest[0] == "namespaces" && rest.count >= 3 && !(group.isEmpty && rest.count == 3 && ["status", "finalize"].contains(rest[2])) {
            namespace = rest[1]
            tail = Array(rest.dropFirst(2))
        }
        guard tail.count <= 3, let resource = Resource.find(group: group, version: version, plural: tail[0]) else { return nil }
        if namespace != nil && !resource.namespaced { return nil }
        return ResourceTarget(resource: resource, namespace: namespace, name: tail.count > 1 ? tail[1] : nil,
                              subresource: tail.count > 2 ? tail[2] : nil)
    }
}
