import Foundation
import KubeTestServer
import Testing

/// `coordination.k8s.io/v1` Leases: optimistic concurrency, validation, preconditions and discovery.
@Suite struct LeaseTests {
    let path = Fixture.leases + "/hello-deploy"

    @Test func createGetAndListBySelector() async throws {
        try await withServer { _, http in
            var labelled = Fixture.lease("hello-deploy")
            labelled.set(["metadata", "labels"], ["app.kubernetes.io/name": "hello"])
            #expect(try await http.post(Fixture.leases, labelled).status == 201)
            #expect(try await http.post(Fixture.leases, Fixture.lease("other")).status == 201)
            let got = try await http.get(path)
            #expect(got.status == 200)
            #expect(got.json.value(at: ["spec", "holderIdentity"]) == "deploy-1")
            let list = try await http.get(Fixture.leases + "?labelSelector=app.kubernetes.io%2Fname%3Dhello")
            #expect(list.json["kind"] == "LeaseList")
            #expect(list.json["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } == ["hello-deploy"])
        }
    }

    @Test func anUpdateFromAStaleVersionConflicts() async throws {
        try await withServer { _, http in
            let created = try await http.post(Fixture.leases, Fixture.lease("hello-deploy")).json
            var mine = created
            mine.set(["spec", "holderIdentity"], "deploy-2")
            #expect(try await http.put(path, mine).status == 200)
            let reply = try await http.put(path, mine)
            #expect(reply.status == 409)
            #expect(reply.reason == "Conflict")
            #expect(reply.message == #"Operation cannot be fulfilled on leases.coordination.k8s.io "hello-deploy": the object has been modified; please apply your changes to the latest version and try again"#)
            #expect(reply.json["details"] == ["name": "hello-deploy", "group": "coordination.k8s.io", "kind": "leases"])
        }
    }

    @Test func anUpdateOfARecreatedLeaseFailsItsUIDPrecondition() async throws {
        try await withServer { server, http in
            let old = try await http.post(Fixture.leases, Fixture.lease("hello-deploy")).json
            _ = try await http.delete(path)
            _ = try await http.post(Fixture.leases, Fixture.lease("hello-deploy"))
            let uid = server.object(.leases, namespace: "default", name: "hello-deploy")?.value(at: ["metadata", "uid"])?.string ?? ""
            let reply = try await http.put(path, old)
            #expect(reply.status == 409)
            #expect(reply.message == "Operation cannot be fulfilled on leases.coordination.k8s.io \"hello-deploy\": StorageError: invalid object, Code: 4, Key: /registry/leases/default/hello-deploy, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: \(old.value(at: ["metadata", "uid"])?.string ?? ""), UID in object meta: \(uid)")
        }
    }

