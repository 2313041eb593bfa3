import Crypto
import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The pod template is readable by the `view` role, which cannot read Secrets: the digest there
/// must not let a viewer test guesses of the Secret's value.
@Suite struct SecretDigestKeyTests {
    static let digestPath = ["spec", "template", "metadata", "annotations", "pipedreamer.dev/secret-digest"]
    static let keyPath = ["metadata", "annotations", "pipedreamer.dev/secret-digest-key"]

    /// The length-prefixed encoding of a one-key Secret, keys and values as the digest reads them.
    static func encoded(_ name: String, _ value: String) -> [UInt8] {
        [Array(name.utf8), Array(value.utf8)].flatMap { part in
            withUnsafeBytes(of: UInt64(part.count).bigEndian) { Array($0) } + part
        }
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test func aFourDigitSecretIsNotFoundFromTheDeploymentAlone() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/PIN", "4821")
            #expect(try h.deploy().status == 0)
            let digest = try #require(h.deployment?.value(at: Self.digestPath)?.string)
            #expect(digest.hasPrefix("hmac-sha256:"))

            // What a viewer could try before: every 4-digit value under the unkeyed construction.
            let found = (0..<10_000).map { String(format: "%04d", $0) }.filter { guess in
                "sha256:" + Self.hex(SHA256.hash(data: Self.encoded("PIN", guess))) == digest
                    || "hmac-sha256:" + Self.hex(SHA256.hash(data: Self.encoded("PIN", guess))) == digest
            }
            #expect(found.isEmpty)

            // A Secret reader holds the key, and with it the digest is exactly that of the content.
            let secret = try #require(h.object(.secrets, "hello-secrets"))
            let key = try #require(secret.value(at: Self.keyPath)?.string.flatMap { Data(base64Encoded: $0) })
            #expect(key.count == 32)
            let mac = HMAC<SHA256>.authenticationCode(for: Self.encoded("PIN", "4821"), using: SymmetricKey(data: key))
            #expect(digest == "hmac-sha256:" + Self.hex(mac))
        }
    }

    @Test func aSecretCreatedAgainGetsAFreshKey() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/PIN", "4821")
            #expect(try h.deploy().status == 0)
            let first = h.deployment?.value(at: Self.digestPath)?.string
            #expect(try h.run(["delete", "hello", "--yes"]).status == 0)

            // The same content under a fresh Secret gets a fresh key: equal digests tell nothing either.
            #expect(try h.deploy().status == 0)
            let second = h.deployment?.value(at: Self.digestPath)?.string
            #expect(first != nil && second != nil && first != second)
        }
    }

    @Test func theKeyIsKeptSoTheSameContentRollsNothing() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/PIN", "4821")
            #expect(try h.deploy().status == 0)
            let key = h.object(.secrets, "hello-secrets")?.value(at: Self.keyPath)?.string
            let digest = h.deployment?.value(at: Self.digestPath)?.string

            #expect(try h.deploy().status == 0)
            #expect(h.object(.secrets, "hello-secrets")?.value(at: Self.keyPath)?.string == key)
            #expect(h.deployment?.value(at: Self.digestPath)?.string == digest)
            #expect(h.rollouts == 1)
        }
    }

    @Test func diffKeepsTheLiveDigestAsADeployWithoutASecretDoes() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/PIN", "4821")
            #expect(try h.deploy().status == 0)
            let result = try h.run(["diff"])
            #expect(result.status == 0, "\(result.allOutput)")
            #expect(result.stdoutText == "")
        }
    }
}
