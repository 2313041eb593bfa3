import Foundation
import KubeTestServer
import Testing

/// Metadata-only answers (`as=PartialObjectMetadata[List]`), as `transformObject`
/// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go) makes them for every resource, on get, list and
/// watch (the watch's embedded encoder, handlers/watch.go).
@Suite struct MetadataViewTests {
    static let collections: [(path: String, name: String)] = [
        ("/api/v1/namespaces", "default"), (Fixture.configMaps, "code"), (Fixture.secrets, "token"),
        (Fixture.services, "web"), (Fixture.deployments, "web"), (Fixture.replicaSets, ""), (Fixture.cronJobs, "nightly"),
        (Fixture.leases, "lock"), ("/apis/node.k8s.io/v1/runtimeclasses", "gvisor"),
    ]

    func populate(_ server: KubeTestServer, _ http: HTTP) async throws {
        let secret: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "token"], "stringData": ["a": "b"]]
        let runtimeClass: JSON = ["apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": ["name": "gvisor"], "handler": "runsc"]
        for (path, body) in [(Fixture.configMaps, Fixture.configMap("code")), (Fixture.secrets, secret),
                             (Fixture.services, Fixture.service("web")), (Fixture.deployments, Fixture.deployment("web")),
                             (Fixture.cronJobs, Fixture.cronJob("nightly")), (Fixture.leases, Fixture.lease("lock")),
                             ("/apis/node.k8s.io/v1/runtimeclasses", runtimeClass)] {
            #expect(try await http.post(path, body).status == 201, "\(path)")
        }
        #expect(await server.waitForRollout(namespace: "default", name: "web"))
    }

    @Test(arguments: ["v1", "v1beta1"])
    func everyResourceAnswersGetAndListWithMetadataOnly(version: String) async throws {
        try await withServer { server, http in
            try await populate(server, http)
            for (path, name) in Self.collections {
                let list = try await http.send("GET", path, headers: ["Accept": "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=\(version)"])
                #expect(list.status == 200, "\(path)")
                #expect(list.json["kind"] == "PartialObjectMetadataList")
                #expect(list.json["apiVersion"] == .string("meta.k8s.io/" + version))
                let items = list.json["items"]?.array ?? []
                #expect(!items.isEmpty, "\(path)")
                for item in items {
                    #expect(Set(item.object?.keys.map { $0 } ?? []) == ["kind", "apiVersion", "metadata"], "\(path)")
                    #expect(item["kind"] == "PartialObjectMetadata")
                }
                let one = name.isEmpty ? items.first?.value(at: ["metadata", "name"])?.string ?? "" : name
                let single = try await http.send("GET", path + "/" + one,
                                                 headers: ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=\(version)"])
                #expect(single.status == 200, "\(path)/\(one)")
                #expect(single.json["kind"] == "PartialObjectMetadata")
                #expect(single.json["apiVersion"] == .string("meta.k8s.io/" + version))
                #expect(single.json.value(at: ["metadata", "name"]) == .string(one))
                #expect(single.json["spec"] == nil && single.json["data"] == nil)
            }
        }
    }

    /// client-go's metadata client (staging/src/k8s.io/client-go/metadata/metadata.go) puts protobuf first, then
    /// JSON, then plain JSON; the answer is JSON, which it decodes by the response's Content-Type.
    @Test func theMetadataClientsAcceptHeaderIsServed() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("code"))
            let accept = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
                + "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
            let reply = try await http.send("GET", Fixture.configMaps, headers: ["Accept": accept])
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(reply.json["kind"] == "PartialObjectMetadataList")
        }
    }

    @Test func aWatchSendsEachObjectAsPartialObjectMetadata() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("code"))
            let reply = try await http.send("GET", Fixture.configMaps + "?watch=true&timeoutSeconds=1",
                                            headers: ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"])
            #expect(reply.status == 200)
            let events = reply.text.split(separator: "\n").compactMap { try? JSON.parse(Data($0.utf8)) }
            #expect(events.count == 1)
            #expect(events.first?["type"] == "ADDED")
            #expect(events.first?.value(at: ["object", "kind"]) == "PartialObjectMetadata")
            #expect(events.first?.value(at: ["object", "apiVersion"]) == "meta.k8s.io/v1")
            #expect(events.first?.value(at: ["object", "metadata", "name"]) == "code")
            #expect(events.first?.value(at: ["object", "data"]) == nil)
        }
    }

    /// A watch event holds one object, so a PartialObjectMetadataList transform fails on the first event and
    /// `WatchServer.HandleHTTP` ends the stream: a 200 with no events, before the timeout.
    @Test func aWatchAskedForAMetadataListEndsAtItsFirstEvent() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("code"))
            let reply = try await http.send("GET", Fixture.configMaps + "?watch=true&timeoutSeconds=30",
                                            headers: ["Accept": "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"])
            #expect(reply.status == 200)
            #expect(reply.text.isEmpty)
        }
    }
}
