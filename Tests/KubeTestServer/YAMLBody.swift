import Yams

/// Apply bodies are YAML (`application/apply-patch+yaml`); JSON is the common case, YAML is read
/// with the YAML 1.1 core tag resolution the real server's decoder applies.
enum YAMLBody {
    static func parse(_ text: String) throws -> JSON {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return json(node)
    }

    private static func json(_ node: Yams.Node) -> JSON {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSON.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue: return node.float.map(JSON.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var fields: [String: JSON] = [:]
            for (key, value) in mapping { fields[key.string ?? ""] = json(value) }
            return .object(fields)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        default:
            return .null
        }
    }
}
