import Foundation
import Yams
import KubeClient

/// Serialises objects to the exact bytes `render` prints: same objects, same bytes, on any machine.
public enum ManifestWriter {
    /// A multi-document YAML stream, each document opened by `---`, keys sorted.
    public static func yaml(_ objects: [KubeObject]) throws -> String {
        try yaml(objects, allowUnicode: true)
    }

    /// A pretty-printed `v1` `List` holding the objects, keys sorted.
    public static func json(_ objects: [KubeObject]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(ObjectList(items: objects))
        return String(decoding: data, as: UTF8.self) + "\n"
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

    private struct ObjectList: Encodable {
        let apiVersion = "v1"
        let kind = "List"
        let items: [KubeObject]
    }
}
