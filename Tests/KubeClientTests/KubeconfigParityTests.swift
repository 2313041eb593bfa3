import Foundation
import Testing

/// kubectl is the oracle: for each set-up, `kubectl get` and `pipedreamer status` reach the same
/// server, in the same namespace, with the same identity, or both fail before sending anything.
/// Tokens, basic auth and impersonation (client-go's `tools/clientcmd` and `transport` rules).
@Suite(.enabled(if: KubeconfigParity.kubectl != nil, "kubectl is not installed"))
struct KubeconfigParityTests {
    @Test func aTokenIsSentOverTLS() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: s3cr3t"))
        #expect(ours.request?.authorization == "Bearer s3cr3t")
        #expect(ours.request?.path == "/apis/apps/v1/namespaces/team-a/deployments/hello")
    }

    @Test func aTokenIsNeverSentOverPlainHTTP() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: s3cr3t", server: "{PLAIN}"))
        #expect(ours.request?.server == "http")
        #expect(ours.request?.authorization == nil)
    }

    @Test func aServerWithoutASchemeIsPlainHTTPAndGetsNoToken() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: s3cr3t", server: "{PLAIN_HOSTPORT}"))
        #expect(ours.request?.server == "http")
        #expect(ours.request?.authorization == nil)
    }

    @Test func theTokenFileWinsOverTheInlineToken() async throws {
        var scenario = ParityScenario.user("    token: inline\n    tokenFile: {DIR}/token")
        scenario.files = ["token": "from-file\n"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.authorization == "Bearer from-file")
    }

    @Test func aMissingTokenFileFallsBackToTheInlineToken() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: inline\n    tokenFile: {DIR}/missing"))
        #expect(ours.request?.authorization == "Bearer inline")
    }

    @Test func aMissingTokenFileAloneFails() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    tokenFile: {DIR}/missing"))
        #expect(ours.stderr.contains("user \"u\" in "))
        #expect(ours.stderr.contains("/missing does not exist or is not readable"))
    }

    @Test func aMissingTokenFileIsNotReadOverPlainHTTP() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    tokenFile: {DIR}/missing", server: "{PLAIN}"))
        #expect(ours.request?.authorization == nil)
    }

    @Test func basicAuthIsSentOverTLS() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    username: admin\n    password: pa55"))
        #expect(ours.request?.authorization == "Basic " + Data("admin:pa55".utf8).base64EncodedString())
    }

    @Test func basicAuthIsNeverSentOverPlainHTTP() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    username: admin\n    password: pa55", server: "{PLAIN}"))
        #expect(ours.request?.authorization == nil)
    }

    @Test func aTokenAndBasicAuthTogetherFail() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: t\n    username: admin\n    password: pa55"))
        #expect(ours.stderr.contains("more than one authentication method found (token and username/password)"))
    }

    @Test func impersonationFromTheUserEntryIsSent() async throws {
        let user = "    token: t\n    as: alice\n    as-uid: u-1\n    as-groups: [dev, ops]\n    as-user-extra: {scopes: [read, write]}"
        let (_, ours) = try await KubeconfigParity.expectSame(.user(user))
        #expect(ours.request?.impersonation == ["impersonate-extra-scopes: read", "impersonate-extra-scopes: write",
                                                "impersonate-group: dev", "impersonate-group: ops",
                                                "impersonate-uid: u-1", "impersonate-user: alice"])
    }

    @Test func impersonationFlagsReplaceTheUserEntry() async throws {
        var scenario = ParityScenario.user("    token: t\n    as: alice\n    as-groups: [dev]")
        scenario.arguments = ["--as", "bob", "--as-group", "qa", "--as-group", "sre", "--as-uid", "u-2"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.impersonation == ["impersonate-group: qa", "impersonate-group: sre",
                                                "impersonate-uid: u-2", "impersonate-user: bob"])
    }

    @Test func impersonationIsSentOverPlainHTTPToo() async throws {
        var scenario = ParityScenario.user("    token: t", server: "{PLAIN}")
        scenario.arguments = ["--as", "bob"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.impersonation == ["impersonate-user: bob"])
        #expect(ours.request?.authorization == nil)
    }

    @Test func impersonatedGroupsWithoutAUserFail() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.arguments = ["--as-group", "dev"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.stderr.contains("is set without a user to impersonate; set as: NAME in the user entry or pass --as NAME"))
    }

    @Test func theContextNamespaceAndTheFlagChooseTheNamespace() async throws {
        let (_, fromContext) = try await KubeconfigParity.expectSame(.user("    token: t", namespace: "team-b"))
        #expect(fromContext.request?.path == "/apis/apps/v1/namespaces/team-b/deployments/hello")
        var scenario = ParityScenario.user("    token: t", namespace: "team-b")
        scenario.arguments = ["-n", "team-c"]
        let (_, fromFlag) = try await KubeconfigParity.expectSame(scenario)
        #expect(fromFlag.request?.path == "/apis/apps/v1/namespaces/team-c/deployments/hello")
    }
}
