import KubeClient
import Yams

/// The one conversion of YAML to JSON, for workflow.yaml's free-form `config` and for `.secrets.yaml`.
///
/// Values keep their YAML types (`1` a number, `"1"` a string, `~` null, `true` a boolean). Anchors
/// and aliases are expanded as YAML defines them: an alias stands for a copy of its anchored value
/// (the YAML reader resolves them), up to `maxValues` values in all, so a file of nested aliases
/// cannot expand without bound. `<<` is an ordinary key (YAML 1.2 has no merge keys). Keys are
/// plain scalars; two keys that differ only in YAML type (`1` and `"1"`) are a duplicate, because
/// JSON would merge them. Infinite and NaN numbers have no JSON form: quote them.
enum YAMLToJSON {
    static let maxValues = 100_000

    /// Where a value cannot become JSON; messages quote values only when `showingValues` (never for secrets).
    struct Problem: Equatable {
        let field: String
        let line: Int?
        let message: String
    }

    /// The JSON for `node` (nil where a problem was found) and every problem, in document order.
    static func convert(_ node: Yams.Node, at field: String, showingValues: Bool = true) -> (JSONValue?, [Problem]) {
        var state = State(showingValues: showingValues)
        let value = state.convert(node, at: field)
        return (value, state.problems)
    }

    private struct State {
        let showingValues: Bool
        var problems: [Problem] = []
        var count = 0

        mutating func convert(_ node: Yams.Node, at field: String) -> JSONValue? {
            count += 1
            if count == maxValues + 1 {
                problems.append(Problem(field: field, line: node.mark?.line,
                                        message: "more than \(maxValues) values (aliases expand to copies); write the values out"))
            }
            if count > maxValues { return nil }
            switch node {
            case .mapping(let mapping):
                var members: [String: JSONValue] = [:]
                for (keyNode, value) in mapping {
                    guard case .scalar(let scalar) = keyNode else {
                        problems.append(Problem(field: field, line: keyNode.mark?.line, message: "keys must be plain strings"))
                        continue
                    }
                    let key = scalar.string
                    let child = field.isEmpty ? key : "\(field).\(key)"
                    guard members[key] == nil else {
                        problems.append(Problem(field: child, line: keyNode.mark?.line, message: "duplicate key"))
                        continue
                    }
                    if let converted = convert(value, at: child) { members[key] = converted }
                }
                return .object(members)
            case .sequence(let sequence):
                return .array(sequence.enumerated().compactMap { index, element in convert(element, at: "\(field)[\(index)]") })
            case .alias:
                // The reader resolves aliases; an unresolved one has nothing to stand for.
                problems.append(Problem(field: field, line: node.mark?.line, message: "alias to an undefined anchor"))
                return nil
            case .scalar(let scalar):
                return scalarValue(node, scalar, at: field)
            }
        }

        mutating func scalarValue(_ node: Yams.Node, _ scalar: Yams.Node.Scalar, at field: String) -> JSONValue? {
            switch node.tagName {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int:
                if let int = node.int { return .int(int) }
                if let double = node.float, double.isFinite { return .double(double) }
                return .string(scalar.string)
            case .float:
                guard let double = node.float else { return .string(scalar.string) }
                guard double.isFinite else {
                    problems.append(Problem(field: field, line: node.mark?.line,
                                            message: "\(showingValues ? scalar.string : "an infinite or NaN number") has no JSON representation; quote it to keep it as a string"))
                    return nil
                }
                return .double(double)
            default: return .string(scalar.string)
            }
        }
    }
}
