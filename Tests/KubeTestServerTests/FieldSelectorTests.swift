import Foundation
import KubeTestServer
import Testing

/// `fieldSelector` accepts the labels of each kind's conversion function (pkg/apis/core/v1/conversion.go) or,
/// for kinds without one, apimachinery's `DefaultMetaV1FieldSelectorConversion`; the list handler answers an
/// unsupported label with 400 and the function's error (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go).
@Suite struct FieldSelectorTests {
    @Test func aConfigMapSelectorOnSpecIsRefusedWithTheDefaultConversionsWording() async throws {
        try await withServer { _, http in
            let reply = try await http.get(Fixture.configMaps + "?fieldSelector=spec.foo%3Dx")
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == #""spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace""#)
        }
    }

    @Test func aSecretSelectorOnAnUnsupportedLabelIsRefusedAsNotSupported() async throws {
        try await withServer { _, http in
            let reply = try await http.get(Fixture.secrets + "?fieldSelector=spec.foo%3Dx")
            #expect(reply.status == 400)
            #expect(reply.message == "field label not supported: spec.foo")
        }
    }

    @Test func aNamespaceSelectorOnMetadataNamespaceIsNotSupported() async throws {
        try await withServer { _, http in
            let reply = try await http.get("/api/v1/namespaces?fieldSelector=metadata.namespace%3Ddefault")
            #expect(reply.status == 400)
            #expect(reply.message == "field label not supported: metadata.namespace")
        }
    }

    @Test func secretsAreSelectedByType() async throws {
        try await withServer { _, http in
            let opaque: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "plain"], "data": [:]]
            var tls = opaque
            tls.set(["metadata", "name"], "cert")
            tls["type"] = "kubernetes.io/basic-auth"
            #expect(try await http.post(Fixture.secrets, opaque).status == 201)
            #expect(try await http.post(Fixture.secrets, tls).status == 201)
            let reply = try await http.get(Fixture.secrets + "?fieldSelector=type%3DOpaque")
            #expect(reply.status == 200)
            #expect(reply.json["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } == ["plain"])
        }
    }

    @Test func servicesAreSelectedBySpecType() async throws {
        try await withServer { _, http in
            #expect(try await http.post(Fixture.services, Fixture.service("hello")).status == 201)
            let cluster = try await http.get(Fixture.services + "?fieldSelector=spec.type%3DClusterIP")
            #expect(cluster.json["items"]?.array?.count == 1)
            let nodePort = try await http.get(Fixture.services + "?fieldSelector=spec.type%3DNodePort")
            #expect(nodePort.json["items"]?.array?.count == 0)
        }
    }

    @Test func namespacesAreSelectedByPhase() async throws {
        try await withServer { _, http in
            let active = try await http.get("/api/v1/namespaces?fieldSelector=status.phase%3DActive")
            #expect(active.status == 200)
            #expect(active.json["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string }
                    == ["default", "kube-node-lease", "kube-public", "kube-system"])
            let terminating = try await http.get("/api/v1/namespaces?fieldSelector=status.phase%3DTerminating")
            #expect(terminating.json["items"]?.array?.count == 0)
        }
    }
}
