/// What the API server stores for a bundle, estimated from above, so a commit whose objects etcd
/// would refuse (`etcdserver: request is too large`) is refused first, by the same check the hooks run.
///
/// The content limit alone does not bound the stored objects: each file's key is stored in the
/// ConfigMap's `data` and again in its `metadata.managedFields` (`"f:<key>":{}`), and the Deployment
/// lists one `items` entry per file (`{"key":…,"path":…}`), again once more in its managedFields
/// (`"k:{\"key\":…,\"path\":…}":{".":{},"f:key":{},"f:path":{}}`). Sizes are counted as compact JSON,
/// which is never smaller than what etcd stores.
public enum StoredSize {
    /// etcd's default `--max-request-bytes` (1.5 MiB): the largest object a write can carry.
    public static let maxObjectBytes = 1_572_864
    /// Everything in the ConfigMap besides its files: metadata, server fields, managedFields' skeleton.
    static let configMapOverhead = 4_096
    /// Everything in the Deployment besides its items: the pod template, status, managedFields' skeleton.
    static let deploymentOverhead = 16_384

    public struct Estimate: Sendable, Equatable {
        public let configMapBytes: Int
        public let deploymentBytes: Int

        public var largest: Int { max(configMapBytes, deploymentBytes) }
        public var fits: Bool { largest <= StoredSize.maxObjectBytes }
    }

    public static func estimate(_ files: [BundledFile]) -> Estimate {
        var configMap = configMapOverhead
        var deployment = deploymentOverhead
        for file in files {
            let key = jsonLength(file.key)
            // `"key":"content",` in data, `"f:key":{},` in managedFields.
            configMap += key + 1 + jsonLength(file.content) + 1
            configMap += key + 2 + 4
            // `{"key":K,"path":P},` in items.
            let item = 7 + key + 8 + jsonLength(file.path) + 2
            deployment += item
            // The item as a managedFields key: `k:` and the item's JSON, quoted once more.
            let inner = "{\"key\":" + quoted(file.key) + ",\"path\":" + quoted(file.path) + "}"
            deployment += jsonLength("k:" + inner) + #":{".":{},"f:key":{},"f:path":{}},"#.utf8.count
        }
        return Estimate(configMapBytes: configMap, deploymentBytes: deployment)
    }

    /// Bytes of `text` as a JSON string, quotes included, escaping as Go's encoder does (HTML
    /// characters as `\u00XX`), so the count is never below the server's.
    static func jsonLength(_ text: String) -> Int {
        var length = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: length += 2
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): length += 6
            case ..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
