import Yams
import KubeClient

extension SpecReader {
    /// Free-form YAML as JSON, with YAML's types: `1` a number, `"1"` a string, `~` null.
    mutating func json(_ node: Yams.Node, at field: String) -> JSONValue? {
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for entry in entries(of: mapping, at: field) {
                if let value = json(entry.value, at: join(field, entry.key)) { members[entry.key] = value }
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(sequence.enumerated().compactMap { index, element in json(element, at: "\(field)[\(index)]") })
        case .alias:
            fail(field, line: node.mark?.line, "aliases are not supported")
            return nil
        case .scalar(let scalar):
            switch node.tagName {
            case .null:
                return .null
            case .bool:
                return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int:
                if let int = node.int { return .int(int) }
                if let double = node.float, double.isFinite { return .double(double) }
                return .string(scalar.string)
            case .float:
                guard let double = node.float else { return .string(scalar.string) }
                guard double.isFinite else {
                    fail(field, line: node.mark?.line, "\(scalar.string) has no JSON representation; quote it to keep it as a string")
                    return nil
                }
                return .double(double)
            default:
                return .string(scalar.string)
            }
        }
    }
}
