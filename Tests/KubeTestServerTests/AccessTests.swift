import Foundation
import KubeTestServer
import Testing

/// Authentication by token, authorization by policy, and SelfSubjectAccessReview.
@Suite struct AccessTests {
    static let tokens = ["good-token": UserInfo(name: "ci")]
    static let ciCanReadConfigMaps = AccessPolicy.only([
        AccessRule(users: ["ci"], verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"], namespaces: ["default"]),
    ])

    @Test func aWrongTokenIsUnauthorized() async throws {
        try await withServer(KubeTestServer.Configuration(tokens: AccessTests.tokens)) { server, _ in
            let reply = try await HTTP(server, token: "bad-token").get(Fixture.configMaps)
            #expect(reply.status == 401)
            #expect(reply.text == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
        }
    }

    @Test func aMissingTokenIsUnauthorizedOnceTokensAreConfigured() async throws {
        try await withServer(KubeTestServer.Configuration(tokens: AccessTests.tokens)) { server, http in
            let anonymous = try await http.get(Fixture.configMaps)
            #expect(anonymous.status == 401)
            let known = try await HTTP(server, token: "good-token").get(Fixture.configMaps)
            #expect(known.status == 200)
        }
    }

    @Test func aDeniedVerbIsForbiddenWithTheRBACMessage() async throws {
        let configuration = KubeTestServer.Configuration(tokens: AccessTests.tokens, policy: AccessTests.ciCanReadConfigMaps)
        try await withServer(configuration) { server, _ in
            let ci = HTTP(server, token: "good-token")
            let reply = try await ci.apply(Fixture.configMaps + "/hello-code", Fixture.configMap("hello-code"))
            #expect(reply.status == 403)
            #expect(reply.message == #"configmaps "hello-code" is forbidden: User "ci" cannot patch resource "configmaps" in API group "" in the namespace "default""#)
            #expect(reply.json["details"] == ["name": "hello-code", "kind": "configmaps"])
        }
    }

    @Test func listingAClusterScopedResourceNamesTheClusterScope() async throws {
        let configuration = KubeTestServer.Configuration(tokens: AccessTests.tokens, policy: AccessTests.ciCanReadConfigMaps)
        try await withServer(configuration) { server, _ in
            let reply = try await HTTP(server, token: "good-token").get("/apis/node.k8s.io/v1/runtimeclasses")
            #expect(reply.message == #"runtimeclasses.node.k8s.io is forbidden: User "ci" cannot list resource "runtimeclasses" in API group "node.k8s.io" at the cluster scope"#)
        }
    }

    @Test func policyCanChangeWhileRunning() async throws {
        try await withServer { server, http in
            server.setPolicy(.only([]))
            let denied = try await http.get(Fixture.configMaps)
            #expect(denied.status == 403)
            server.setPolicy(.allowingEverything)
            let allowed = try await http.get(Fixture.configMaps)
            #expect(allowed.status == 200)
        }
    }

    @Test func selfSubjectAccessReviewAnswersFromThePolicy() async throws {
        let configuration = KubeTestServer.Configuration(tokens: AccessTests.tokens, policy: AccessTests.ciCanReadConfigMaps)
        try await withServer(configuration) { server, _ in
            let ci = HTTP(server, token: "good-token")
            func review(_ verb: String) async throws -> Reply {
                try await ci.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": ["resourceAttributes": ["namespace": "default", "verb": .string(verb), "group": "", "resource": "configmaps"]],
                ])
            }
            let allowed = try await review("get")
            #expect(allowed.status == 201)
            #expect(allowed.json.value(at: ["status", "allowed"]) == true)
            #expect(allowed.json.value(at: ["status", "reason"])?.string?.hasPrefix("RBAC: allowed by") == true)
            let denied = try await review("patch")
            #expect(denied.json["status"] == ["allowed": false])
        }
    }
}
