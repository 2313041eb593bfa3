import Foundation
import KubeTestServer
import Testing

/// What the registry adds or refuses on its own: dry-run creates, metadata-only answers, Service allocations,
/// namespace defaults, list encoding and the validation wording of pkg/apis/*/validation.
@Suite struct RegistryTests {
    @Test func aDryRunCreateStoresNothingAndHasNoResourceVersion() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.configMaps + "?dryRun=All", Fixture.configMap("hello-code"))
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["metadata", "resourceVersion"]) == nil)
            #expect(reply.json.value(at: ["metadata", "uid"])?.string?.isEmpty == false)
            #expect(reply.json.value(at: ["metadata", "creationTimestamp"])?.string != nil)
            #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
            let applied = try await http.apply(Fixture.configMaps + "/hello-code", Fixture.configMap("hello-code"), dryRun: true)
            #expect(applied.status == 201)
            #expect(applied.json.value(at: ["metadata", "resourceVersion"]) == nil)
            #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        }
    }

    @Test func aDryRunUpdateKeepsTheStoredResourceVersion() async throws {
        try await withServer { _, http in
            let created = try await http.apply(Fixture.configMaps + "/hello-code", Fixture.configMap("hello-code"))
            let reply = try await http.apply(Fixture.configMaps + "/hello-code", Fixture.configMap("hello-code", data: ["a": "1"]), dryRun: true)
            #expect(reply.status == 200)
            #expect(reply.json.value(at: ["metadata", "resourceVersion"]) != nil)
            #expect(reply.json.value(at: ["metadata", "uid"]) == created.json.value(at: ["metadata", "uid"]))
        }
    }

    let metadataList = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"

    @Test func aMetadataListHasOnlyMetadata() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("hello-code"))
            let reply = try await http.send("GET", Fixture.configMaps, headers: ["Accept": metadataList + ",application/json"])
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "PartialObjectMetadataList")
            #expect(reply.json["apiVersion"] == "meta.k8s.io/v1")
            #expect(reply.json.value(at: ["metadata", "resourceVersion"])?.string != nil)
            let item = reply.json["items"]?.array?.first
            #expect(item?["kind"] == "PartialObjectMetadata")
            #expect(item?["apiVersion"] == "meta.k8s.io/v1")
            #expect(item?.value(at: ["metadata", "name"]) == "hello-code")
            #expect(item?["data"] == nil)
            #expect(Set(item?.object?.keys.map { $0 } ?? []) == ["kind", "apiVersion", "metadata"])
        }
    }

    @Test func aMetadataGetHasOnlyMetadata() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("hello-code"))
            let reply = try await http.send("GET", Fixture.configMaps + "/hello-code",
                                            headers: ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"])
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "PartialObjectMetadata")
            #expect(reply.json.value(at: ["metadata", "uid"])?.string != nil)
            #expect(reply.json["data"] == nil)
        }
    }

    @Test func theWrongMetadataShapeAndUnservedMediaTypesAreNotAcceptable() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("hello-code"))
            let single = try await http.send("GET", Fixture.configMaps,
                                             headers: ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"])
            #expect(single.status == 406)
            #expect(single.reason == "NotAcceptable")
            #expect(single.message == "you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)")
            let list = try await http.send("GET", Fixture.configMaps + "/hello-code", headers: ["Accept": metadataList])
            #expect(list.status == 406)
            #expect(list.message == "you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)")
            let html = try await http.send("GET", Fixture.configMaps, headers: ["Accept": "text/html"])
            #expect(html.status == 406)
            #expect(html.message == "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
    }

    @Test func listItemsCarryNoTypeMeta() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("hello-code"))
            let reply = try await http.get(Fixture.configMaps)
            #expect(reply.json["kind"] == "ConfigMapList")
            let item = reply.json["items"]?.array?.first
            #expect(item?.value(at: ["metadata", "name"]) == "hello-code")
            #expect(item?["kind"] == nil)
            #expect(item?["apiVersion"] == nil)
        }
    }

    @Test func aServiceGetsAClusterIPAndItsDefaults() async throws {
        try await withServer { _, http in
            let first = try await http.post(Fixture.services, Fixture.service("hello"))
            #expect(first.status == 201)
            let spec = first.json["spec"]
            let ip = spec?["clusterIP"]?.string ?? ""
            let octets = ip.split(separator: ".").compactMap { Int($0) }
            #expect(octets.count == 4 && octets[0] == 10 && (96...111).contains(octets[1]))
            #expect(spec?["clusterIPs"] == [.string(ip)])
            #expect(spec?["ipFamilies"] == ["IPv4"])
            #expect(spec?["ipFamilyPolicy"] == "SingleStack")
            #expect(spec?["internalTrafficPolicy"] == "Cluster")
            #expect(spec?["sessionAffinity"] == "None")
            #expect(spec?["type"] == "ClusterIP")
            #expect(first.json["status"] == ["loadBalancer": .object([:])])
            let second = try await http.post(Fixture.services, Fixture.service("other"))
            #expect(second.json.value(at: ["spec", "clusterIP"])?.string != ip)
            // An update that leaves the allocation out keeps it (PatchAllocatedValues).
            var replacement = Fixture.service("hello", port: 9090)
            replacement.set(["metadata", "resourceVersion"], first.json.value(at: ["metadata", "resourceVersion"]))
            let replaced = try await http.put(Fixture.services + "/hello", replacement)
            #expect(replaced.status == 200)
            #expect(replaced.json.value(at: ["spec", "clusterIP"])?.string == ip)
        }
    }

    @Test func anAppliedServiceKeepsItsClusterIPAcrossApplies() async throws {
        try await withServer { _, http in
            let first = try await http.apply(Fixture.services + "/hello", Fixture.service("hello"))
            #expect(first.status == 201)
            let ip = first.json.value(at: ["spec", "clusterIP"])?.string
            #expect(ip != nil)
            let again = try await http.apply(Fixture.services + "/hello", Fixture.service("hello", port: 9090))
            #expect(again.status == 200)
            #expect(again.json.value(at: ["spec", "clusterIP"])?.string == ip)
        }
    }

    @Test func invalidBase64InBinaryDataIsADecodingError() async throws {
        try await withServer { server, http in
            var object = Fixture.configMap("c", data: [:])
            object["binaryData"] = ["k": "not base64!"]
            let reply = try await http.post(Fixture.configMaps, object)
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == #"ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 3"#)
            #expect(server.object(.configMaps, namespace: "default", name: "c") == nil)
        }
    }

    @Test func aCronJobWithoutRestartPolicyNamesTheValidValues() async throws {
        try await withServer { _, http in
            var object = Fixture.cronJob("nightly")
            object.set(["spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"], nil)
            let reply = try await http.post(Fixture.cronJobs, object)
            #expect(reply.status == 422)
            #expect(reply.reason == "Invalid")
            #expect(reply.message == #"CronJob.batch "nightly" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#)
        }
    }

    @Test func theDefaultNamespaceCarriesItsNameLabel() async throws {
        try await withServer { _, http in
            let reply = try await http.get("/api/v1/namespaces/default")
            #expect(reply.json.value(at: ["metadata", "labels"]) == ["kubernetes.io/metadata.name": "default"])
            #expect(reply.json.value(at: ["spec", "finalizers"]) == ["kubernetes"])
            #expect(reply.json.value(at: ["status", "phase"]) == "Active")
        }
    }

    @Test func aCreatedNamespaceGetsItsLabelFinalizerAndPhase() async throws {
        try await withServer { _, http in
            let reply = try await http.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]])
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["metadata", "labels"]) == ["kubernetes.io/metadata.name": "team-a"])
            #expect(reply.json.value(at: ["spec", "finalizers"]) == ["kubernetes"])
            #expect(reply.json.value(at: ["status", "phase"]) == "Active")
            let applied = try await http.apply("/api/v1/namespaces/team-b", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-b"]])
            #expect(applied.status == 201)
            #expect(applied.json.value(at: ["metadata", "labels", "kubernetes.io/metadata.name"]) == "team-b")
            #expect(applied.json.value(at: ["spec", "finalizers"]) == ["kubernetes"])
            #expect(applied.json.value(at: ["status", "phase"]) == "Active")
        }
    }
}
