import Crypto
import Foundation
import KubeClient

/// What deploy checks and records of the workflow's Secret without ever showing a value: the API
/// server's own key and size rules, checked before any request, and a digest of the content that
/// the pod template carries, so a changed Secret rolls the pods once and an unchanged one not at all.
public enum SecretDigest {
    public static let annotation = "pipedreamer.dev/secret-digest"
    /// `MaxSecretSize` (pkg/apis/core/types.go): the sum of the values' sizes.
    public static let maxBytes = 1024 * 1024

    static let annotationPath = ["spec", "template", "metadata", "annotations", annotation]

    /// `sha256:<hex>` over the keys in sorted order, each key and value length-prefixed, so no two
    /// different contents share a digest.
    public static func of(_ data: [String: [UInt8]]) -> String {
        var hasher = SHA256()
        for key in data.keys.sorted() {
            let value = data[key] ?? []
            for part in [Array(key.utf8), value] {
                withUnsafeBytes(of: UInt64(part.count).bigEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: part)
            }
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// `ValidateSecret` (pkg/apis/core/validation/validation.go): every key a valid config key, the
    /// values together at most 1 MiB. Errors name the Secret and the key, never a value.
    public static func check(_ source: SecretSource, secretName: String) throws {
        for key in source.data.keys.sorted() where !ConfigMapKey.isValidKey(key) {
            throw DeployError("secret \(secretName): key \"\(key)\" from \(source.origin) is not a valid Secret key: use at most 253 letters, digits, '-', '_' and '.'")
        }
        let total = source.data.values.reduce(0) { $0 + $1.count }
        if total > maxBytes {
            throw DeployError("secret \(secretName): the values from \(source.origin) total \(total) bytes; a Secret holds at most \(maxBytes) bytes (1 MiB)")
        }
    }

    /// The Deployment body with the digest of the Secret being applied; without a Secret, the live
    /// digest is kept (the live Secret stays, so nothing rolls) unless the Secret is being removed.
    static func stamped(_ deployment: JSONValue, digest: String?, live: JSONValue?, removingSecret: Bool) -> JSONValue {
        if let digest { return deployment.setting(annotationPath, .string(digest)) }
        guard !removingSecret, let kept = live?[annotationPath] else { return deployment.removing(annotationPath) }
        return deployment.setting(annotationPath, kept)
    }

    /// The digest in the live Deployment's pod template: a Secret was deployed with it.
    static func live(_ deployment: JSONValue?) -> String? { deployment?[annotationPath]?.stringValue }

    /// The digest of a Secret object's (base64) data.
    static func of(_ secret: Secret) -> String {
        of((secret.data ?? [:]).mapValues { Array(Data(base64Encoded: $0) ?? Data()) })
    }
}
