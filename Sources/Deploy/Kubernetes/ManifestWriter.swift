import Foundation
import Yams
import KubeClient

/// Serialises objects to the exact bytes `render` prints: same objects, same bytes, on any machine.
public enum ManifestWriter {
    /// A multi-document YAML stream, each document opened by `---`, keys sorted.
    public static func yaml(_ objects: [KubeObject]) throws -> String {
        try yaml(objects, allowUnicode: true)
    }

    /// A `v1` `List` holding the objects, keys sorted, printed as `kubectl -o json` prints (`jsonText`).
    public static func json(_ objects: [KubeObject]) throws -> String {
        let list = JSONValue.object([
            "apiVersion": .string("v1"), "kind": .string("List"),
            "items": .array(try objects.map { try JSONValue(encoding: $0) }),
        ])
        return try jsonText(list) + "\n"
    }

    /// The JSON every command prints, as `kubectl -o json` prints it: Go's `json.MarshalIndent` with a
    /// four-space indent (cli-runtime's printers/json.go), `"key": value`, `[]` and `{}` for empty
    /// values, strings escaped as Go's encoding/json escapes them (`<`, `>`, `&`, U+2028 and U+2029 as
    /// `\u` escapes; slashes and other non-ASCII as they are); keys sorted. No trailing newline.
    public static func jsonText(_ value: JSONValue) throws -> String {
        var text = ""
        try appendJSON(value, indent: "", to: &text)
        return text
    }

    private static func appendJSON(_ value: JSONValue, indent: String, to text: inout String) throws {
        let inner = indent + "    "
        switch value {
        case .array(let items) where !items.isEmpty:
            text += "[\n"
            for (index, item) in items.enumerated() {
                text += inner
                try appendJSON(item, indent: inner, to: &text)
                text += index == items.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .object(let members) where !members.isEmpty:
            text += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                text += inner
                appendString(key, to: &text)
                text += ": "
                try appendJSON(members[key] ?? .null, indent: inner, to: &text)
                text += index == keys.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        case .array: text += "[]"
        case .object: text += "{}"
        case .null: text += "null"
        case .bool(let bool): text += bool ? "true" : "false"
        case .int(let int): text += String(int)
        case .string(let string): appendString(string, to: &text)
        case .double:
            let encoder = JSONEncoder()
            text += String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    /// A string as Go's encoding/json `appendString` writes it with HTML escaping on (encode.go).
    private static func appendString(_ string: String, to text: inout String) {
        let hex = Array("0123456789abcdef")
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{8}": text += "\\b"
            case "\u{C}": text += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{0}"..."\u{1F}":
                let v = Int(scalar.value)
                text += "\\u" + String([hex[(v >> 12) & 0xF], hex[(v >> 8) & 0xF], hex[(v >> 4) & 0xF], hex[v & 0xF]])
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `allowUnicode: false` escapes every non-ASCII character; kept for tests of both emitter modes.
    static func yaml(_ objects: [KubeObject], allowUnicode: Bool) throws -> String {
        try yaml(values: objects.map { try JSONValue(encoding: $0) }, allowUnicode: allowUnicode)
    }

    /// The same stream for objects already held as JSON values (live objects read from a cluster).
    public static func yaml(values: [JSONValue], allowUnicode: Bool = true) throws -> String {
        let documents = values.map(\.yamlNode)
        return try Yams.serialize(
            nodes: documents,
            // Unlimited width: folding long lines is where emitters lose bytes.
            width: -1,
            allowUnicode: allowUnicode,
            explicitStart: true,
            sortKeys: true
        )
    }
}
