import Foundation
import KubeTestServer
import Testing

/// What a re-apply removes (structured-merge-diff's `prune`, merge/update.go) and how managedFields look
/// (`Compare` for updates, `ToFieldSet` for applies, `emitContentsV1` for the `".": {}` marks).
@Suite struct PruningTests {
    let path = Fixture.deployments + "/hello"
    let volume: JSON = ["name": "code", "configMap": ["name": "hello-code"]]
    let mount: JSON = ["name": "code", "mountPath": "/code"]
    /// The volume as the server returns it: SetDefaults_ConfigMapVolumeSource (pkg/apis/core/v1/defaults.go) adds 0644.
    let servedVolume: JSON = ["name": "code", "configMap": ["name": "hello-code", "defaultMode": 420]]

    func entry(_ object: JSON, _ manager: String) -> JSON? {
        object.value(at: ["metadata", "managedFields"])?.array?.first { $0["manager"]?.string == manager }
    }

    @Test func reapplyingWithoutVolumesRemovesTheItemsTheApplierOwned() async throws {
        try await withServer { _, http in
            let first = try await http.apply(path, Fixture.deployment("hello", mounts: [mount], volumes: [volume]))
            #expect(first.status == 201)
            let reply = try await http.apply(path, Fixture.deployment("hello"))
            #expect(reply.status == 200)
            let podSpec = reply.json.value(at: ["spec", "template", "spec"])
            #expect(podSpec?["volumes"] == nil)
            #expect(podSpec?["containers"]?.array?.first?["volumeMounts"] == nil)
            #expect(podSpec?["containers"]?.array?.first?["image"] == "engine:1")
            let owned = entry(reply.json, "pipedreamer")?.value(at: ["fieldsV1", "f:spec", "f:template", "f:spec"])
            #expect(owned?["f:volumes"] == nil)
            #expect(owned?.value(at: ["f:containers", #"k:{"name":"engine"}"#, "f:volumeMounts"]) == nil)
        }
    }

