import Foundation
import KubeTestServer
import Testing

/// OpenAPI v3 documents, YAML and protobuf request bodies, and the Deployment generation rules, as
/// kube-apiserver v1.32 answers them.
@Suite struct WireFormatTests {
    // MARK: OpenAPI v3

    /// `/openapi/v3` lists every served group version with a `?hash=` URL (upper-case hex SHA-512).
    @Test func openAPIDiscoveryNamesEachGroupVersionWithItsHash() async throws {
        try await withServer { _, http in
            let reply = try await http.get("/openapi/v3")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "application/json")
            let paths = try #require(reply.json["paths"]?.object)
            #expect(Set(paths.keys) == ["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/coordination.k8s.io/v1",
                                        "apis/node.k8s.io/v1", "apis/authorization.k8s.io/v1"])
            let url = try #require(paths["apis/apps/v1"]?["serverRelativeURL"]?.string)
            #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
            let hash = String(url.dropFirst("/openapi/v3/apis/apps/v1?hash=".count))
            #expect(hash.count == 128 && hash.allSatisfy { "0123456789ABCDEF".contains($0) })

            let document = try await http.get(url)
            #expect(document.status == 200)
            #expect(document.header("Etag") == "\"\(hash)\"")
            #expect(document.header("Cache-Control") == "public, immutable")
            #expect(document.json["openapi"] == "3.0.0")
        }
    }

    /// What kubectl's `queryParamVerifierV3` and apply patcher read: a PATCH of the kind with `fieldValidation`
    /// and the strategic merge patch type; the scale subresource as autoscaling/v1 Scale.
    @Test func theAppsDocumentDescribesTheDeploymentOperationsServed() async throws {
        try await withServer { _, http in
            let document = try await http.get("/openapi/v3/apis/apps/v1").json
            let item = try #require(document.value(at: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]))
            let patch = try #require(item["patch"])
            #expect(patch["x-kubernetes-group-version-kind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
            #expect(patch["x-kubernetes-action"] == "patch")
            #expect(patch["operationId"] == "patchAppsV1NamespacedDeployment")
            let names = (patch["parameters"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(names == ["dryRun", "fieldManager", "fieldValidation", "force"])
            #expect(Set(patch.value(at: ["requestBody", "content"])?.object?.keys.map { $0 } ?? []) == [
                "application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml"])
            #expect(Set(item.object?.keys.map { $0 } ?? []) == ["parameters", "get", "put", "patch", "delete"])

            let scale = try #require(document.value(at: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]))
            #expect(scale.value(at: ["patch", "x-kubernetes-group-version-kind"]) == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
            // ReplicaSets are read-only here: no write operation is claimed.
            let replicaSet = try #require(document.value(at: ["paths", "/apis/apps/v1/namespaces/{namespace}/replicasets/{name}"]))
            #expect(Set(replicaSet.object?.keys.map { $0 } ?? []) == ["parameters", "get"])
            #expect(document.value(at: ["components", "schemas"])?.object?.keys.map { $0 } == ["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"])
        }
    }

    @Test func theOpenAPIDocumentAnswersAsHandler3() async throws {
        try await withServer { _, http in
            let stale = try await http.get("/openapi/v3/apis/coordination.k8s.io/v1?hash=0123")
            // URLSession follows the 301 to the current hash.
            #expect(stale.status == 200)
            #expect(stale.json.value(at: ["paths", "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}", "patch",
                                          "x-kubernetes-group-version-kind", "kind"]) == "Lease")
            let etag = try #require(stale.header("Etag"))
            let again = try await http.send("GET", "/openapi/v3/apis/coordination.k8s.io/v1", headers: ["If-None-Match": etag])
            #expect(again.status == 304)
            let protobufOnly = try await http.send("GET", "/openapi/v3/api/v1",
                                                   headers: ["Accept": "application/com.github.proto-openapi.spec.v3.v1.0+protobuf"])
            #expect(protobufOnly.status == 406)
            let unknown = try await http.get("/openapi/v3/apis/example.com/v1")
            #expect(unknown.status == 404)
            #expect(unknown.reason == "NotFound")
            #expect(unknown.message == "the server could not find the requested resource")
        }
    }

    // MARK: YAML bodies

    @Test func aYAMLBodyCreatesAndUpdatesAsJSONWould() async throws {
        try await withServer { server, http in
            let yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: fast
                  count: "3"

                """
            let created = try await http.send("POST", Fixture.configMaps, raw: Data(yaml.utf8), contentType: "application/yaml")
            #expect(created.status == 201)
            #expect(created.json["data"] == ["mode": "fast", "count": "3"])
            let version = try #require(created.json.value(at: ["metadata", "resourceVersion"])?.string)
            let update = yaml.replacingOccurrences(of: "mode: fast", with: "mode: slow")
                .replacingOccurrences(of: "  name: settings", with: "  name: settings\n  resourceVersion: \"\(version)\"")
            let updated = try await http.send("PUT", Fixture.configMaps + "/settings", raw: Data(update.utf8), contentType: "application/yaml")
            #expect(updated.status == 200)
            #expect(server.object(.configMaps, namespace: "default", name: "settings")?.value(at: ["data", "mode"]) == "slow")
            let manager = server.object(.configMaps, namespace: "default", name: "settings")?
                .value(at: ["metadata", "managedFields"])?.array?.first?["manager"]
            #expect(manager == "kube-test-client")
        }
    }

    @Test func aNonObjectYAMLBodyIsRefusedAsTheDecoderRefusesIt() async throws {
        try await withServer { _, http in
            let reply = try await http.send("POST", Fixture.configMaps, raw: Data("- a\n- b\n".utf8), contentType: "application/yaml")
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            let text = try await http.send("POST", Fixture.configMaps, raw: Data("name: x".utf8), contentType: "text/plain")
            #expect(text.status == 415)
            #expect(text.reason == "UnsupportedMediaType")
            #expect(text.message == "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
    }

    // MARK: Protobuf bodies

    /// `kubectl auth can-i` sends its review as protobuf and accepts JSON: the answer is JSON.
    @Test func aProtobufAccessReviewIsAnsweredInJSON() async throws {
        try await withServer { server, http in
            let body = ProtobufFixture.selfSubjectAccessReview(namespace: "default", verb: "patch", group: "apps", resource: "deployments")
            let reply = try await http.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", raw: body,
                                            contentType: "application/vnd.kubernetes.protobuf",
                                            headers: ["Accept": "application/vnd.kubernetes.protobuf,application/json"])
            #expect(reply.status == 201)
            #expect(reply.header("Content-Type") == "application/json")
            #expect(reply.json["kind"] == "SelfSubjectAccessReview")
            #expect(reply.json.value(at: ["spec", "resourceAttributes"]) == ["namespace": "default", "verb": "patch", "group": "apps", "resource": "deployments"])
            #expect(reply.json.value(at: ["status", "allowed"]) == true)

            server.setPolicy(.only([AccessRule(verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"])]))
            let denied = try await http.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", raw: body,
                                             contentType: "application/vnd.kubernetes.protobuf")
            #expect(denied.status == 201)
            #expect(denied.json.value(at: ["status", "allowed"]) == false)
        }
    }

    @Test func protobufWithoutTheEnvelopeIsRefusedAsTheSerializerRefusesIt() async throws {
        try await withServer { _, http in
            let reply = try await http.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", raw: Data([0x0a, 0x02, 0x68, 0x69]),
                                            contentType: "application/vnd.kubernetes.protobuf")
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == "the object provided is unrecognized (must be of type SelfSubjectAccessReview): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (0a026869)")
        }
    }

    /// A ConfigMap as `kubectl create configmap` sends it: metadata, string data and binary data (bytes).
    @Test func aProtobufConfigMapIsCreated() async throws {
        try await withServer { server, http in
            typealias P = ProtobufFixture
            let metadata = P.string(1, "settings") + P.string(2, "") + P.string(3, "")
                + P.field(11, P.string(1, "team") + P.string(2, "payments"))
            let raw = P.field(1, metadata) + P.field(2, P.string(1, "mode") + P.string(2, "fast"))
                + P.field(3, P.string(1, "blob") + P.field(2, Data([0, 1, 2])))
            let reply = try await http.send("POST", Fixture.configMaps, raw: P.envelope(apiVersion: "v1", kind: "ConfigMap", raw: raw),
                                            contentType: "application/vnd.kubernetes.protobuf")
            #expect(reply.status == 201)
            let stored = try #require(server.object(.configMaps, namespace: "default", name: "settings"))
            #expect(stored["data"] == ["mode": "fast"])
            #expect(stored["binaryData"] == ["blob": "AAEC"])
            #expect(stored.value(at: ["metadata", "labels"]) == ["team": "payments"])
        }
    }

    /// Protobuf for kinds whose messages are not modelled is answered as a path this server does not serve.
    @Test func aProtobufBodyOfAnUnmodelledKindIsNotFound() async throws {
        try await withServer { server, http in
            let body = ProtobufFixture.envelope(apiVersion: "apps/v1", kind: "Deployment", raw: ProtobufFixture.field(1, ProtobufFixture.string(1, "x")))
            let reply = try await http.send("POST", Fixture.deployments, raw: body, contentType: "application/vnd.kubernetes.protobuf")
            #expect(reply.status == 404)
            #expect(reply.reason == "NotFound")
            #expect(reply.message == "the server could not find the requested resource")
            #expect(server.object(.deployments, namespace: "default", name: "x") == nil)
        }
    }

    // MARK: Deployment generation

    /// strategy.go `PrepareForUpdate`: annotations changes bump the generation; the controller's revision
    /// annotation, written through the status subresource, does not.
    @Test func annotationChangesBumpADeploymentsGeneration() async throws {
        try await withServer(KubeTestServer.Configuration(rolloutDelayMilliseconds: 5)) { server, http in
            _ = try await http.apply(Fixture.deployments + "/hello", Fixture.deployment("hello"))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let rolledOut = try #require(server.object(.deployments, namespace: "default", name: "hello"))
            #expect(rolledOut.value(at: ["metadata", "generation"]) == 1)
            #expect(rolledOut.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "1")
            let statusEntry = rolledOut.value(at: ["metadata", "managedFields"])?.array?.first {
                $0["manager"] == "kube-controller-manager" && $0["subresource"] == "status"
            }
            #expect(statusEntry?.value(at: ["fieldsV1", "f:metadata", "f:annotations", "f:deployment.kubernetes.io/revision"]) != nil)

            let patched = try await http.send("PATCH", Fixture.deployments + "/hello",
                                              json: ["metadata": ["annotations": ["team": "payments"]]],
                                              contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json.value(at: ["metadata", "generation"]) == 2)
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            // The controller copies the annotation to the current ReplicaSet; no new rollout.
            let sets = try await http.get(Fixture.replicaSets).json["items"]?.array ?? []
            #expect(sets.count == 1)
            #expect(sets.first?.value(at: ["metadata", "annotations", "team"]) == "payments")
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)

            let labelOnly = try await http.send("PATCH", Fixture.deployments + "/hello",
                                                json: ["metadata": ["labels": ["tier": "web"]]],
                                                contentType: "application/merge-patch+json")
            #expect(labelOnly.json.value(at: ["metadata", "generation"]) == 2)
        }
    }
}

/// Protobuf messages built field by field, as the generated Go marshallers write them.
enum ProtobufFixture {
    static func varint(_ value: UInt64) -> Data {
        var value = value
        var bytes = Data()
        repeat {
            var byte = UInt8(value & 0x7f)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    /// A length-delimited field.
    static func field(_ number: UInt64, _ payload: Data) -> Data {
        varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload
    }

    static func string(_ number: UInt64, _ text: String) -> Data { field(number, Data(text.utf8)) }

    /// `k8s\0` and a runtime.Unknown with TypeMeta and raw.
    static func envelope(apiVersion: String, kind: String, raw: Data) -> Data {
        Data([0x6b, 0x38, 0x73, 0x00]) + field(1, string(1, apiVersion) + string(2, kind)) + field(2, raw)
            + string(3, "") + string(4, "")
    }

    static func selfSubjectAccessReview(namespace: String, verb: String, group: String, resource: String) -> Data {
        let attributes = string(1, namespace) + string(2, verb) + string(3, group) + string(4, "") + string(5, resource)
            + string(6, "") + string(7, "")
        let review = field(1, Data()) + field(2, field(1, attributes)) + field(3, varint(1 << 3) + varint(0))
        return envelope(apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", raw: review)
    }
}
