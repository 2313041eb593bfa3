import Foundation
import KubeTestServer
import Testing

/// The ReplicaSets the deployment controller keeps for a Deployment: one per pod template, revisions,
/// scaling on rollout, history limit and garbage collection.
@Suite struct ReplicaSetTests {
    let path = Fixture.deployments + "/hello"
    let selector = "?labelSelector=app.kubernetes.io%2Fname%3Dhello"

    func restart(_ http: HTTP, _ stamp: String) async throws {
        let patch: JSON = ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(stamp)]]]]]
        #expect(try await http.strategicPatch(path, patch).status == 200)
    }

    func replicaSets(_ http: HTTP) async throws -> [JSON] {
        try await http.get(Fixture.replicaSets + selector).json["items"]?.array ?? []
    }

    /// Waits until the controller has seen the Deployment's generation and returns the ReplicaSets by revision.
    func settled(_ server: KubeTestServer, _ http: HTTP) async throws -> [JSON] {
        #expect(await server.waitForRollout(namespace: "default", name: "hello"))
        return try await replicaSets(http).sorted { revision($0) < revision($1) }
    }

    func revision(_ rs: JSON) -> Int {
        Int(rs.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"])?.string ?? "") ?? 0
    }

    @Test func aNewDeploymentGetsItsFirstReplicaSet() async throws {
        try await withServer { server, http in
            let deployment = try await http.apply(path, Fixture.deployment("hello", replicas: 2)).json
            let sets = try await settled(server, http)
            let rs = try #require(sets.first)
            #expect(sets.count == 1)
            let hash = try #require(rs.value(at: ["metadata", "labels", "pod-template-hash"])?.string)
            #expect(rs.value(at: ["metadata", "name"]) == .string("hello-\(hash)"))
            #expect(rs.value(at: ["metadata", "ownerReferences"]) == [["apiVersion": "apps/v1", "kind": "Deployment", "name": "hello",
                                                                       "uid": deployment.value(at: ["metadata", "uid"]) ?? .null,
                                                                       "controller": true, "blockOwnerDeletion": true]])
            #expect(rs.value(at: ["spec", "selector", "matchLabels"]) == ["app.kubernetes.io/name": "hello", "pod-template-hash": .string(hash)])
            #expect(rs.value(at: ["spec", "template", "metadata", "labels", "pod-template-hash"]) == .string(hash))
            #expect(rs.value(at: ["spec", "replicas"]) == 2)
            #expect(rs.value(at: ["status", "availableReplicas"]) == 2)
            #expect(revision(rs) == 1)
            let live = try await http.get(path).json
            #expect(live.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "1")
            // The controller stamps the revision with UpdateStatus: its `status` entry owns the annotation too.
            let managers = live.value(at: ["metadata", "managedFields"])?.array ?? []
            let manager = managers.first { $0["manager"] == "kube-controller-manager" }
            #expect(manager?["subresource"] == "status")
            // The annotations map is new, so its entry is marked `".": {}` (structured-merge-diff's Compare adds it).
            #expect(manager?.value(at: ["fieldsV1", "f:metadata"]) == ["f:annotations": [".": .object([:]), "f:deployment.kubernetes.io/revision": .object([:])]])
            #expect(managers.filter { $0["manager"] == "kube-controller-manager" }.count == 1)
            #expect(live.value(at: ["metadata", "generation"]) == 1)
        }
    }

    @Test func aTemplateChangeMakesANewReplicaSetAndScalesTheOldOneToZero() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello", replicas: 2))
            _ = try await settled(server, http)
            try await restart(http, "one")
            let sets = try await settled(server, http)
            #expect(sets.map(revision) == [1, 2])
            #expect(sets.map { $0.value(at: ["spec", "replicas"]) } == [0, 2])
            let status = try await http.get(path).json["status"]
            #expect(status?["updatedReplicas"] == 2)
            let progressing = status?["conditions"]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["reason"] == "NewReplicaSetAvailable")
            #expect(progressing?["message"] == .string("ReplicaSet \"\(sets[1].value(at: ["metadata", "name"])?.string ?? "")\" has successfully progressed."))
        }
    }

    @Test func returningToAnEarlierTemplateReusesItsReplicaSet() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello", image: "engine:1"))
            let first = try await settled(server, http)[0]
            _ = try await http.apply(path, Fixture.deployment("hello", image: "engine:2"))
            _ = try await settled(server, http)
            _ = try await http.apply(path, Fixture.deployment("hello", image: "engine:1"))
            let sets = try await settled(server, http)
            #expect(sets.count == 2)
            let reused = try #require(sets.last)
            #expect(reused.value(at: ["metadata", "name"]) == first.value(at: ["metadata", "name"]))
            #expect(revision(reused) == 3)
            #expect(reused.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision-history"]) == "1")
            #expect(try await http.get(path).json.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "3")
            #expect(server.rolloutCount(namespace: "default", name: "hello") == 2)
        }
    }

    @Test func aHeldRolloutShowsTheOldAndTheNewReplicaSetUp() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello", replicas: 4))
            _ = try await settled(server, http)
            server.setRolloutMode(namespace: "default", name: "hello", .hold)
            try await restart(http, "one")
            let sets = try await settled(server, http)
            // maxSurge 25% of 4 is 1 and maxUnavailable 1: one old pod goes, and the new ReplicaSet grows to
            // the surge limit of 5 pods while none of its pods is available.
            #expect(sets.map { $0.value(at: ["spec", "replicas"]) } == [3, 2])
            let status = try await http.get(path).json["status"]
            #expect(status?["replicas"] == 5)
            #expect(status?["updatedReplicas"] == 2)
            #expect(status?["availableReplicas"] == 3)
            #expect(status?["unavailableReplicas"] == 2)
            let progressing = status?["conditions"]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["reason"] == "ReplicaSetUpdated")
            server.setRolloutMode(namespace: "default", name: "hello", .complete)
            var done: [JSON] = []
            for _ in 0..<200 {
                done = try await replicaSets(http).sorted { revision($0) < revision($1) }
                if done.map({ $0.value(at: ["spec", "replicas"]) }) == [0, 4] { break }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            #expect(done.map { $0.value(at: ["spec", "replicas"]) } == [0, 4])
        }
    }

    @Test func oldReplicaSetsBeyondTheHistoryLimitAreDeletedOldestFirst() async throws {
        try await withServer { server, http in
            var deployment = Fixture.deployment("hello")
            deployment.set(["spec", "revisionHistoryLimit"], 1)
            _ = try await http.apply(path, deployment)
            _ = try await settled(server, http)
            for stamp in ["one", "two", "three"] {
                try await restart(http, stamp)
                _ = try await settled(server, http)
            }
            #expect(try await settled(server, http).map(revision) == [3, 4])
        }
    }

    @Test func deletingTheDeploymentCollectsItsReplicaSets() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await settled(server, http)
            try await restart(http, "one")
            #expect(try await settled(server, http).count == 2)
            #expect(try await http.delete(path).status == 200)
            #expect(try await replicaSets(http).isEmpty)
        }
    }

    @Test func anOrphaningDeleteLeavesTheReplicaSetsWithoutTheirOwner() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await settled(server, http)
            #expect(try await http.send("DELETE", path, json: ["propagationPolicy": "Orphan"]).status == 200)
            let left = try await replicaSets(http)
            #expect(left.count == 1)
            #expect(left.first?.value(at: ["metadata", "ownerReferences"]) == nil)
        }
    }

    @Test func listingReplicaSetsHonoursTheLabelSelector() async throws {
        try await withServer { server, http in
            _ = try await http.apply(path, Fixture.deployment("hello"))
            _ = try await http.apply(Fixture.deployments + "/other", Fixture.deployment("other"))
            _ = try await settled(server, http)
            #expect(await server.waitForRollout(namespace: "default", name: "other"))
            #expect(try await http.get(Fixture.replicaSets).json["items"]?.array?.count == 2)
            let mine = try await replicaSets(http)
            #expect(mine.compactMap { $0.value(at: ["metadata", "labels", "app.kubernetes.io/name"])?.string } == ["hello"])
        }
    }
}
