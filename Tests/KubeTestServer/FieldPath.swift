/// A path to one field of an object, as structured-merge-diff names it: struct fields, and items of
/// keyed lists (`containers[name="engine"]`). Lists without a key are atomic: owned as a whole.
struct FieldPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    enum Element: Hashable, Sendable {
        case field(String)
        /// A keyed-list item: its key fields, sorted by name.
        case key([KeyField])
    }

    struct KeyField: Hashable, Sendable {
        let name: String
        let value: JSON
    }

    var elements: [Element]

    init(_ elements: [Element] = []) { self.elements = elements }

    func appending(_ element: Element) -> FieldPath { FieldPath(elements + [element]) }

    /// `.spec.template.spec.containers[name="engine"].image`
    var description: String {
        elements.map { element in
            switch element {
            case .field(let name): return "." + name
            case .key(let fields): return "[" + fields.map { "\($0.name)=\($0.value.text())" }.joined(separator: ",") + "]"
            }
        }.joined()
    }

    static func < (a: FieldPath, b: FieldPath) -> Bool { a.description < b.description }

    /// The merge keys of the lists that are not atomic, by field name (from the Kubernetes OpenAPI `x-kubernetes-list-map-keys`).
    static func listKeys(field: String, items: [JSON]) -> [String]? {
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets": return ["name"]
        case "volumeMounts": return ["mountPath"]
        case "conditions": return ["type"]
        case "ports":
            return items.contains { $0["containerPort"] != nil } ? ["containerPort", "protocol"] : ["port", "protocol"]
        default: return nil
        }
    }

    /// Maps owned as a whole (`x-kubernetes-map-type: atomic`): a LabelSelector (`+structType=atomic`), a
    /// Service's `selector` and a pod's `nodeSelector` (`+mapType=atomic`, k8s.io/api/core/v1/types.go).
    static let atomicMaps: Set<String> = ["selector", "nodeSelector"]

    /// The key of one item of a keyed list; the protocol of a port defaults to TCP as the server defaults it.
    static func key(of item: JSON, keys: [String]) -> [KeyField] {
        keys.sorted().compactMap { name in
            if let value = item[name] { return KeyField(name: name, value: value) }
            return name == "protocol" ? KeyField(name: name, value: "TCP") : nil
        }
    }

    /// Every leaf a document sets, plus the item marker of each keyed-list item.
    static func leaves(of value: JSON, at path: FieldPath = FieldPath(), field: String? = nil) -> Set<FieldPath> {
        switch value {
        case .object(let fields):
            if fields.isEmpty { return path.elements.isEmpty ? [] : [path] }
            if let field, atomicMaps.contains(field) { return [path] }
            var result = Set<FieldPath>()
            for (name, child) in fields { result.formUnion(leaves(of: child, at: path.appending(.field(name)), field: name)) }
            return result
        case .array(let items):
            guard let field, let keys = listKeys(field: field, items: items), !items.isEmpty else { return [path] }
            var result = Set<FieldPath>()
            for item in items {
                let itemPath = path.appending(.key(key(of: item, keys: keys)))
                result.insert(itemPath)
                result.formUnion(leaves(of: item, at: itemPath))
            }
            return result
        default:
            return [path]
        }
    }

    /// The maps with fields below the root, as paths: the non-leaf nodes structured-merge-diff's `Compare`
    /// reports as added or removed (`postItemHook` in typed/compare.go). Keyed-list items are in `leaves`.
    static func maps(of value: JSON, at path: FieldPath = FieldPath(), field: String? = nil) -> Set<FieldPath> {
        switch value {
        case .object(let fields):
            if let field, atomicMaps.contains(field) { return [] }
            var result: Set<FieldPath> = fields.isEmpty || path.elements.isEmpty ? [] : [path]
            for (name, child) in fields { result.formUnion(maps(of: child, at: path.appending(.field(name)), field: name)) }
            return result
        case .array(let items):
            guard let field, let keys = listKeys(field: field, items: items) else { return [] }
            var result = Set<FieldPath>()
            for item in items { result.formUnion(maps(of: item, at: path.appending(.key(key(of: item, keys: keys))))) }
            return result.subtracting(items.map { path.appending(.key(key(of: $0, keys: keys))) })
        default:
            return []
        }
    }

    /// The value at this path, or nil when absent.
    func lookup(in document: JSON) -> JSON? {
        var current: JSON? = document
        var lastField = ""
        for element in elements {
            switch element {
            case .field(let name):
                current = current?[name]
                lastField = name
            case .key(let key):
                guard let items = current?.array, let keys = FieldPath.listKeys(field: lastField, items: items) else { return nil }
                current = items.first { FieldPath.key(of: $0, keys: keys) == key }
            }
        }
        return current
    }

    /// Removes the field or list item at this path, pruning maps the removal leaves empty.
    func remove(from document: inout JSON) {
        FieldPath.remove(elements[...], from: &document, field: "")
    }

    private static func remove(_ elements: ArraySlice<Element>, from node: inout JSON, field: String) {
        guard let first = elements.first else { return }
        let rest = elements.dropFirst()
        switch (first, node) {
        case (.field(let name), .object(var fields)):
            guard var child = fields[name] else { return }
            if rest.isEmpty {
                fields[name] = nil
            } else {
                remove(rest, from: &child, field: name)
                let emptied = (child.object?.isEmpty ?? false) || (child.array?.isEmpty ?? false)
                fields[name] = emptied ? nil : child
            }
            node = .object(fields)
        case (.key(let key), .array(var items)):
            guard let keys = listKeys(field: field, items: items),
                  let index = items.firstIndex(where: { FieldPath.key(of: $0, keys: keys) == key }) else { return }
            if rest.isEmpty {
                items.remove(at: index)
            } else {
                remove(rest, from: &items[index], field: field)
            }
            node = .array(items)
        default:
            return
        }
    }

    /// `fieldsV1`: the trie form stored in `managedFields` (`f:name`, `k:{"name":"x"}`), as structured-merge-diff's
    /// `emitContentsV1` (fieldpath/serialize.go) writes it: a member with members below it is marked `".": {}`.
    static func fieldsV1(_ paths: Set<FieldPath>) -> JSON {
        var root = JSON.object([:])
        let parents = Set(paths.flatMap { path in (0..<path.elements.count).map { FieldPath(Array(path.elements.prefix($0))) } })
        for path in paths {
            var keys: [String] = path.elements.map { element in
                switch element {
                case .field(let name): return "f:" + name
                case .key(let fields):
                    let object = JSON.object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) }))
                    return "k:" + object.text()
                }
            }
            if parents.contains(path) { keys.append(".") }
            root.set(keys, root.value(at: keys) ?? .object([:]))
        }
        return root
    }
}
