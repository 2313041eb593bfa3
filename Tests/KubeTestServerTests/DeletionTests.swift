import Foundation
import KubeTestServer
import Testing

/// DELETE as `Store.Delete` answers it (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go), with
/// the garbage collector's propagation (pkg/controller/garbagecollector/garbagecollector.go).
@Suite struct DeletionTests {
    let path = Fixture.deployments + "/hello"
    let selector = "?labelSelector=app.kubernetes.io%2Fname%3Dhello"

    func replicaSets(_ http: HTTP) async throws -> [JSON] {
        try await http.get(Fixture.replicaSets + selector).json["items"]?.array ?? []
    }

    func events(_ reply: Reply) -> [String] {
        reply.text.split(separator: "\n").compactMap { line in
            guard let event = try? JSON.parse(Data(line.utf8)) else { return nil }
            let object = event["object"] ?? .null
            let finalizers = (object.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
            return "\(event["type"]?.string ?? "") \(object["kind"]?.string ?? "") \(finalizers.joined(separator: ","))"
                .trimmingCharacters(in: .whitespaces)
        }
    }

    func deployed(_ server: KubeTestServer, _ http: HTTP) async throws -> String {
        _ = try await http.apply(path, Fixture.deployment("hello"))
        #expect(await server.waitForRollout(namespace: "default", name: "hello"))
        #expect(try await replicaSets(http).count == 1)
        return try await http.get(path).json.value(at: ["metadata", "resourceVersion"])?.string ?? ""
    }

    /// Background (the default of every kind here): deleted at once, answered by `finalizeDelete` with a Status.
    @Test func aBackgroundDeleteAnswersWithAStatusAndTheDependentsGo() async throws {
        try await withServer { server, http in
            _ = try await deployed(server, http)
            let reply = try await http.send("DELETE", path, json: ["propagationPolicy": "Background"])
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Status")
            #expect(reply.json["status"] == "Success")
            #expect(reply.json.value(at: ["details", "name"]) == "hello")
            #expect(reply.json.value(at: ["details", "kind"]) == "deployments")
            #expect(try await http.get(path).status == 404)
            #expect(try await replicaSets(http).isEmpty)
        }
    }

    /// `deletionFinalizersForGarbageCollection` adds `orphan`; `markAsDeleting` sets deletionTimestamp, a zero
    /// grace period and bumps the generation; the object, still there, is the answer. The collector then strips the
    /// owner reference from the ReplicaSet and removes the finalizer, which deletes the Deployment.
    @Test func anOrphanDeleteAnswersWithTheDeletingObjectAndLeavesTheDependents() async throws {
        try await withServer { server, http in
            let start = try await deployed(server, http)
            let reply = try await http.send("DELETE", path, json: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Orphan"])
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Deployment")
            #expect(reply.json.value(at: ["metadata", "finalizers"]) == ["orphan"])
            #expect(reply.json.value(at: ["metadata", "deletionTimestamp"])?.string != nil)
            #expect(reply.json.value(at: ["metadata", "deletionGracePeriodSeconds"]) == 0)
            #expect(reply.json.value(at: ["metadata", "generation"]) == 2)
            #expect(try await http.get(path).status == 404)
            let left = try await replicaSets(http)
            #expect(left.count == 1)
            #expect(left.first?.value(at: ["metadata", "ownerReferences"]) == nil)
            let watch = try await http.get(Fixture.deployments + "?watch=true&timeoutSeconds=1&resourceVersion=" + start)
            #expect(events(watch) == ["MODIFIED Deployment orphan", "DELETED Deployment orphan"])
        }
    }

    /// The deprecated `orphanDependents: true` asks for the same.
    @Test func orphanDependentsTrueOrphansToo() async throws {
        try await withServer { server, http in
            _ = try await deployed(server, http)
            let reply = try await http.send("DELETE", path, json: ["orphanDependents": true])
            #expect(reply.json.value(at: ["metadata", "finalizers"]) == ["orphan"])
            #expect(try await replicaSets(http).count == 1)
        }
    }

    /// Foreground: the answer is the Deployment with `foregroundDeletion`; the ReplicaSets go before it.
    @Test func aForegroundDeleteRemovesTheDependentsBeforeTheOwner() async throws {
        try await withServer { server, http in
            let start = try await deployed(server, http)
            let reply = try await http.send("DELETE", path + "?propagationPolicy=Foreground")
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Deployment")
            #expect(reply.json.value(at: ["metadata", "finalizers"]) == ["foregroundDeletion"])
            #expect(try await http.get(path).status == 404)
            #expect(try await replicaSets(http).isEmpty)
            let deployments = try await http.get(Fixture.deployments + "?watch=true&timeoutSeconds=1&resourceVersion=" + start)
            #expect(events(deployments) == ["MODIFIED Deployment foregroundDeletion", "DELETED Deployment foregroundDeletion"])
            let sets = try await http.get(Fixture.replicaSets + "?watch=true&timeoutSeconds=1&resourceVersion=" + start)
            #expect(events(sets).last == "DELETED ReplicaSet")
        }
    }

    /// A Service's store sets `ReturnDeletedObject` (pkg/registry/core/service/storage/storage.go): the answer is
    /// the Service, not a Status.
    @Test func aDeletedServiceIsAnsweredWithTheService() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.services, Fixture.service("web"))
            let reply = try await http.delete(Fixture.services + "/web")
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "Service")
            #expect(reply.json.value(at: ["metadata", "name"]) == "web")
            let configMap = try await http.post(Fixture.configMaps, Fixture.configMap("code"))
            #expect(configMap.status == 201)
            #expect(try await http.delete(Fixture.configMaps + "/code").json["kind"] == "Status")
        }
    }

    /// An object with a finalizer of its own stays, deleting, until an update removes the last finalizer; that
    /// update deletes it and is answered as a delete (`shouldDeleteDuringUpdate`, `deleteWithoutFinalizers`).
    @Test func aFinalizerKeepsTheObjectUntilAnUpdateRemovesIt() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("code")
            object.set(["metadata", "finalizers"], ["example.com/keep"])
            _ = try await http.post(Fixture.configMaps, object)
            let reply = try await http.delete(Fixture.configMaps + "/code")
            #expect(reply.json["kind"] == "ConfigMap")
            #expect(reply.json.value(at: ["metadata", "deletionTimestamp"])?.string != nil)
            // ConfigMaps carry no generation, so markAsDeleting adds none.
            #expect(reply.json.value(at: ["metadata", "generation"]) == nil)
            let still = try await http.get(Fixture.configMaps + "/code")
            #expect(still.status == 200)
            // A label change keeps it deleting (rest.BeforeUpdate keeps deletionTimestamp).
            let labelled = try await http.strategicPatch(Fixture.configMaps + "/code", ["metadata": ["labels": ["a": "b"]]])
            #expect(labelled.json.value(at: ["metadata", "deletionTimestamp"]) == reply.json.value(at: ["metadata", "deletionTimestamp"]))
            let released = try await http.send("PATCH", Fixture.configMaps + "/code", json: ["metadata": ["finalizers": .null]],
                                               contentType: "application/merge-patch+json")
            #expect(released.status == 200)
            #expect(released.json["kind"] == "Status")
            #expect(released.json["status"] == "Success")
            #expect(try await http.get(Fixture.configMaps + "/code").status == 404)
        }
    }

    @Test func aDryRunDeleteChangesNothing() async throws {
        try await withServer { server, http in
            _ = try await deployed(server, http)
            let reply = try await http.send("DELETE", path + "?dryRun=All", json: ["propagationPolicy": "Foreground"])
            #expect(reply.json.value(at: ["metadata", "finalizers"]) == ["foregroundDeletion"])
            let live = try await http.get(path)
            #expect(live.json.value(at: ["metadata", "deletionTimestamp"]) == nil)
            #expect(try await replicaSets(http).count == 1)
        }
    }

    /// `ValidateDeleteOptions` (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go).
    @Test func deleteOptionsAreValidated() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("code"))
            let unknown = try await http.send("DELETE", Fixture.configMaps + "/code", json: ["propagationPolicy": "Sideways"])
            #expect(unknown.status == 422)
            #expect(unknown.message == #"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil""#)
            let both = try await http.send("DELETE", Fixture.configMaps + "/code", json: ["propagationPolicy": "Orphan", "orphanDependents": true])
            #expect(both.status == 422)
            #expect(both.message?.hasSuffix("orphanDependents and deletionPropagation cannot be both set") == true)
            #expect(try await http.get(Fixture.configMaps + "/code").status == 200)
        }
    }
}
