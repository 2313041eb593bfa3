import Foundation
import Yams

/// An object as JSON values: the bridge from `Encodable` objects to YAML nodes. Going through
/// JSON keeps every type explicit (a string is never re-guessed from its text) and avoids
/// Yams' parser, which drops a leading BOM from scalars.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The YAML node; strings get the style `ScalarStyle.style(for:)` picks, mapping keys sorted.
    var node: Node {
        switch self {
        case .null:
            return .scalar(Node.Scalar("null", Tag(.null), .plain))
        case .bool(let value):
            return .scalar(Node.Scalar(value ? "true" : "false", Tag(.bool), .plain))
        case .int(let value):
            return .scalar(Node.Scalar(String(value), Tag(.int), .plain))
        case .double(let value):
            return .scalar(Node.Scalar(String(value), Tag(.float), .plain))
        case .string(let value):
            return .scalar(Node.Scalar(value, Tag(.str), ScalarStyle.style(for: value)))
        case .array(let values):
            return Node(values.map(\.node), Tag(.seq))
        case .object(let members):
            let pairs = members.sorted { $0.key < $1.key }.map { key, value in
                (Node.scalar(Node.Scalar(key, Tag(.str), ScalarStyle.style(for: key))), value.node)
            }
            return Node(pairs, Tag(.map))
        }
    }
}
