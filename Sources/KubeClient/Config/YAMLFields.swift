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
