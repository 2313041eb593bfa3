import Foundation
import KubeTestServer
import Testing

/// Ownership between appliers and Update managers (structured-merge-diff's rules as the apiserver's
/// fieldmanager runs them): who conflicts, who keeps a field, what an applier's omission removes.
@Suite struct FieldOwnershipTests {
    let path = Fixture.deployments + "/hello"

    func entry(_ object: JSON, _ manager: String) -> JSON? {
        object.value(at: ["metadata", "managedFields"])?.array?.first { $0["manager"]?.string == manager }
    }

    @Test func aForcedApplyTakesAFieldFromAnUpdateManager() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.deployments + "?fieldManager=kubectl-client-side-apply", Fixture.deployment("hello"))
            let reply = try await http.apply(path, Fixture.deployment("hello", replicas: 3), force: true)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "replicas"]) == 3)
            #expect(entry(reply.json, "kubectl-client-side-apply")?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == nil)
            #expect(entry(reply.json, "kubectl-client-side-apply")?.value(at: ["fieldsV1", "f:spec", "f:selector"]) != nil)
            #expect(entry(reply.json, "pipedreamer")?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == .object([:]))
        }
    }

    @Test func replicasAnApplierStopsSettingAreRemovedAndDefaulted() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello", replicas: 3))
            var withoutReplicas = Fixture.deployment("hello")
            withoutReplicas.set(["spec", "replicas"], nil)
            let reply = try await http.apply(path, withoutReplicas)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "replicas"]) == 1)
        }
    }

    @Test func replicasAScalerTookStayWhenTheApplierStopsSettingThem() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await http.send("PATCH", path + "/scale?fieldManager=kubectl-scale", json: ["spec": ["replicas": 5]],
                                    contentType: "application/merge-patch+json")
            var withoutReplicas = Fixture.deployment("hello", image: "engine:2")
            withoutReplicas.set(["spec", "replicas"], nil)
            let reply = try await http.apply(path, withoutReplicas)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "replicas"]) == 5)
            #expect(reply.json.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"] == "engine:2")
        }
    }

    @Test func aValueAnUpdaterChangedStaysWhenTheApplierDropsIt() async throws {
        try await withServer { _, http in
            let configMap = Fixture.configMaps + "/hello-code"
            let created = try await http.apply(configMap, Fixture.configMap("hello-code", data: ["a.ts": "1", "b.ts": "2"])).json
            var edited = created
            edited.set(["data", "b.ts"], "edited")
            #expect(try await http.send("PUT", configMap + "?fieldManager=kubectl-edit", json: edited).status == 200)
            let reply = try await http.apply(configMap, Fixture.configMap("hello-code", data: ["a.ts": "1"]))
            #expect(reply.json["data"] == ["a.ts": "1", "b.ts": "edited"])
            #expect(entry(reply.json, "kubectl-edit")?["fieldsV1"] == ["f:data": ["f:b.ts": .object([:])]])
        }
    }

    @Test func entriesListAppliersFirstThenUpdatersAndTheControllersStatus() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.deployments + "?fieldManager=kubectl-create", Fixture.deployment("hello"))
            #expect(try await http.apply(path, Fixture.deployment("hello", image: "engine:2"), force: true).status == 200)
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let entries = try await http.get(path).json.value(at: ["metadata", "managedFields"])?.array ?? []
            #expect(entries.first?["manager"] == "pipedreamer")
            #expect(entries.first?["operation"] == "Apply")
            #expect(entries.dropFirst().allSatisfy { $0["operation"] == "Update" })
            let status = try #require(entries.first { $0["subresource"] == "status" })
            #expect(status["manager"] == "kube-controller-manager")
            #expect(status.value(at: ["fieldsV1", "f:status", "f:observedGeneration"]) == .object([:]))
            #expect(status.value(at: ["fieldsV1", "f:status", "f:conditions", #"k:{"type":"Available"}"#, "f:reason"]) == .object([:]))
        }
    }

    @Test func applyingAnUpdatersValueSharesTheFieldWithoutConflict() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.deployments + "?fieldManager=kube-controller-manager", Fixture.deployment("hello", replicas: 2))
            let reply = try await http.apply(path, Fixture.deployment("hello", replicas: 2))
            #expect(reply.status == 200)
            #expect(entry(reply.json, "kube-controller-manager")?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == .object([:]))
            #expect(entry(reply.json, "pipedreamer")?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == .object([:]))
        }
    }
}
