import Foundation
import KubeTestServer
import Testing

/// `deployments/scale` as `kubectl scale` and the HorizontalPodAutoscaler use it, and what it does to ownership.
@Suite struct ScaleTests {
    let path = Fixture.deployments + "/hello"
    var scale: String { path + "/scale" }

    @Test func getShowsTheAutoscalingV1View() async throws {
        try await withServer { server, http in
            let created = try await http.apply(path, Fixture.deployment("hello", replicas: 2)).json
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let reply = try await http.get(scale)
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Scale")
            #expect(reply.json["apiVersion"] == "autoscaling/v1")
            #expect(reply.json.value(at: ["metadata", "uid"]) == created.value(at: ["metadata", "uid"]))
            #expect(reply.json["spec"] == ["replicas": 2])
            #expect(reply.json["status"] == ["replicas": 2, "selector": "app.kubernetes.io/name=hello"])
        }
    }

    @Test func aMergePatchRecordsAnUpdateManagerThroughTheSubresource() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let reply = try await http.send("PATCH", scale, json: ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(reply.status == 200)
            #expect(reply.json["spec"] == ["replicas": 3])
            let stored = try #require(server.object(.deployments, namespace: "default", name: "hello"))
            #expect(stored.value(at: ["spec", "replicas"]) == 3)
            #expect(stored.value(at: ["metadata", "generation"]) == 2)
            let entries = stored.value(at: ["metadata", "managedFields"])?.array ?? []
            let scaler = try #require(entries.first { $0["subresource"] == "scale" })
            #expect(scaler["manager"] == "kube-test-client")
            #expect(scaler["operation"] == "Update")
            #expect(scaler["apiVersion"] == "apps/v1")
            #expect(scaler["fieldsV1"] == ["f:spec": ["f:replicas": .object([:])]])
            let applier = entries.first { $0["manager"] == "pipedreamer" }
            #expect(applier?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == nil)
        }
    }

    @Test func anApplyOfOtherReplicasThenConflictsWithTheScaler() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await http.send("PATCH", scale + "?fieldManager=kubectl-scale", json: ["spec": ["replicas": 3]],
                                    contentType: "application/merge-patch+json")
            let reply = try await http.apply(path, Fixture.deployment("hello"))
            #expect(reply.status == 409)
            #expect(reply.message == #"Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas"#)
            #expect(reply.json.value(at: ["details", "causes"]) == [["reason": "FieldManagerConflict",
                                                                     "message": #"conflict with "kubectl-scale" with subresource "scale" using apps/v1"#,
                                                                     "field": ".spec.replicas"]])
        }
    }

    @Test func aForcedApplyTakesReplicasBack() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await http.send("PATCH", scale + "?fieldManager=kubectl-scale", json: ["spec": ["replicas": 3]],
                                    contentType: "application/merge-patch+json")
            let reply = try await http.apply(path, Fixture.deployment("hello"), force: true)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "replicas"]) == 1)
            let entries = reply.json.value(at: ["metadata", "managedFields"])?.array ?? []
            #expect(!entries.contains { $0["manager"] == "kubectl-scale" })
            let applier = entries.first { $0["manager"] == "pipedreamer" }
            #expect(applier?.value(at: ["fieldsV1", "f:spec", "f:replicas"]) == .object([:]))
        }
    }

    @Test func anApplyToTheScaleConflictsWithTheDeploymentsApplierUnlessForced() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let body: JSON = ["apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": ["name": "hello"], "spec": ["replicas": 4]]
            let refused = try await http.apply(scale, body, manager: "autoscaler")
            #expect(refused.status == 409)
            #expect(refused.message == #"Apply failed with 1 conflict: conflict with "pipedreamer": .spec.replicas"#)
            let forced = try await http.apply(scale, body, manager: "autoscaler", force: true)
            #expect(forced.status == 200)
            #expect(forced.json["spec"] == ["replicas": 4])
            let entries = server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["metadata", "managedFields"])?.array ?? []
            let autoscaler = entries.first { $0["manager"] == "autoscaler" }
            #expect(autoscaler?["operation"] == "Apply")
            #expect(autoscaler?["subresource"] == "scale")
            #expect(autoscaler?["fieldsV1"] == ["f:spec": ["f:replicas": .object([:])]])
            let again = try await http.apply(path, Fixture.deployment("hello"))
            #expect(again.message == #"Apply failed with 1 conflict: conflict with "autoscaler" with subresource "scale": .spec.replicas"#)
        }
    }

    @Test func negativeReplicasAreInvalid() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let body: JSON = ["apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": ["name": "hello"], "spec": ["replicas": -1]]
            let reply = try await http.put(scale, body)
            #expect(reply.status == 422)
            #expect(reply.message == #"Scale.autoscaling "hello" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"#)
        }
    }

    @Test func aPutFromAStaleVersionConflictsOnTheDeployment() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            var body = try await http.get(scale).json
            body.set(["spec", "replicas"], 2)
            #expect(try await http.put(scale, body).status == 200)
            let reply = try await http.put(scale, body)
            #expect(reply.status == 409)
            #expect(reply.message == #"Operation cannot be fulfilled on deployments.apps "hello": the object has been modified; please apply your changes to the latest version and try again"#)
        }
    }

    @Test func discoveryNamesTheScaleGroupVersion() async throws {
        try await withServer { _, http in
            let resources = try await http.get("/apis/apps/v1").json["resources"]?.array
            let entry = resources?.first { $0["name"] == "deployments/scale" }
            #expect(entry?["group"] == "autoscaling")
            #expect(entry?["version"] == "v1")
            #expect(entry?["kind"] == "Scale")
        }
    }
}
