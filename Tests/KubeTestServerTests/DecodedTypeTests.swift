import Foundation
import KubeTestServer
import Testing

/// Values of the wrong JSON type in string maps are refused by the decoder before any validation, with
/// encoding/json's `UnmarshalTypeError` wording (sigs.k8s.io/json internal/golang/encoding/json/decode.go),
/// wrapped as the create handler wraps decoding errors: 400 BadRequest.
@Suite struct DecodedTypeTests {
    @Test func aNumberInConfigMapDataIsRefusedWithTheDecodersMessage() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("c", data: ["port": 8080]))
            #expect(reply.status == 400)
            #expect(reply.reason == "BadRequest")
            #expect(reply.message == #"ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string"#)
            #expect(server.object(.configMaps, namespace: "default", name: "c") == nil)
        }
    }

    @Test func aBoolInBinaryDataNamesTheByteSliceType() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("c", data: [:])
            object["binaryData"] = ["blob": true]
            let reply = try await http.post(Fixture.configMaps, object)
            #expect(reply.status == 400)
            #expect(reply.message == #"ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.binaryData of type []uint8"#)
        }
    }

    @Test func dataThatIsNotAnObjectNamesTheMapType() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("c", data: [:])
            object["data"] = ["a", "b"]
            let reply = try await http.put(Fixture.configMaps + "/c", object)
            #expect(reply.status == 400)
            #expect(reply.message == #"ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string"#)
        }
    }

    @Test func aNumericLabelIsRefusedOnObjectMeta() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            object.set(["metadata", "labels", "tier"], 1)
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.status == 400)
            #expect(reply.message == #"Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"#)
        }
    }

    @Test func aNullValueInDataIsStoredAsTheEmptyString() async throws {
        try await withServer { server, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("c", data: ["a": "1", "b": .null]))
            #expect(reply.status == 201)
            #expect(reply.json["data"] == ["a": "1", "b": ""])
            #expect(server.object(.configMaps, namespace: "default", name: "c")?["data"] == ["a": "1", "b": ""])
        }
    }
}
