import Foundation
import KubeTestServer
import Testing

/// Server-side apply: creation, no-op, ownership, conflicts and force.
@Suite struct ApplyTests {
    let path = Fixture.configMaps + "/hello-code"

    @Test func applyCreatesAMissingObject() async throws {
        try await withServer { server, http in
            let reply = try await http.apply(path, Fixture.configMap("hello-code"))
            #expect(reply.status == 201)
            let stored = server.object(.configMaps, namespace: "default", name: "hello-code")
            #expect(stored?.value(at: ["data", "workflow.yaml"]) == "name: hello\n")
            let managed = stored?.value(at: ["metadata", "managedFields"])?.array?.first
            #expect(managed?["manager"] == "pipedreamer")
            #expect(managed?["operation"] == "Apply")
            #expect(managed?.value(at: ["fieldsV1", "f:data", "f:workflow.yaml"]) == .object([:]))
        }
    }

    @Test func anApplyBodyWithARawControlCharacterIsRefusedAsTheYAMLReaderRefusesIt() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "const d = \"\u{7F}\";\n"]))
            #expect(reply.status == 400)
            #expect(reply.message == "error converting YAML to JSON: yaml: control characters are not allowed")
        }
    }

    @Test func applyWithoutFieldManagerIsInvalid() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(path, Fixture.configMap("hello-code"), manager: nil)
            #expect(reply.status == 422)
            #expect(reply.message == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#)
        }
    }

    @Test func repeatingAnApplyKeepsTheResourceVersion() async throws {
        try await withServer { _, http in
            let first = try await http.apply(path, Fixture.configMap("hello-code"))
            let second = try await http.apply(path, Fixture.configMap("hello-code"))
            #expect(second.status == 200)
            #expect(second.json.value(at: ["metadata", "resourceVersion"]) == first.json.value(at: ["metadata", "resourceVersion"]))
        }
    }

    @Test func fieldsAManagerStopsApplyingAreRemoved() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1", "b.ts": "2"]))
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1"]))
            #expect(reply.json["data"] == ["a.ts": "1"])
        }
    }

    @Test func fieldsAnotherManagerOwnsStay() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1", "b.ts": "2"]))
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["b.ts": "2"]), manager: "other")
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1"]))
            #expect(reply.json["data"] == ["a.ts": "1", "b.ts": "2"])
        }
    }

    @Test func changingAnotherManagersFieldConflicts() async throws {
        try await withServer { _, http in
            let deployment = Fixture.deployments + "/hello"
            _ = try await http.post(Fixture.deployments + "?fieldManager=kubectl-client-side-apply", Fixture.deployment("hello"))
            let reply = try await http.apply(deployment, Fixture.deployment("hello", replicas: 3))
            #expect(reply.status == 409)
            #expect(reply.reason == "Conflict")
            #expect(reply.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
            let cause = reply.json.value(at: ["details", "causes"])?.array?.first
            #expect(cause == ["reason": "FieldManagerConflict", "message": #"conflict with "kubectl-client-side-apply" using apps/v1"#, "field": ".spec.replicas"])
        }
    }

    @Test func severalConflictsAreListedPerManager() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1", "b.ts": "2"]), manager: "first")
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "x", "b.ts": "y"]))
            #expect(reply.message == "Apply failed with 2 conflicts: conflicts with \"first\":\n- .data.a.ts\n- .data.b.ts")
        }
    }

    @Test func forceTakesOwnership() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1"]), manager: "first")
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "2"]), force: true)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["data", "a.ts"]) == "2")
            let managers = server.object(.configMaps, namespace: "default", name: "hello-code")?
                .value(at: ["metadata", "managedFields"])?.array?.compactMap { $0["manager"]?.string }
            #expect(managers == ["pipedreamer"])
        }
    }

    @Test func applyingTheSameValueSharesOwnershipWithoutConflict() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1"]), manager: "first")
            let reply = try await http.apply(path, Fixture.configMap("hello-code", data: ["a.ts": "1"]))
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["metadata", "managedFields"])?.array?.count == 2)
        }
    }

    @Test func statusCannotBeSetThroughApply() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            object["status"] = ["replicas": 7]
            let reply = try await http.apply(Fixture.deployments + "/hello", object)
            #expect(reply.status == 201)
            // Nothing of it is kept; DeploymentStatus is a struct, so the answer carries it empty.
            #expect(reply.json["status"] == .object([:]))
        }
    }

    @Test func containersMergeByName() async throws {
        try await withServer { _, http in
            let deployment = Fixture.deployments + "/hello"
            _ = try await http.apply(deployment, Fixture.deployment("hello", image: "engine:1"))
            let reply = try await http.apply(deployment, Fixture.deployment("hello", image: "engine:2"))
            let containers = reply.json.value(at: ["spec", "template", "spec", "containers"])?.array
            #expect(containers?.count == 1)
            #expect(containers?.first?["image"] == "engine:2")
            #expect(reply.json.value(at: ["metadata", "generation"]) == 2)
        }
    }

    @Test func applyIntoAMissingNamespaceIsNotFound() async throws {
        try await withServer { _, http in
            let reply = try await http.apply("/api/v1/namespaces/nowhere/configmaps/x", Fixture.configMap("x"))
            #expect(reply.status == 404)
            #expect(reply.message == #"namespaces "nowhere" not found"#)
            #expect(reply.json["details"] == ["name": "nowhere", "kind": "namespaces"])
        }
    }

    @Test func aStaleResourceVersionInTheAppliedObjectConflicts() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code"))
            var stale = Fixture.configMap("hello-code", data: ["a.ts": "2"])
            stale.set(["metadata", "resourceVersion"], "1")
            let reply = try await http.apply(path, stale)
            #expect(reply.status == 409)
            #expect(reply.message == #"Operation cannot be fulfilled on configmaps "hello-code": the object has been modified; please apply your changes to the latest version and try again"#)
        }
    }

    @Test func anUnknownPatchTypeIsUnsupported() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.configMap("hello-code"))
            let reply = try await http.send("PATCH", path, json: ["data": ["a": "1"]], contentType: "application/yaml")
            #expect(reply.status == 415)
            #expect(reply.message == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
        }
    }

    @Test func aYAMLApplyBodyIsRead() async throws {
        try await withServer { server, http in
            let yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: hello-code
                  annotations:
                    pipedreamer.dev/commit: "0123"
                data:
                  workflow.yaml: |
                    name: hello
                  port: "8080"
                """
            let reply = try await http.send("PATCH", path + "?fieldManager=pipedreamer", raw: Data(yaml.utf8),
                                            contentType: "application/apply-patch+yaml")
            #expect(reply.status == 201)
            let stored = server.object(.configMaps, namespace: "default", name: "hello-code")
            #expect(stored?["data"] == ["workflow.yaml": "name: hello\n", "port": "8080"])
            #expect(stored?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"]) == "0123")
        }
    }
}

/// etcd's request limit: the stored object, managedFields included, must fit 1.5 MiB; a dry run never reaches etcd.
@Suite struct StoredObjectLimitTests {
    /// 6,000 keys of 200 characters: 12 KB of values, but each key is stored twice.
    static let data = Dictionary(uniqueKeysWithValues: (0..<6_000).map { index in
        (String(format: "k%04d", index) + String(repeating: "x", count: 195), JSON.string("v"))
    })

    @Test func anObjectOverTheStoredLimitIsRefusedAsEtcdRefusesIt() async throws {
        try await withServer { server, http in
            let path = Fixture.configMaps + "/many-code"
            let dryRun = try await http.apply(path, Fixture.configMap("many-code", data: Self.data), dryRun: true)
            #expect(dryRun.status == 201)
            let reply = try await http.apply(path, Fixture.configMap("many-code", data: Self.data))
            #expect(reply.status == 500)
            #expect(reply.message == "etcdserver: request is too large")
            #expect(server.object(.configMaps, namespace: "default", name: "many-code") == nil)
        }
    }
}
