import Crypto
import Foundation
import KubeClient
import Testing

@testable import Deploy

/// The pure rules behind the deploy transaction: conflict messages, no-op detection, replicas
/// ownership, secret digests and the lease's time format.
@Suite struct DeployTransactionUnitTests {
    @Test func conflictMessagesNameTheirManagers() {
        let one = #"Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="engine"].image"#
        #expect(ObjectOwnership.quotedManagers(in: one) == ["kubectl-set"])
        let two = "Apply failed with 2 conflicts: conflicts with \"pipedreamer\" using apps/v1:\n- .a\nconflicts with \"kubectl\" with subresource \"scale\" using apps/v1:\n- .spec.replicas"
        #expect(ObjectOwnership.quotedManagers(in: two) == ["pipedreamer", "kubectl"])
        #expect(!ObjectOwnership.conflictsOnlyWithOwnManagers(two))
        #expect(ObjectOwnership.conflictsOnlyWithOwnManagers("Apply failed with 1 conflict: conflict with \"pipedreamer\" using apps/v1: .x"))
    }

    @Test func aPreviewDifferingOnlyInResourceVersionAndTimesIsUnchanged() {
        let entry = JSONValue.object(["manager": .string("pipedreamer"), "time": .string("2026-01-01T00:00:00Z")])
        let live = JSONValue.object(["metadata": .object(["resourceVersion": .string("7"), "managedFields": .array([entry])]),
                                     "data": .object(["a": .string("1")])])
        let preview = live.setting(["metadata", "resourceVersion"], .string("8"))
            .setting(["metadata", "managedFields"], .array([entry.setting(["time"], .string("2026-01-02T00:00:00Z"))]))
        #expect(ObjectOwnership.sameContent(live, preview))
        #expect(!ObjectOwnership.sameContent(live, preview.setting(["data", "a"], .string("2"))))
    }

    @Test func replicasAreLeftOutOnceAnotherManagerOwnsThem() {
        let body = JSONValue.object(["spec": .object(["replicas": .int(1)])])
        let ours = JSONValue.object(["metadata": .object(["managedFields": .array([.object([
            "manager": .string("pipedreamer"), "operation": .string("Apply"),
            "fieldsV1": .object(["f:spec": .object(["f:replicas": .object([:])])]),
        ])])])])
        let scaled = JSONValue.object(["metadata": .object(["managedFields": .array([.object([
            "manager": .string("kubectl"), "operation": .string("Update"), "subresource": .string("scale"),
            "fieldsV1": .object(["f:spec": .object(["f:replicas": .object([:])])]),
        ])])])])
        #expect(ObjectOwnership.keepingOthersReplicas(body, live: nil) == body)
        #expect(ObjectOwnership.keepingOthersReplicas(body, live: ours) == body)
        #expect(ObjectOwnership.keepingOthersReplicas(body, live: scaled)[ObjectOwnership.replicasPath] == nil)
    }

    /// Python's `hmac.new(bytes(range(32)), msg, sha256)` over the same length-prefixed encoding is the oracle.
    @Test func theSecretDigestIsAnHMACOfKeysAndValuesUnderTheSecretsKey() {
        let key = SymmetricKey(data: Array(0..<32) as [UInt8])
        let a = SecretDigest.of(["A": Array("1".utf8), "B": Array("2".utf8)], key: key)
        #expect(a == "hmac-sha256:6098d229a384b0d0942b2b502a525cc8a8aacf53a05ae0f8ffb3fa35c38bf44c")
        #expect(a == SecretDigest.of(["B": Array("2".utf8), "A": Array("1".utf8)], key: key))
        #expect(a != SecretDigest.of(["A": Array("12".utf8), "B": []], key: key))
        #expect(a != SecretDigest.of(["A": Array("1".utf8), "B": Array("2".utf8)], key: SymmetricKey(data: [UInt8](repeating: 7, count: 32))))
        #expect(SecretDigest.of([:], key: key) == "hmac-sha256:d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb")
    }

    @Test func theLiveSecretsKeyIsKeptAndANewSecretGetsAFreshOne() {
        let secret = Manifests.secret(name: "hello", namespace: "ns", data: ["PIN": Array("4821".utf8)])
        let first = SecretDigest.keyed(secret, live: nil)
        let live = try? JSONValue(encoding: KubeObject.secret(first.secret))
        #expect(SecretDigest.keyed(secret, live: live).digest == first.digest)
        #expect(SecretDigest.keyed(secret, live: live).secret == first.secret)
        #expect(SecretDigest.keyed(secret, live: nil).digest != first.digest)
        let malformed = live?.setting(SecretDigest.keyPath, .string("c2hvcnQ="))
        #expect(SecretDigest.keyed(secret, live: malformed).digest != first.digest)
    }

    @Test func leaseTimesHaveSixFractionalDigits() {
        let date = Date(timeIntervalSince1970: 1_764_621_662.25)
        #expect(LeaseTime.format(date) == "2025-12-01T20:41:02.250000Z")
        #expect(LeaseTime.parse("2025-12-01T20:41:02.250000Z") == date)
        #expect(LeaseTime.shown("2025-12-01T20:41:02.250000Z") == "2025-12-01T20:41:02Z")
    }
}
