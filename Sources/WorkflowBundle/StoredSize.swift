/// What the API server stores for a bundle, estimated from above, so a commit whose objects etcd
/// would refuse (`etcdserver: request is too large`) is refused first, by the same check the hooks run.
///
/// The content limit alone does not bound the stored objects (`ValidateConfigMap`'s 1 MiB counts
/// values only, which the content limit keeps under): each file's key is stored in `data` and again
/// in `metadata.managedFields` (`"f:<key>":{}`), and the Deployment lists one `items` entry per file
/// (`{"key":…,"path":…}`; an atomic list, so managedFields names it once). Sizes are counted as
/// compact JSON, which is never smaller than what etcd stores.
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
            deployment += 7 + key + 8 + jsonLength(file.path) + 2
        }
        return Estimate(configMapBytes: configMap, deploymentBytes: deployment)
    }

    /// Bytes of `text` as a JSON string, quotes included, escaping as Go's encoder does (HTML
    /// characters and U+2028/U+2029 as `\uXXXX`), so the count is never below the server's.
    static func jsonLength(_ text: String) -> Int {
        var length = 2
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "\n", "\r", "\t": length += 2
            case "<", ">", "&", "\u{2028}", "\u{2029}": length += 6
            default: length += scalar.value < 0x20 ? 6 : UTF8.width(scalar)
            }
        }
        return length
    }
}
