import Foundation
import KubeTestServer
import Testing

/// Strategic-merge restarts, generation bookkeeping and the simulated deployment controller.
@Suite struct RolloutTests {
    let path = Fixture.deployments + "/hello"
    let restart: JSON = ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": "abc123"]]]]]

    @Test func restartPatchBumpsGenerationAndRolloutsOnce() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
            let reply = try await http.strategicPatch(path, restart)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["metadata", "generation"]) == 2)
            #expect(reply.json.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]) == "abc123")
            #expect(reply.json.value(at: ["spec", "template", "spec", "containers"])?.array?.count == 1)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    @Test func repeatingTheRestartPatchChangesNothing() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await http.strategicPatch(path, restart)
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let before = try await http.get(path)
            let second = try await http.strategicPatch(path, restart)
            #expect(second.json.value(at: ["metadata", "resourceVersion"]) == before.json.value(at: ["metadata", "resourceVersion"]))
            #expect(second.json.value(at: ["metadata", "generation"]) == 2)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    @Test func reapplyingWithoutTheRestartAnnotationKeepsIt() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"), force: true)
            _ = try await http.send("PATCH", path + "?fieldManager=pipedreamer", json: restart,
                                    contentType: "application/strategic-merge-patch+json")
            let reply = try await http.apply(path, Fixture.deployment("hello"), force: true)
            #expect(reply.json.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]) == "abc123")
            #expect(reply.json.value(at: ["metadata", "generation"]) == 2)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    /// strategy.go `PrepareForUpdate`: a label change keeps the generation, an annotation change bumps it
    /// (annotations are copied to the ReplicaSets) without a new rollout.
    @Test func labelChangeKeepsGenerationAndAnnotationChangeBumpsIt() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let labelled = try await http.strategicPatch(path, ["metadata": ["labels": ["tier": "web"]]])
            #expect(labelled.json.value(at: ["metadata", "generation"]) == 1)
            let reply = try await http.strategicPatch(path, ["metadata": ["annotations": ["pipedreamer.dev/commit": "abc"]]])
            #expect(reply.json.value(at: ["metadata", "generation"]) == 2)
            #expect(reply.json.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"]) == "abc")
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
        }
    }

    @Test func controllerReportsACompletedRollout() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello", replicas: 2))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let status = try await http.get(path + "/status").json["status"]
            #expect(status?["observedGeneration"] == 1)
            #expect(status?["updatedReplicas"] == 2)
            #expect(status?["readyReplicas"] == 2)
            #expect(status?["availableReplicas"] == 2)
            let progressing = status?["conditions"]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["status"] == "True")
            #expect(progressing?["reason"] == "NewReplicaSetAvailable")
        }
    }

    @Test func aDeploymentThatNeverBecomesAvailableTimesOut() async throws {
        try await withServer { server, http in
            server.setNeverAvailable(namespace: "default", name: "hello")
            _ = try await http.apply(path, Fixture.deployment("hello"))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            let status = try await http.get(path).json["status"]
            let progressing = status?["conditions"]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["status"] == "False")
            #expect(progressing?["reason"] == "ProgressDeadlineExceeded")
            #expect(progressing?["message"]?.string?.hasPrefix("ReplicaSet \"hello-") == true)
            #expect(progressing?["message"]?.string?.hasSuffix("\" has timed out progressing.") == true)
            #expect(status?["availableReplicas"] == nil)
        }
    }

    @Test func aStuckRolloutCompletesOnceItsPodsBecomeAvailable() async throws {
        try await withServer { server, http in
            server.setNeverAvailable(namespace: "default", name: "hello")
            _ = try await http.apply(path, Fixture.deployment("hello"))
            #expect(await server.waitForRollout(namespace: "default", name: "hello"))
            server.setNeverAvailable(namespace: "default", name: "hello", false)
            var status = try await http.get(path).json["status"]
            for _ in 0..<200 where status?["availableReplicas"] == nil {
                try await Task.sleep(nanoseconds: 10_000_000)
                status = try await http.get(path).json["status"]
            }
            let progressing = status?["conditions"]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["reason"] == "NewReplicaSetAvailable")
            #expect(status?["availableReplicas"] == 1)
            #expect(status?["observedGeneration"] == 1)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
        }
    }

    @Test func mergePatchReplacesLists() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let patch: JSON = ["spec": ["template": ["spec": ["containers": [["name": "engine", "image": "engine:9"]]]]]]
            let reply = try await http.send("PATCH", path, json: patch, contentType: "application/merge-patch+json")
            // The patched list is decoded again, so its one container gets SetDefaults_Container's fields (and no ports).
            #expect(reply.json.value(at: ["spec", "template", "spec", "containers"]) == [["name": "engine", "image": "engine:9",
                "imagePullPolicy": "IfNotPresent", "resources": .object([:]), "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"]])
        }
    }

    @Test func jsonPatchReplacesAField() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            let patch: JSON = [["op": "replace", "path": "/spec/replicas", "value": 4]]
            let reply = try await http.send("PATCH", path, json: patch, contentType: "application/json-patch+json")
            #expect(reply.json.value(at: ["spec", "replicas"]) == 4)
        }
    }
}
