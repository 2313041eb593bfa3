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
        var text = text
        text.makeContiguousUTF8()
        return 2 + (text.utf8.withContiguousStorageIfAvailable(escapedLength) ?? escapedLength(Array(text.utf8)))
    }

    /// Counted over UTF-8 bytes: a scalar of n bytes counts n, except U+2028 and U+2029 (E2 80 A8
    /// and E2 80 A9), which Go writes as six-byte escapes, like the ASCII ones below.
    private static func escapedLength<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int where Bytes.Index == Int {
        var total = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case 0x22, 0x5c, 0x0a, 0x0d, 0x09: total += 2
            case 0x3c, 0x3e, 0x26, 0x00..<0x20: total += 6
            case 0xe2 where index + 2 < bytes.endIndex && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xa8 || bytes[index + 2] == 0xa9):
                total += 6
                index += 2
            default: total += 1
            }
            index += 1
        }
        return total
    }
}
