import Yams

/// Typed reads of one kubeconfig YAML mapping, each failure naming the entry and field.
struct YAMLFields {
    let mapping: Yams.Node.Mapping
    /// `user "ci" in /home/me/.kube/config`, or the file path at the top level.
    let context: String

    init(node: Yams.Node, context: String, field: String) throws {
        guard let mapping = node.mapping else {
            throw KubeConfigError("\(context): \(field) must be a mapping")
        }
        self.mapping = mapping
        self.context = context
    }

    static func isNull(_ node: Yams.Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func value(_ key: String) -> Yams.Node? {
        guard let node = mapping[key], !Self.isNull(node) else { return nil }
        return node
    }

    func string(_ key: String) throws -> String? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar else { throw KubeConfigError("\(context): \(key) must be a string") }
        return scalar.string
    }

    func bool(_ key: String) throws -> Bool? {
        guard let node = value(key) else { return nil }
        guard let bool = node.bool else { throw KubeConfigError("\(context): \(key) must be true or false") }
        return bool
    }

    func map(_ key: String) throws -> YAMLFields? {
        guard let node = value(key) else { return nil }
        return try YAMLFields(node: node, context: context, field: key)
    }

    func list(_ key: String) throws -> [Yams.Node] {
        guard let node = value(key) else { return [] }
        guard let sequence = node.sequence else { throw KubeConfigError("\(context): \(key) must be a list") }
        return Array(sequence)
    }

    func stringList(_ key: String) throws -> [String] {
        try list(key).enumerated().map { index, node in
            guard let text = node.scalar?.string else { throw KubeConfigError("\(context): \(key)[\(index)] must be a string") }
            return text
        }
    }

    /// A mapping of strings (`auth-provider.config`); values are never quoted in messages.
    func stringMap(_ key: String) throws -> [String: String] {
        guard let fields = try map(key) else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in fields.mapping {
            guard let name = name.scalar?.string, let text = value.scalar?.string else {
                throw KubeConfigError("\(context): \(key) must map names to strings")
            }
            result[name] = text
        }
        return result
    }

    /// A mapping of string lists (`as-user-extra`).
    func stringListMap(_ key: String) throws -> [String: [String]] {
        guard let fields = try map(key) else { return [:] }
        var result: [String: [String]] = [:]
        for (name, _) in fields.mapping {
            guard let name = name.scalar?.string else { throw KubeConfigError("\(context): \(key) must map names to lists") }
            result[name] = try fields.stringList(name)
        }
        return result
    }

    /// Any YAML value as JSON (the exec extension passed through to plugins).
    func json(_ key: String) throws -> JSONValue? {
        guard let node = value(key) else { return nil }
        return try Self.json(node, context: context, field: key)
    }

    private static func json(_ node: Yams.Node, context: String, field: String) throws -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (name, value) in mapping {
                guard let name = name.scalar?.string else { throw KubeConfigError("\(context): \(field) has a key that is not a string") }
                members[name] = try json(value, context: context, field: "\(field).\(name)")
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(try sequence.enumerated().map { try json($1, context: context, field: "\(field)[\($0)]") })
        case .scalar(let scalar):
            if isNull(node) { return .null }
            if scalar.style == .plain {
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .int(int) }
                if let double = node.float { return .double(double) }
            }
            return .string(scalar.string)
        case .alias:
            throw KubeConfigError("\(context): \(field) uses a YAML alias, which kubeconfig values cannot hold")
        }
    }

    /// `clusters`, `users`, `contexts`: lists of `{name, <entry>: {...}}`.
    func namedList<Value>(_ key: String, entry: String,
                          _ parse: (String, YAMLFields) throws -> Value) throws -> [KubeConfigFile.Named<Value>] {
        try list(key).enumerated().map { index, node in
            let item = try YAMLFields(node: node, context: context, field: "\(key)[\(index)]")
            guard let name = try item.string("name"), !name.isEmpty else {
                throw KubeConfigError("\(context): \(key)[\(index)] has no name")
            }
            let entryContext = "\(entry) \"\(name)\" in \(context)"
            let fieldsNode = item.value(entry) ?? .mapping(Yams.Node.Mapping([]))
            let fields = try YAMLFields(node: fieldsNode, context: entryContext, field: entry)
            return KubeConfigFile.Named(name: name, value: try parse(name, fields), file: context)
        }
    }
}
