import Foundation
import KubeTestServer
import Testing

/// Each rule answers 422 Invalid with the real server's message.
@Suite struct ValidationTests {
    @Test func configMapKeyWithSlashIsRejected() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("hello-code", data: ["nodes/a.ts": "x"]))
            #expect(reply.status == 422)
            #expect(reply.reason == "Invalid")
            #expect(reply.message == #"ConfigMap "hello-code" is invalid: data[nodes/a.ts]: Invalid value: "nodes/a.ts": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"#)
            let cause = reply.json.value(at: ["details", "causes"])?.array?.first
            #expect(cause?["reason"] == "FieldValueInvalid")
            #expect(cause?["field"] == "data[nodes/a.ts]")
            #expect(reply.json.value(at: ["details", "kind"]) == "ConfigMap")
            #expect(reply.json.value(at: ["details", "name"]) == "hello-code")
        }
    }

    @Test func configMapKeyDotDotIsRejected() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("c", data: ["..": "x"]))
            #expect(reply.message == #"ConfigMap "c" is invalid: data[..]: Invalid value: "..": must not be '..'"#)
        }
    }

    @Test func configMapKeyInDataAndBinaryDataIsRejected() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("c", data: ["a": "x"])
            object["binaryData"] = ["a": "eA=="]
            let reply = try await http.post(Fixture.configMaps, object)
            #expect(reply.message == #"ConfigMap "c" is invalid: data[a]: Invalid value: "a": duplicate of key present in binaryData"#)
        }
    }

    @Test func configMapValuesUpTo1MiBAreAcceptedAndKeysDoNotCount() async throws {
        try await withServer { _, http in
            let value = String(repeating: "a", count: 1_048_576)
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("full", data: ["long-key-name.ts": .string(value)]))
            #expect(reply.status == 201)
        }
    }

    @Test func configMapValuesOver1MiBAreRejected() async throws {
        try await withServer { _, http in
            let data: [String: JSON] = ["a": .string(String(repeating: "a", count: 1_048_570)), "b": "1234567"]
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("big", data: data))
            #expect(reply.status == 422)
            #expect(reply.message == #"ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes"#)
            #expect(reply.json.value(at: ["details", "causes"])?.array?.first?["reason"] == "FieldValueTooLong")
        }
    }

    @Test func annotationsOver256KiBAreRejected() async throws {
        try await withServer { _, http in
            let exact: [String: JSON] = ["a": .string(String(repeating: "x", count: 262_143))]
            #expect(try await http.post(Fixture.configMaps, Fixture.configMap("fits", annotations: exact)).status == 201)
            let over: [String: JSON] = ["a": .string(String(repeating: "x", count: 262_144))]
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("over", annotations: over))
            #expect(reply.message == #"ConfigMap "over" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes"#)
        }
    }

    @Test func configMapNameMustBeDNSSubdomain() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.configMaps, Fixture.configMap("Hello"))
            #expect(reply.message == #"ConfigMap "Hello" is invalid: metadata.name: Invalid value: "Hello": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#)
        }
    }

    @Test func serviceNameMustBeDNS1035Label() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.services, Fixture.service("1hello"))
            #expect(reply.message == #"Service "1hello" is invalid: metadata.name: Invalid value: "1hello": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#)
        }
    }

    @Test func serviceNameIsAtMost63Characters() async throws {
        try await withServer { _, http in
            let name = String(repeating: "s", count: 64)
            let reply = try await http.post(Fixture.services, Fixture.service(name))
            #expect(reply.message == "Service \"\(name)\" is invalid: metadata.name: Invalid value: \"\(name)\": must be no more than 63 characters")
        }
    }

    @Test func servicePortMustBeInRange() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.services, Fixture.service("web", port: 70000))
            #expect(reply.message == #"Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"#)
        }
    }

    @Test func cronJobNameIsAtMost52Characters() async throws {
        try await withServer { _, http in
            let name = String(repeating: "c", count: 53)
            let reply = try await http.post(Fixture.cronJobs, Fixture.cronJob(name))
            #expect(reply.status == 422)
            #expect(reply.message == "CronJob.batch \"\(name)\" is invalid: metadata.name: Invalid value: \"\(name)\": must be no more than 52 characters")
            #expect(try await http.post(Fixture.cronJobs, Fixture.cronJob(String(repeating: "c", count: 52))).status == 201)
        }
    }

    @Test func cronJobScheduleMustHaveFiveFields() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.cronJobs, Fixture.cronJob("tick", schedule: "* * *"))
            #expect(reply.message == #"CronJob.batch "tick" is invalid: spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]"#)
        }
    }

    @Test func cronJobScheduleFieldsMustBeInRange() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.cronJobs, Fixture.cronJob("tick", schedule: "0 25 * * *"))
            #expect(reply.message == #"CronJob.batch "tick" is invalid: spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25"#)
        }
    }

    @Test func deploymentSelectorMustMatchTemplateLabels() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.deployments, Fixture.deployment("hello", templateLabels: ["app": "other"]))
            #expect(reply.message == #"Deployment.apps "hello" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`"#)
            #expect(reply.json.value(at: ["details", "group"]) == "apps")
        }
    }

    @Test func deploymentSelectorIsRequired() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            object.set(["spec", "selector"], nil)
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.message == #"Deployment.apps "hello" is invalid: spec.selector: Required value"#)
        }
    }

    @Test func volumeMountMustNameAVolume() async throws {
        try await withServer { _, http in
            let object = Fixture.deployment("hello", mounts: [["name": "code", "mountPath": "/app/workflow"]])
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.message == #"Deployment.apps "hello" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "code""#)
        }
    }

    @Test func deploymentRestartPolicyMustBeAlways() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            object.set(["spec", "template", "spec", "restartPolicy"], "Never")
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.message == #"Deployment.apps "hello" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#)
        }
    }

    @Test func containerNamesMustBeUnique() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("hello")
            let container: JSON = ["name": "engine", "image": "engine:1"]
            object.set(["spec", "template", "spec", "containers"], [container, container])
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.message == #"Deployment.apps "hello" is invalid: spec.template.spec.containers[1].name: Duplicate value: "engine""#)
        }
    }

    @Test func labelValuesAreChecked() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("c")
            object.set(["metadata", "labels"], ["app": "-bad"])
            let reply = try await http.post(Fixture.configMaps, object)
            #expect(reply.message == #"ConfigMap "c" is invalid: metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#)
        }
    }

    @Test func secretDataMustBeBase64() async throws {
        try await withServer { _, http in
            let object: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "data": ["k": "not base64!"]]
            let reply = try await http.post(Fixture.secrets, object)
            #expect(reply.status == 400)
            #expect(reply.message == #"Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3"#)
        }
    }

    @Test func nameInBodyMustMatchURL() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            let reply = try await http.put(Fixture.configMaps + "/a", Fixture.configMap("b"))
            #expect(reply.status == 400)
            #expect(reply.message == "the name of the object (b) does not match the name on the URL (a)")
        }
    }

    @Test func namespaceInBodyMustMatchURL() async throws {
        try await withServer { _, http in
            var object = Fixture.configMap("a")
            object.set(["metadata", "namespace"], "other")
            let reply = try await http.post(Fixture.configMaps, object)
            #expect(reply.status == 400)
            #expect(reply.message == "the namespace of the provided object does not match the namespace sent on the request")
        }
    }
}
