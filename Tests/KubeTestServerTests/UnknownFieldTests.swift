import Foundation
import KubeTestServer
import Testing

/// Fields a kind does not declare: `fieldValidation` decides for create, update and patch (handlers/create.go,
/// update.go, patch.go; absent means Warn), while an apply is refused by its typed conversion whatever it says.
@Suite struct UnknownFieldTests {
    func withTypo() -> JSON {
        var object = Fixture.deployment("hello")
        object.set(["spec", "replica"], 2)
        return object
    }

    @Test func strictRefusesAnUnknownFieldOnCreate() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.deployments + "?fieldValidation=Strict", withTypo())
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == #"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica""#)
            #expect(server.object(.deployments, namespace: "default", name: "hello") == nil)
        }
    }

    @Test func byDefaultTheFieldIsDroppedWithAWarning() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.deployments + "?fieldManager=kubectl-create", withTypo())
            #expect(reply.status == 201)
            #expect(reply.header("Warning") == #"299 - "unknown field \"spec.replica\"""#)
            #expect(reply.json.value(at: ["spec", "replica"]) == nil)
            let stored = server.object(.deployments, namespace: "default", name: "hello")
            #expect(stored?.value(at: ["spec", "replica"]) == nil)
            let owned = stored?.value(at: ["metadata", "managedFields"])?.array?
                .first { $0["manager"] == "kubectl-create" }?.value(at: ["fieldsV1", "f:spec"])
            #expect(owned?["f:replicas"] == .object([:]))
            #expect(owned?["f:replica"] == nil)
        }
    }

    @Test func ignoreDropsTheFieldSilently() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.deployments + "?fieldValidation=Ignore", withTypo())
            #expect(reply.status == 201)
            #expect(reply.header("Warning") == nil)
            #expect(server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["spec", "replica"]) == nil)
        }
    }

    @Test func aNestedUnknownFieldIsNamedByItsIndex() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            var containers = object.value(at: ["spec", "template", "spec", "containers"])?.array ?? []
            containers[0]["imagePolicy"] = "Always"
            object.set(["spec", "template", "spec", "containers"], .array(containers))
            let reply = try await http.post(Fixture.deployments + "?fieldValidation=Strict", object)
            #expect(reply.status == 400)
            #expect(reply.message == #"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy""#)
        }
    }

    @Test func strictRefusesAnUnknownFieldInAMergePatch() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.deployments, Fixture.deployment("hello"))
            let reply = try await http.send("PATCH", Fixture.deployments + "/hello?fieldValidation=Strict",
                                            json: ["spec": ["replica": 2]], contentType: "application/merge-patch+json")
            #expect(reply.status == 400)
            #expect(reply.message == #"strict decoding error: unknown field "spec.replica""#)
            let warned = try await http.send("PATCH", Fixture.deployments + "/hello",
                                             json: ["spec": ["replica": 2]], contentType: "application/merge-patch+json")
            #expect(warned.status == 200)
            #expect(warned.header("Warning") == #"299 - "unknown field \"spec.replica\"""#)
            #expect(server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["spec", "replica"]) == nil)
        }
    }

    @Test func anApplyWithAnUnknownFieldFailsWhateverTheValidation() async throws {
        try await withServer { server, http in
            for validation in ["", "?fieldValidation=Ignore", "?fieldValidation=Strict"] {
                let path = Fixture.deployments + "/hello" + validation + (validation.isEmpty ? "?" : "&") + "fieldManager=pipedreamer"
                let reply = try await http.send("PATCH", path, json: withTypo(), contentType: "application/apply-patch+yaml")
                #expect(reply.status == 500)
                #expect(reply.reason == nil)
                #expect(reply.message == "failed to create typed patch object (/hello; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema")
            }
            #expect(server.object(.deployments, namespace: "default", name: "hello") == nil)
        }
    }

    @Test func anUnknownFieldInAKeyedListItemIsNamedByItsKeyInAnApply() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            object.set(["metadata", "namespace"], "default")
            var containers = object.value(at: ["spec", "template", "spec", "containers"])?.array ?? []
            containers[0]["imagePolicy"] = "Always"
            object.set(["spec", "template", "spec", "containers"], .array(containers))
            let reply = try await http.apply(Fixture.deployments + "/hello", object)
            #expect(reply.status == 500)
            #expect(reply.message == #"failed to create typed patch object (default/hello; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="engine"].imagePolicy: field not declared in schema"#)
        }
    }
}