    @Test func oneItemOfAnAssociativeListGoesTheOthersStay() async throws {
        try await withServer { _, http in
            let other: JSON = ["name": "data", "emptyDir": .object([:])]
            _ = try await http.apply(path, Fixture.deployment("hello", mounts: [mount], volumes: [volume, other]))
            let reply = try await http.apply(path, Fixture.deployment("hello", mounts: [mount], volumes: [volume]))
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "template", "spec", "volumes"]) == [servedVolume])
        }
    }

    @Test func anAtomicListTheApplierStopsSettingIsRemovedWhole() async throws {
        try await withServer { _, http in
            var withCommand = Fixture.deployment("hello")
            var containers = withCommand.value(at: ["spec", "template", "spec", "containers"])?.array ?? []
            containers[0]["command"] = ["engine", "--serve"]
            withCommand.set(["spec", "template", "spec", "containers"], .array(containers))
            let first = try await http.apply(path, withCommand)
            let owned = entry(first.json, "pipedreamer")?
                .value(at: ["fieldsV1", "f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"engine"}"#, "f:command"])
            #expect(owned == .object([:]))
            let reply = try await http.apply(path, Fixture.deployment("hello"))
            #expect(reply.json.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["command"] == nil)
        }
    }

    @Test func anItemAnotherApplierAlsoAppliesStays() async throws {
        try await withServer { _, http in
            _ = try await http.apply(path, Fixture.deployment("hello", mounts: [mount], volumes: [volume]))
            _ = try await http.apply(path, Fixture.deployment("hello", mounts: [mount], volumes: [volume]), manager: "other")
            let reply = try await http.apply(path, Fixture.deployment("hello"))
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["spec", "template", "spec", "volumes"]) == [servedVolume])
        }
    }

    @Test func anUpdateRecordsAddedMapsAndItemsWithADotEntry() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.configMaps + "?fieldManager=kubectl-create", Fixture.configMap("hello-code"))
            #expect(reply.status == 201)
            #expect(entry(reply.json, "kubectl-create")?["fieldsV1"] == ["f:data": [".": .object([:]), "f:workflow.yaml": .object([:])]])
        }
    }

    @Test func aForcedApplyLeavesTheUpdatersOtherFieldsWithTheirDotEntries() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.deployments + "?fieldManager=kubectl-create", Fixture.deployment("hello"))
            let reply = try await http.apply(path, Fixture.deployment("hello", replicas: 3), force: true)
            #expect(reply.status == 200)
            let empty = JSON.object([:])
            let labels: JSON = [".": empty, "f:app.kubernetes.io/name": empty]
            // The creator's Update also owns the defaults its decoded body brought (pkg/apis/apps/v1/defaults.go,
            // pkg/apis/core/v1/defaults.go), as `kubectl create deployment` shows on a cluster; the applier took
            // only what it applied.
            let port: JSON = [".": empty, "f:containerPort": empty, "f:protocol": empty]
            let container: JSON = [".": empty, "f:image": empty, "f:name": empty, "f:imagePullPolicy": empty, "f:resources": empty,
                                   "f:terminationMessagePath": empty, "f:terminationMessagePolicy": empty,
                                   "f:ports": [#"k:{"containerPort":8080,"protocol":"TCP"}"#: port]]
            let expected: JSON = [
                "f:metadata": ["f:labels": labels],
                "f:spec": ["f:selector": empty, "f:progressDeadlineSeconds": empty, "f:revisionHistoryLimit": empty,
                           "f:strategy": ["f:type": empty, "f:rollingUpdate": [".": empty, "f:maxSurge": empty, "f:maxUnavailable": empty]],
                           "f:template": ["f:metadata": ["f:labels": labels],
                                         "f:spec": ["f:containers": [#"k:{"name":"engine"}"#: container],
                                                    "f:dnsPolicy": empty, "f:restartPolicy": empty, "f:schedulerName": empty,
                                                    "f:securityContext": empty, "f:terminationGracePeriodSeconds": empty]]],
            ]
            #expect(entry(reply.json, "kubectl-create")?["fieldsV1"] == expected)
            // The applier's set has no maps of its own (`ToFieldSet` marks only list items).
            let applied = entry(reply.json, "pipedreamer")?["fieldsV1"]
            #expect(applied?.value(at: ["f:metadata", "f:labels"]) == ["f:app.kubernetes.io/name": empty])
            #expect(applied?.value(at: ["f:spec", "f:replicas"]) == empty)
        }
    }

    @Test func anApplierWhoseEveryFieldIsTakenHasNoEntryLeft() async throws {
        try await withServer { _, http in
            let configMap = Fixture.configMaps + "/hello-code"
            _ = try await http.apply(configMap, Fixture.configMap("hello-code", data: ["a.ts": "1"]), manager: "first")
            let reply = try await http.apply(configMap, Fixture.configMap("hello-code", data: ["a.ts": "2"]), force: true)
            #expect(reply.status == 200)
            #expect(entry(reply.json, "first") == nil)
        }
    }

    @Test func anApplyWithoutAPIVersionIsABadRequest() async throws {
        try await withServer { server, http in
            var object = Fixture.deployment("hello")
            object["apiVersion"] = nil
            let reply = try await http.apply(path, object)
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == "invalid object type: /, Kind=Deployment")
            #expect(server.object(.deployments, namespace: "default", name: "hello") == nil)
        }
    }

    @Test func anApplyWithoutKindIsABadRequest() async throws {
        try await withServer { server, http in
            var object = Fixture.configMap("hello-code")
            object["kind"] = nil
            let reply = try await http.apply(Fixture.configMaps + "/hello-code", object)
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == "invalid object type: /v1, Kind=")
            #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        }
    }

    @Test func anApplyCarryingManagedFieldsIsABadRequest() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("hello-code")
            object.set(["metadata", "managedFields"], [["manager": "x"]])
            let reply = try await http.apply(Fixture.configMaps + "/hello-code", object)
            #expect(reply.status == 400)
            #expect(reply.message == "metadata.managedFields must be nil")
        }
    }
}
