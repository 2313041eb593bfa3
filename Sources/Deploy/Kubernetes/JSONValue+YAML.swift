import Foundation
import Yams
import KubeClient

/// Objects reach YAML through JSON values: every type stays explicit (a string is never
/// re-guessed from its text) and Yams' parser, which drops a leading BOM from scalars, is avoided.
extension JSONValue {
    init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder.encode(value)
    }

    /// The YAML node; strings get the style `ScalarStyle.style(for:)` picks, mapping keys sorted.
    var yamlNode: Yams.Node {
        switch self {
        case .null:
            return .scalar(Yams.Node.Scalar("null", Tag(.null), .plain))
        case .bool(let value):
            return .scalar(Yams.Node.Scalar(value ? "true" : "false", Tag(.bool), .plain))
        case .int(let value):
            return .scalar(Yams.Node.Scalar(String(value), Tag(.int), .plain))
        case .double(let value):
            return .scalar(Yams.Node.Scalar(String(value), Tag(.float), .plain))
        case .string(let value):
            return .scalar(Yams.Node.Scalar(value, Tag(.str), ScalarStyle.style(for: value)))
        case .array(let values):
            return Yams.Node(values.map(\.yamlNode), Tag(.seq))
        case .object(let members):
            let pairs = members.sorted { $0.key < $1.key }.map { key, value in
                (Yams.Node.scalar(Yams.Node.Scalar(key, Tag(.str), ScalarStyle.style(for: key))), value.yamlNode)
            }
            return Yams.Node(pairs, Tag(.map))
        }
    }
}
