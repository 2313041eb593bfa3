import KubeClient
/// What deploy checks before it changes anything: the API answers, the namespace exists, every
/// verb the deploy uses is allowed, and the runtime class exists.
public struct Preflight: Sendable {
    /// A verb on a resource type, as RBAC names it.
    public struct Permission: Sendable, Hashable, CustomStringConvertible {
        public let verb: String
        public let type: ResourceType
        public var description: String { "\(verb) \(type.plural)\(type.group.isEmpty ? "" : ".\(type.group)")" }
    }

    let api: any KubernetesAPI
    let warn: @Sendable (String) -> Void

    public init(api: any KubernetesAPI, warn: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.warn = warn
    }

    /// The verbs a deploy of these objects uses: server-side apply is a patch that creates when the
    /// object is missing; the current state is listed by label; prune deletes CronJobs; the restart
    /// patches and the wait reads the Deployment.
    public static func permissions(withSecret: Bool, withLease: Bool = true,
                                   codeConfigMap: CodeConfigMapMode = .shared) -> [Permission] {
        var result = [Permission]()
        var types: [ResourceType] = [.configMaps, .deployments, .services, .cronJobs]
        if withSecret { types.insert(.secrets, at: 1) }
        for type in types {
            result.append(Permission(verb: "create", type: type))
            result.append(Permission(verb: "patch", type: type))
        }
        for type in Deployer.listedTypes { result.append(Permission(verb: "list", type: type)) }
        result.append(Permission(verb: "get", type: .deployments))
        // The live Secret is read for its digest key (and by --prune-secret for its labels).
        if withSecret { result.append(Permission(verb: "get", type: .secrets)) }
        result.append(Permission(verb: "delete", type: .cronJobs))
        // The deploy lease: read, created or taken over, renewed, deleted on release.
        if withLease {
            for verb in ["get", "create", "update", "delete"] { result.append(Permission(verb: verb, type: .leases)) }
        }
        // The history record is read back; clean-up of code ConfigMaps after the rollout deletes, and
        // in per-commit mode reads what the ReplicaSets mount.
        result.append(Permission(verb: "get", type: .configMaps))
        result.append(Permission(verb: "delete", type: .configMaps))
        if codeConfigMap == .perCommit { result.append(Permission(verb: "list", type: .replicaSets)) }
        return result
    }

    public func run(namespace: String, runtimeClass: String?, withSecret: Bool, withLease: Bool = true,
                    codeConfigMap: CodeConfigMapMode = .shared) async throws {
        do {
            _ = try await api.serverVersion()
        } catch let error as KubeAPIError {
            throw DeployError("the Kubernetes API is not usable: \(error.detail)")
        }
        try await checkNamespace(namespace)
        try await checkPermissions(namespace: namespace, withSecret: withSecret, withLease: withLease, codeConfigMap: codeConfigMap)
        if let runtimeClass { try await checkRuntimeClass(runtimeClass) }
    }

    func checkNamespace(_ namespace: String) async throws {
        do {
            if try await api.get(.namespaces, namespace: nil, name: namespace) == nil {
                throw DeployError("namespace \"\(namespace)\" does not exist; create it with `kubectl create namespace \(namespace)`, or pick another with -n")
            }
        } catch let error as KubeAPIError where error.code == 403 {
            // Namespace-scoped credentials often cannot read namespaces; the applies will say if it is missing.
            warn("cannot check that namespace \"\(namespace)\" exists (not allowed to get namespaces); continuing")
        }
    }

    func checkPermissions(namespace: String, withSecret: Bool, withLease: Bool, codeConfigMap: CodeConfigMapMode) async throws {
        let permissions = Self.permissions(withSecret: withSecret, withLease: withLease, codeConfigMap: codeConfigMap)
        let reviews = try await withThrowingTaskGroup(of: (Int, AccessReview).self) { group in
            for (index, permission) in permissions.enumerated() {
                group.addTask {
                    (index, try await api.accessReview(verb: permission.verb, type: permission.type, namespace: namespace, name: nil))
                }
            }
            var results = [(Int, AccessReview)]()
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let denied = zip(permissions, reviews).filter { !$0.1.allowed }
        guard denied.isEmpty else {
            let list = denied.map { permission, review in
                "  - \(permission)" + (review.reason.map { " (\($0))" } ?? "")
            }.joined(separator: "\n")
            throw DeployError("""
            missing permissions in namespace "\(namespace)"; deploy needs:
            \(list)
            ask a cluster administrator for a Role granting them (check one with `kubectl auth can-i \(denied[0].0.verb) \(denied[0].0.type.plural) -n \(namespace)`)
            """)
        }
    }

    func checkRuntimeClass(_ name: String) async throws {
        do {
            if try await api.get(.runtimeClasses, namespace: nil, name: name) == nil {
                throw DeployError("runtime class \"\(name)\" does not exist in the cluster; install it, choose another with --runtime-class NAME, or disable it with --runtime-class ''")
            }
        } catch let error as KubeAPIError where error.code == 403 {
            warn("cannot check that runtime class \"\(name)\" exists (not allowed to get runtimeclasses); continuing")
        }
    }
}
