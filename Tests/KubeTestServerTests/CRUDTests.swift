import Foundation
import KubeTestServer
import Testing

/// Create, read, update, delete, list and dry runs, with the real error bodies.
@Suite struct CRUDTests {
    @Test func createAnswers201WithBookkeeping() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            #expect(reply.status == 201)
            let metadata = reply.json["metadata"]
            #expect(metadata?["namespace"] == "default")
            #expect(metadata?["uid"]?.string?.count == 36)
            #expect(metadata?["resourceVersion"]?.string?.isEmpty == false)
            #expect(metadata?["creationTimestamp"]?.string?.hasSuffix("Z") == true)
        }
    }

    @Test func creatingTwiceIsAlreadyExists() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.deployments, Fixture.deployment("hello"))
            let reply = try await http.post(Fixture.deployments, Fixture.deployment("hello"))
            #expect(reply.status == 409)
            #expect(reply.json == ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
                                   "message": #"deployments.apps "hello" already exists"#, "reason": "AlreadyExists",
                                   "details": ["name": "hello", "group": "apps", "kind": "deployments"], "code": 409])
        }
    }

    @Test func statusBodiesKeepTheRealFieldOrder() async throws {
        try await withServer { _, http in
            let reply = try await http.get(Fixture.configMaps + "/missing")
            #expect(reply.text == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"missing\" not found","reason":"NotFound","details":{"name":"missing","kind":"configmaps"},"code":404}"#)
        }
    }

    @Test func updateWithAStaleResourceVersionConflicts() async throws {
        try await withServer { _, http in
            let created = try await http.post(Fixture.configMaps, Fixture.configMap("a")).json
            var changed = created
            changed["data"] = ["x": "1"]
            #expect(try await http.put(Fixture.configMaps + "/a", changed).status == 200)
            let reply = try await http.put(Fixture.configMaps + "/a", changed)
            #expect(reply.status == 409)
            #expect(reply.message == #"Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again"#)
        }
    }

    @Test func deletingAMissingObjectIsNotFound() async throws {
        try await withServer { _, http in
            let reply = try await http.delete(Fixture.cronJobs + "/gone")
            #expect(reply.status == 404)
            #expect(reply.message == #"cronjobs.batch "gone" not found"#)
        }
    }

    @Test func deleteRemovesTheObject() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            let reply = try await http.delete(Fixture.configMaps + "/a")
            #expect(reply.status == 200)
            #expect(reply.json["status"] == "Success")
            #expect(server.object(.configMaps, namespace: "default", name: "a") == nil)
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await withServer { server, http in
            let reply = try await http.apply(Fixture.configMaps + "/a", Fixture.configMap("a"), dryRun: true)
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["data", "workflow.yaml"]) == "name: hello\n")
            #expect(server.object(.configMaps, namespace: "default", name: "a") == nil)
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("b"))
            #expect(try await http.delete(Fixture.configMaps + "/b?dryRun=All").status == 200)
            #expect(server.object(.configMaps, namespace: "default", name: "b") != nil)
        }
    }

    @Test func dryRunStillValidates() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(Fixture.configMaps + "/a", Fixture.configMap("a", data: ["a/b": "x"]), dryRun: true)
            #expect(reply.status == 422)
        }
    }

    @Test func creatingInAMissingNamespaceIsNotFound() async throws {
        try await withServer { _, http in
            let reply = try await http.post("/api/v1/namespaces/nowhere/configmaps", Fixture.configMap("a"))
            #expect(reply.status == 404)
            #expect(reply.message == #"namespaces "nowhere" not found"#)
        }
    }

    @Test func configuredNamespacesExist() async throws {
        try await withServer(KubeTestServer.Configuration(namespaces: ["team-a"])) { _, http in
            let teamA = try await http.get("/api/v1/namespaces/team-a")
            #expect(teamA.status == 200)
            let kubeSystem = try await http.get("/api/v1/namespaces/kube-system")
            #expect(kubeSystem.status == 200)
            let created = try await http.post("/api/v1/namespaces/team-a/configmaps", Fixture.configMap("a"))
            #expect(created.status == 201)
        }
    }

    @Test func seededRuntimeClassesCanBeRead() async throws {
        try await withServer(KubeTestServer.Configuration(runtimeClasses: ["gvisor": "runsc"])) { _, http in
            let reply = try await http.get("/apis/node.k8s.io/v1/runtimeclasses/gvisor")
            #expect(reply.json["handler"] == "runsc")
            #expect(try await http.get("/apis/node.k8s.io/v1/runtimeclasses/kata").status == 404)
        }
    }

    @Test func listFiltersByLabelSelector() async throws {
        try await withServer { _, http in
            for (name, app) in [("a", "one"), ("b", "two"), ("c", "one")] {
                var object = Fixture.cronJob(name)
                object.set(["metadata", "labels"], ["app": .string(app), "managed": "yes"])
                _ = try await http.post(Fixture.cronJobs, object)
            }
            func names(_ selector: String) async throws -> [String] {
                let query = selector.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["=", "&", "!"]))!
                let reply = try await http.get(Fixture.cronJobs + "?labelSelector=" + query)
                return reply.json["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } ?? []
            }
            #expect(try await names("app=one,managed=yes") == ["a", "c"])
            #expect(try await names("app!=one") == ["b"])
            #expect(try await names("managed") == ["a", "b", "c"])
            #expect(try await names("!managed") == [])
            #expect(try await http.get(Fixture.cronJobs).json["kind"] == "CronJobList")
        }
    }

    @Test func unknownResourcesAreNotFound() async throws {
        try await withServer { _, http in
            let reply = try await http.get("/apis/apps/v1/namespaces/default/statefulsets")
            #expect(reply.status == 404)
            #expect(reply.message == "the server could not find the requested resource")
            #expect(reply.json["details"] == .object([:]))
        }
    }

    @Test func discoveryAndVersionAnswer() async throws {
        try await withServer { _, http in
            #expect(try await http.get("/version").json["gitVersion"] == "v1.32.0")
            #expect(try await http.get("/healthz").text == "ok")
            #expect(try await http.get("/api").json["versions"] == ["v1"])
            let groups = try await http.get("/apis").json["groups"]?.array?.compactMap { $0["name"]?.string }
            #expect(groups == ["apps", "batch", "coordination.k8s.io", "node.k8s.io", "authorization.k8s.io"])
            let apps = try await http.get("/apis/apps/v1").json["resources"]?.array?.compactMap { $0["name"]?.string }
            #expect(apps == ["deployments", "deployments/status", "deployments/scale", "replicasets"])
        }
    }

    @Test func bodiesOver3MiBAreTooLarge() async throws {
        try await withServer { _, http in
            let value = String(repeating: "a", count: 3 * 1024 * 1024)
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("huge", data: ["a": .string(value)]))
            #expect(reply.status == 413)
            #expect(reply.message == "Request entity too large: limit is 3145728")
        }
    }
}