    @Test func anUpdateWithoutAResourceVersionIsInvalid() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.leases, Fixture.lease("hello-deploy"))
            let reply = try await http.put(path, Fixture.lease("hello-deploy", holder: "deploy-2"))
            #expect(reply.status == 422)
            #expect(reply.message == #"leases.coordination.k8s.io "hello-deploy" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update"#)
        }
    }

    @Test func aPutOfAMissingLeaseCreatesIt() async throws {
        try await withServer { server, http in
            let reply = try await http.put(path, Fixture.lease("hello-deploy"))
            #expect(reply.status == 201)
            #expect(server.object(.leases, namespace: "default", name: "hello-deploy")?.value(at: ["spec", "leaseDurationSeconds"]) == 60)
        }
    }

    @Test func aNonPositiveDurationIsInvalid() async throws {
        try await withServer { _, http in
            var lease = Fixture.lease("hello-deploy", seconds: 0)
            lease.set(["spec", "leaseTransitions"], -1)
            let reply = try await http.post(Fixture.leases, lease)
            #expect(reply.status == 422)
            #expect(reply.message == #"Lease.coordination.k8s.io "hello-deploy" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]"#)
        }
    }

    @Test func aRenewTimeWithoutMicrosecondsCannotBeDecoded() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.leases, Fixture.lease("hello-deploy", renewTime: "2026-12-01T20:00:00Z"))
            #expect(reply.status == 400)
            #expect(reply.message == #"Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-01T20:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000""#)
        }
    }

    @Test func aPatchedRenewTimeIsDecodedToo() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.leases, Fixture.lease("hello-deploy"))
            let reply = try await http.strategicPatch(path, ["spec": ["renewTime": "2026-12-01T20:00:00.1234567Z"]])
            #expect(reply.status == 400)
            #expect(reply.message == #"Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-01T20:00:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as "Z07:00""#)
            let renewed = try await http.strategicPatch(path, ["spec": ["renewTime": "2026-12-01T20:00:30.000000+01:00"]])
            #expect(renewed.status == 200)
        }
    }

    @Test func aRenewTimeWithAnOffsetIsStoredAndAnsweredInUTC() async throws {
        try await withServer { server, http in
            // MicroTime.MarshalJSON writes t.UTC().Format(RFC3339Micro) (apimachinery pkg/apis/meta/v1/micro_time.go).
            let reply = try await http.post(Fixture.leases, Fixture.lease("hello-deploy", renewTime: "2026-12-01T20:00:30.000042+01:30"))
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["spec", "renewTime"]) == "2026-12-01T18:30:30.000042Z")
            #expect(server.object(.leases, namespace: "default", name: "hello-deploy")?.value(at: ["spec", "renewTime"]) == "2026-12-01T18:30:30.000042Z")
            let patched = try await http.strategicPatch(path, ["spec": ["acquireTime": "2026-12-01T00:10:00.500000-02:00"]])
            #expect(patched.json.value(at: ["spec", "acquireTime"]) == "2026-12-01T02:10:00.500000Z")
        }
    }

    @Test func applyAndMergePatchWorkAsOnOtherKinds() async throws {
        try await withServer { _, http in
            #expect(try await http.apply(path, Fixture.lease("hello-deploy")).status == 201)
            let patched = try await http.send("PATCH", path, json: ["spec": ["holderIdentity": "deploy-9"]],
                                              contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json.value(at: ["spec", "holderIdentity"]) == "deploy-9")
            let conflict = try await http.apply(path, Fixture.lease("hello-deploy"))
            #expect(conflict.status == 409)
            #expect(conflict.message == #"Apply failed with 1 conflict: conflict with "kube-test-client" using coordination.k8s.io/v1: .spec.holderIdentity"#)
        }
    }

    @Test func aDeleteWithAStaleUIDPreconditionConflicts() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.leases, Fixture.lease("hello-deploy"))
            let uid = try #require(server.object(.leases, namespace: "default", name: "hello-deploy")?.value(at: ["metadata", "uid"])?.string)
            let stale = try await http.send("DELETE", path, json: ["preconditions": ["uid": "0000"]])
            #expect(stale.status == 409)
            #expect(stale.message == "Operation cannot be fulfilled on leases.coordination.k8s.io \"hello-deploy\": StorageError: invalid object, Code: 4, Key: /registry/leases/default/hello-deploy, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 0000, UID in object meta: \(uid)")
            let matching = try await http.send("DELETE", path, json: ["preconditions": ["uid": .string(uid)]])
            #expect(matching.status == 200)
            #expect(server.object(.leases, namespace: "default", name: "hello-deploy") == nil)
        }
    }

    @Test func discoveryListsLeases() async throws {
        try await withServer { _, http in
            let groups = try await http.get("/apis").json["groups"]?.array?.compactMap { $0["name"]?.string }
            #expect(groups?.contains("coordination.k8s.io") == true)
            let resources = try await http.get("/apis/coordination.k8s.io/v1").json["resources"]?.array
            let lease = resources?.first { $0["name"] == "leases" }
            #expect(lease?["kind"] == "Lease")
            #expect(lease?["namespaced"] == true)
            #expect(lease?["verbs"] == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
        }
    }

    @Test func accessPolicyCoversLeases() async throws {
        let policy = AccessPolicy.only([AccessRule(users: ["ci"], verbs: ["get", "create", "update"],
                                                   apiGroups: ["coordination.k8s.io"], resources: ["leases"], namespaces: ["default"])])
        try await withServer(KubeTestServer.Configuration(tokens: ["t": UserInfo(name: "ci")], policy: policy)) { server, _ in
            let ci = HTTP(server, token: "t")
            #expect(try await ci.post(Fixture.leases, Fixture.lease("hello-deploy")).status == 201)
            let denied = try await ci.delete(path)
            #expect(denied.status == 403)
            #expect(denied.message == #"leases.coordination.k8s.io "hello-deploy" is forbidden: User "ci" cannot delete resource "leases" in API group "coordination.k8s.io" in the namespace "default""#)
            let review: JSON = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                "spec": ["resourceAttributes": ["namespace": "default", "verb": "update",
                                                                "group": "coordination.k8s.io", "resource": "leases"]]]
            let answer = try await ci.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)
            #expect(answer.json.value(at: ["status", "allowed"]) == true)
        }
    }
}
