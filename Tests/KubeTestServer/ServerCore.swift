import Foundation

/// The API server's state and request dispatch. Every request runs under one lock, so the server
/// behaves like a single linearizable etcd-backed apiserver.
final class ServerCore: @unchecked Sendable {
    let configuration: KubeTestServer.Configuration
    /// The apiserver's `MaxRequestBodyBytes` (3 MiB).
    static let maxRequestBytes = 3 * 1024 * 1024
    private let lock = NSLock()
    var store = ObjectStore()
    var policy: AccessPolicy
    var tokens: [String: UserInfo]
    var recorded: [RecordedRequest] = []
    var faults: [Fault] = []
    /// Pod-template hashes each Deployment has had, in order: the rollouts.
    var templates: [ObjectKey: [String]] = [:]
    /// Deployments whose rollouts do not complete; absent means `.complete`.
    var rolloutModes: [ObjectKey: RolloutMode] = [:]
    var watchers: [Int: Watcher] = [:]
    var nextWatchID = 0
    /// Runs the deployment controller later; set by the transport.
    var schedule: @Sendable (_ milliseconds: Int, _ work: @escaping @Sendable () -> Void) -> Void = { _, work in work() }

    init(configuration: KubeTestServer.Configuration) {
        self.configuration = configuration
        policy = configuration.policy
        tokens = configuration.tokens
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] + configuration.namespaces {
            seed(.namespaces, ["apiVersion": "v1", "kind": "Namespace",
                               "metadata": ["name": .string(name), "labels": ["kubernetes.io/metadata.name": .string(name)]],
                               "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]])
        }
        for (name, handler) in configuration.runtimeClasses.sorted(by: { $0.key < $1.key }) {
            seed(.runtimeClasses, ["apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass",
                                   "metadata": ["name": .string(name)], "handler": .string(handler)])
        }
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func seed(_ resource: Resource, _ object: JSON) {
        withLock {
            let name = object.value(at: ["metadata", "name"])?.string ?? ""
            let namespace = object.value(at: ["metadata", "namespace"])?.string
            let key = ObjectKey(resource: resource, namespace: resource.namespaced ? namespace : nil, name: name)
            if store[key] == nil { _ = store.create(key, object: object, managers: []) }
        }
    }

    // MARK: Faults and recording

    func takeFault(method: String, path: String) -> Fault.Action? {
        withLock {
            guard let index = faults.firstIndex(where: { $0.matches(method: method, path: path) }) else { return nil }
            faults[index].count -= 1
            let action = faults[index].action
            if faults[index].count <= 0 { faults.remove(at: index) }
            return action
        }
    }

    func record(_ request: RecordedRequest) { withLock { recorded.append(request) } }

    // MARK: Authentication

    /// The caller, or nil for 401. `certificateUser` comes from a verified client certificate.
    func authenticate(_ request: APIRequest, certificateUser: UserInfo?) -> UserInfo?? {
        if let header = request.header("Authorization") {
            guard header.hasPrefix("Bearer ") else { return .some(nil) }
            let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            return .some(withLock { tokens[token] })
        }
        if let certificateUser { return .some(certificateUser) }
        let open = withLock { tokens.isEmpty } && !configuration.tls
        return open ? .some(configuration.anonymousUser) : .none
    }

    // MARK: Dispatch

    func handle(_ request: APIRequest, certificateUser: UserInfo?) -> (APIResponse, String?) {
        let publicPaths = ["/healthz", "/livez", "/readyz", "/version"]
        let authenticated = authenticate(request, certificateUser: certificateUser)
        let user: UserInfo
        switch authenticated {
        case .some(.some(let known)): user = known
        case .some(.none): return (APIResponse(error: .unauthorized), nil)
        case .none:
            if publicPaths.contains(request.path) { return (Discovery.respond(request, core: self) ?? APIResponse(error: .pathNotFound), nil) }
            return (APIResponse(error: .unauthorized), nil)
        }
        if request.body.count > ServerCore.maxRequestBytes {
            return (APIResponse(error: StatusError(code: 413, reason: "RequestEntityTooLarge",
                                                   message: "Request entity too large: limit is \(ServerCore.maxRequestBytes)")), user.name)
        }
        if let response = Discovery.respond(request, core: self) { return (response, user.name) }
        guard let target = ResourceTarget.parse(request.path) else { return (APIResponse(error: .pathNotFound), user.name) }
        do {
            return (try withLock {
                defer { deliverEvents() }
                return try dispatch(request, target: target, user: user)
            }, user.name)
        } catch let error as StatusError {
            return (APIResponse(error: error), user.name)
        } catch {
            return (APIResponse(error: .badRequest("\(error)")), user.name)
        }
    }

    private func dispatch(_ request: APIRequest, target: ResourceTarget, user: UserInfo) throws -> APIResponse {
        let resource = target.resource
        if resource == .selfSubjectAccessReviews {
            guard request.method == "POST", target.name == nil else { throw StatusError.methodNotSupported(resource, verb(request, target)) }
            return try accessReview(request, user: user)
        }
        let action = verb(request, target)
        if target.subresource == "scale" && resource == .deployments {
            try authorize(user: user, verb: action, target: target)
            return try scale(request, target: target)
        }
        if let sub = target.subresource, !(sub == "status" && request.method == "GET") {
            throw StatusError.pathNotFound
        }
        try authorize(user: user, verb: action, target: target)
        if ["POST", "PUT"].contains(request.method) { try RequestBody.checkMediaType(request) }
        let view = try request.method == "GET" ? MetadataView.negotiate(request) : MetadataView.object
        switch (request.method, target.name) {
        case ("GET", nil):
            let filter = try ObjectFilter(request, resource: resource)
            guard ["true", "1"].contains(request.parameter("watch") ?? "") else {
                return try view.render(list(target: target, filter: filter), resource: resource, list: true)
            }
            var response = APIResponse(status: 200, json: .null)
            response.watch = WatchRequest(resource: resource, namespace: resource.namespaced ? target.namespace : nil, filter: filter,
                                          resourceVersion: request.parameter("resourceVersion"),
                                          timeoutSeconds: request.parameter("timeoutSeconds").flatMap { Int($0) }, view: view)
            return response
        case ("GET", _): return try view.render(get(target), resource: resource, list: false)
        case ("POST", nil): return try create(request, target: target, user: user)
        case ("PUT", .some): return try replace(request, target: target, user: user)
        case ("PATCH", .some): return try patch(request, target: target, user: user)
        case ("DELETE", .some): return try delete(request, target: target)
        default: throw StatusError.methodNotSupported(resource, action)
        }
    }

    func verb(_ request: APIRequest, _ target: ResourceTarget) -> String {
        switch request.method {
        case "GET": target.name == nil ? (["true", "1"].contains(request.parameter("watch") ?? "") ? "watch" : "list") : "get"
        case "POST": "create"
        case "PUT": "update"
        case "PATCH": "patch"
        case "DELETE": target.name == nil ? "deletecollection" : "delete"
        default: request.method.lowercased()
        }
    }

    func authorize(user: UserInfo, verb: String, target: ResourceTarget) throws {
        let resourceName = target.subresource.map { "\(target.resource.plural)/\($0)" } ?? target.resource.plural
        let namespace = target.resource.namespaced ? target.namespace : nil
        guard policy.decide(user: user, verb: verb, group: target.resource.group, resource: resourceName, namespace: namespace) == nil else { return }
        throw StatusError.forbidden(target.resource, name: target.name ?? "", user: user.name, verb: verb,
                                    namespace: namespace, subresource: target.subresource)
    }

    private func accessReview(_ request: APIRequest, user: UserInfo) throws -> APIResponse {
        var review = try RequestBody.object(request, as: .selfSubjectAccessReviews)
        let attributes = review.value(at: ["spec", "resourceAttributes"]) ?? .object([:])
        let namespace = attributes["namespace"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        var resource = attributes["resource"]?.string ?? ""
        if let sub = attributes["subresource"]?.string, !sub.isEmpty { resource += "/" + sub }
        let reason = policy.decide(user: user, verb: attributes["verb"]?.string ?? "", group: attributes["group"]?.string ?? "",
                                   resource: resource, namespace: namespace)
        var status: JSON = ["allowed": .bool(reason != nil)]
        if let reason { status["reason"] = .string(reason) }
        review["status"] = status
        review.set(["metadata", "creationTimestamp"], .null)
        return APIResponse(status: 201, json: review)
    }
}
