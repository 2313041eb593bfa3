import Crypto
import Foundation
import KubeClient
import WorkflowBundle

/// What deploy checks and records of the workflow's Secret without ever showing a value: the API
/// server's own key and size rules, checked before any request, and a digest of the content that
/// the pod template carries, so a changed Secret rolls the pods once and an unchanged one not at all.
///
/// The digest is an HMAC-SHA256 whose random key is an annotation of the Secret itself: the pod
/// template is readable with the `view` role, which cannot read Secrets, so an unkeyed hash there
/// would let a viewer test guesses of a short value offline.
public enum SecretDigest {
    public static let annotation = "pipedreamer.dev/secret-digest"
    /// On the Secret: the digest's key, base64. Only those who may read the Secret's values see it.
    public static let keyAnnotation = "pipedreamer.dev/secret-digest-key"
    public static let prefix = "hmac-sha256:"
    /// `MaxSecretSize` (pkg/apis/core/types.go): the sum of the values' sizes.
    public static let maxBytes = 1024 * 1024
    static let keyBytes = 32

    static let annotationPath = ["spec", "template", "metadata", "annotations", annotation]
    static let keyPath = ["metadata", "annotations", keyAnnotation]

    /// `hmac-sha256:<hex>` over the keys in sorted order, each key and value length-prefixed, so no
    /// two different contents share a digest under one key.
    public static func of(_ data: [String: [UInt8]], key: SymmetricKey) -> String {
        var mac = HMAC<SHA256>(key: key)
        for name in data.keys.sorted() {
            for part in [Array(name.utf8), data[name] ?? []] {
                mac.update(data: withUnsafeBytes(of: UInt64(part.count).bigEndian) { Data($0) })
                mac.update(data: part)
            }
        }
        return prefix + Data(mac.finalize()).map { String(format: "%02x", $0) }.joined()
    }

    /// The key a live Secret carries, when it carries a well-formed one.
    public static func key(ofLive secret: JSONValue?) -> SymmetricKey? {
        guard let text = secret?[keyPath]?.stringValue, let bytes = Data(base64Encoded: text),
              bytes.count == keyBytes else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// The Secret to apply, carrying its digest key, and the digest for the pod template. The live
    /// Secret's key is kept, so the same content gives the same digest and rolls nothing; a Secret
    /// that does not exist yet (or has no key) gets a fresh random one. A Deployment that still
    /// carries an unkeyed `sha256:` digest of an earlier version therefore rolls its pods once, on
    /// the first deploy with a Secret after the upgrade, and never again for the same content.
    static func keyed(_ secret: Secret, live: JSONValue?) -> (secret: Secret, digest: String) {
        let key = key(ofLive: live) ?? SymmetricKey(size: .bits256)
        var secret = secret
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        secret.metadata.annotations = (secret.metadata.annotations ?? [:]).merging([keyAnnotation: encoded]) { $1 }
        let data = (secret.data ?? [:]).mapValues { Array(Data(base64Encoded: $0) ?? Data()) }
        return (secret, of(data, key: key))
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
}
