import Foundation
import KubeTestServer
import Testing

/// What etcd will store: its size limit (managedFields count), and ConfigMaps and Secrets set immutable.
@Suite struct StoredObjectTests {
    /// Keys long enough that each appears twice (data and managedFields) and pushes the stored object past
    /// 1.5 MiB while the values stay well under the 1 MiB data limit.
    static func manyKeys() -> [String: JSON] {
        var data: [String: JSON] = [:]
        for i in 0..<4000 { data[String(repeating: "k", count: 200) + String(format: "%05d", i)] = "x" }
        return data
    }

    @Test func anObjectPastEtcdsLimitIsRefusedAsEtcdRefusesIt() async throws {
        try await withServer { server, http in
            let reply = try await http.apply(Fixture.configMaps + "/big", Fixture.configMap("big", data: StoredObjectTests.manyKeys()))
            #expect(reply.status == 500)
            #expect(reply.text == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request is too large","code":500}"#)
            #expect(server.object(.configMaps, namespace: "default", name: "big") == nil)
        }
    }

    @Test func aDryRunNeverReachesEtcdSoPassesTheLimit() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(Fixture.configMaps + "/big", Fixture.configMap("big", data: StoredObjectTests.manyKeys()), dryRun: true)
            #expect(reply.status == 201)
        }
    }

    @Test func theSameDataWithoutManagedFieldsFits() async throws {
        try await withServer { _, http in
            // A create records an Update manager too; it is the two copies of every key that overflow.
            var data: [String: JSON] = [:]
            for (key, value) in StoredObjectTests.manyKeys().sorted(by: { $0.key < $1.key }).prefix(2000) { data[key] = value }
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("big", data: data))
            #expect(reply.status == 201)
        }
    }

    @Test func anImmutableConfigMapKeepsItsData() async throws {
        try await withServer { _, http in
            var configMap = Fixture.configMap("frozen", data: ["a.ts": "1"])
            configMap["immutable"] = true
            _ = try await http.post(Fixture.configMaps, configMap)
            let patched = try await http.strategicPatch(Fixture.configMaps + "/frozen", ["data": ["a.ts": "2"]])
            #expect(patched.status == 422)
            #expect(patched.message == "ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
            let metadataOnly = try await http.strategicPatch(Fixture.configMaps + "/frozen", ["metadata": ["labels": ["a": "b"]]])
            #expect(metadataOnly.status == 200)
        }
    }

    @Test func immutableCannotBeUnset() async throws {
        try await withServer { _, http in
            var configMap = Fixture.configMap("frozen", data: ["a.ts": "1"])
            configMap["immutable"] = true
            _ = try await http.post(Fixture.configMaps, configMap)
            let reply = try await http.send("PATCH", Fixture.configMaps + "/frozen", json: ["immutable": .null, "binaryData": ["b": "AA=="]],
                                            contentType: "application/merge-patch+json")
            #expect(reply.status == 422)
            #expect(reply.message == "ConfigMap \"frozen\" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, binaryData: Forbidden: field is immutable when `immutable` is set]")
        }
    }

    @Test func anApplyToAnImmutableSecretIsRefusedToo() async throws {
        try await withServer { _, http in
            let secret: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "immutable": true, "data": ["k": "MQ=="]]
            _ = try await http.apply(Fixture.secrets + "/s", secret)
            var changed = secret
            changed["data"] = ["k": "Mg=="]
            let reply = try await http.apply(Fixture.secrets + "/s", changed)
            #expect(reply.status == 422)
            #expect(reply.message == "Secret \"s\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
        }
    }
}
