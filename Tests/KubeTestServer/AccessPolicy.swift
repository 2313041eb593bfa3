/// Who is calling: from a bearer token or the client certificate's CN (user) and O (groups).
public struct UserInfo: Sendable, Hashable {
    public let name: String
    public let groups: [String]

    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }
}

/// One permission: every listed value matches, `*` matches anything. `namespaces` of `[""]` means cluster scope.
public struct AccessRule: Sendable, Hashable {
    public var users: [String]
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var namespaces: [String]

    public init(users: [String] = ["*"], verbs: [String] = ["*"], apiGroups: [String] = ["*"],
                resources: [String] = ["*"], namespaces: [String] = ["*"]) {
        self.users = users
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.namespaces = namespaces
    }

    func matches(user: UserInfo, verb: String, group: String, resource: String, namespace: String?) -> Bool {
        func has(_ list: [String], _ value: String) -> Bool { list.contains("*") || list.contains(value) }
        let userMatches = users.contains("*") || users.contains(user.name) || user.groups.contains { users.contains("group:" + $0) }
        return userMatches && has(verbs, verb) && has(apiGroups, group) && has(resources, resource)
            && has(namespaces, namespace ?? "")
    }
}

/// What the server allows: everything, or only what some rule grants (RBAC is additive, so there is no deny).
public struct AccessPolicy: Sendable, Hashable {
    public var allowAll: Bool
    public var rules: [AccessRule]

    public static let allowingEverything = AccessPolicy(allowAll: true, rules: [])

    public static func only(_ rules: [AccessRule]) -> AccessPolicy { AccessPolicy(allowAll: false, rules: rules) }

    public init(allowAll: Bool, rules: [AccessRule]) {
        self.allowAll = allowAll
        self.rules = rules
    }

    /// The RBAC-style reason when allowed, nil when denied.
    func decide(user: UserInfo, verb: String, group: String, resource: String, namespace: String?) -> String? {
        if allowAll {
            return "RBAC: allowed by ClusterRoleBinding \"kube-test-server\" of ClusterRole \"cluster-admin\" to User \"\(user.name)\""
        }
        guard let index = rules.firstIndex(where: { $0.matches(user: user, verb: verb, group: group, resource: resource, namespace: namespace) })
        else { return nil }
        let binding = namespace.map { "RoleBinding \"rule-\(index)/\($0)\"" } ?? "ClusterRoleBinding \"rule-\(index)\""
        return "RBAC: allowed by \(binding) of Role \"rule-\(index)\" to User \"\(user.name)\""
    }
}
