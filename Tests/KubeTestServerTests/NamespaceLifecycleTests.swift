import Foundation
import KubeTestServer
import Testing

/// A deleted namespace, as pkg/registry/core/namespace/storage/storage.go and the NamespaceLifecycle admission
/// plugin (plugin/pkg/admission/namespace/lifecycle/admission.go) answer for it.
@Suite struct NamespaceLifecycleTests {
    static let namespace: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]]

    @Test func deletingANamespaceAnswersWithItTerminatingAndItsFinalizer() async throws {
        try await withServer { _, http in
            #expect(try await http.post("/api/v1/namespaces", Self.namespace).status == 201)
            let reply = try await http.delete("/api/v1/namespaces/team-a")
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Namespace")
            #expect(reply.json.value(at: ["status", "phase"]) == "Terminating")
            #expect(reply.json.value(at: ["spec", "finalizers"]) == ["kubernetes"])
            #expect(reply.json.value(at: ["metadata", "deletionTimestamp"])?.string?.hasSuffix("Z") == true)
            let again = try await http.get("/api/v1/namespaces/team-a")
            #expect(again.json.value(at: ["status", "phase"]) == "Terminating")
        }
    }

    @Test func aCreateInATerminatingNamespaceIsForbiddenWithTheLifecycleCause() async throws {
        try await withServer { _, http in
            #expect(try await http.post("/api/v1/namespaces", Self.namespace).status == 201)
            _ = try await http.delete("/api/v1/namespaces/team-a")
            let reply = try await http.post("/api/v1/namespaces/team-a/configmaps", Fixture.configMap("hello-code"))
            #expect(reply.status == 403)
            #expect(reply.reason == "Forbidden")
            #expect(reply.message == "configmaps \"hello-code\" is forbidden: unable to create new content in namespace team-a because it is being terminated")
            #expect(reply.json.value(at: ["details", "causes"]) == [["reason": "NamespaceTerminating",
                                                                     "message": "namespace team-a is being terminated",
                                                                     "field": "metadata.namespace"]])
            let applied = try await http.apply("/api/v1/namespaces/team-a/configmaps/hello-code", Fixture.configMap("hello-code"))
            #expect(applied.status == 403)
        }
    }

    @Test func theContentOfADeletedNamespaceIsRemoved() async throws {
        try await withServer { server, http in
            #expect(try await http.post("/api/v1/namespaces", Self.namespace).status == 201)
            #expect(try await http.post("/api/v1/namespaces/team-a/configmaps", Fixture.configMap("hello-code")).status == 201)
            _ = try await http.delete("/api/v1/namespaces/team-a")
            #expect(server.object(.configMaps, namespace: "team-a", name: "hello-code") == nil)
        }
    }

    @Test func theDefaultNamespaceMayNotBeDeleted() async throws {
        try await withServer { _, http in
            let reply = try await http.delete("/api/v1/namespaces/default")
            #expect(reply.status == 403)
            #expect(reply.message == #"namespaces "default" is forbidden: this namespace may not be deleted"#)
            #expect(try await http.get("/api/v1/namespaces/default").json.value(at: ["status", "phase"]) == "Active")
        }
    }
}
