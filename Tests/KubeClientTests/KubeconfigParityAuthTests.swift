import Foundation
import Testing

@testable import KubeClient

/// kubectl as the oracle for client certificates, exec plugins, the oidc auth provider and
/// proxies (`plugin/pkg/client/auth/exec/exec.go`, `plugin/pkg/client/auth/oidc/oidc.go`,
/// `transport/cache.go`).
@Suite(.enabled(if: KubeconfigParity.kubectl != nil, "kubectl is not installed"))
struct KubeconfigParityAuthTests {
    /// An exec plugin that records each run and what it was told, then answers with a token.
    private static let plugin = """
        echo run >> "{DIR}/runs"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "{DIR}/exec-info"
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token"}}'
        """

    private func exec(_ extra: String = "interactiveMode: Never", user: String = "", server: String = "{TLS}",
                      cluster: String = "") -> ParityScenario {
        var scenario = ParityScenario.user(user + "    exec: {apiVersion: client.authentication.k8s.io/v1, command: {DIR}/plugin.sh, \(extra)}",
                                           server: server, cluster: cluster)
        scenario.scripts = ["plugin.sh": Self.plugin]
        scenario.collect = ["runs", "exec-info"]
        return scenario
    }

    /// A JWT (unsigned; the client never checks the signature) whose `exp` is `expiry`.
    private func jwt(expiry: Int) -> String {
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        return part(#"{"alg":"RS256"}"#) + "." + part(#"{"exp":\#(expiry),"sub":"alice"}"#) + ".c2ln"
    }

    @Test func aClientCertificateIsPresentedOverTLS() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    client-certificate: {CERT}\n    client-key: {KEY}"))
        #expect(ours.request?.clientCertificate == "ci")
    }

    @Test func aClientCertificateIsNeverSentOverPlainHTTP() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    client-certificate: {CERT}\n    client-key: {KEY}", server: "{PLAIN}"))
        #expect(ours.request?.server == "http")
        #expect(ours.request?.clientCertificate == nil)
    }

    @Test func anExecPluginOfV1WithoutInteractiveModeFails() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(exec(""))
        #expect(ours.collected["runs"] == "")
        #expect(ours.stderr.contains("exec.interactiveMode must be set for client.authentication.k8s.io/v1"))
    }

    @Test func anExecPluginWithInteractiveModeRunsAndItsTokenIsSent() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(exec())
        #expect(ours.request?.authorization == "Bearer exec-token")
        #expect(ours.collected["runs"] == "run\n")
    }

    @Test func anExecPluginIsNeverRunForPlainHTTP() async throws {
        let (theirs, ours) = try await KubeconfigParity.expectSame(exec(server: "{PLAIN}"))
        #expect(theirs.collected["runs"] == "")
        #expect(ours.collected["runs"] == "")
        #expect(ours.request?.authorization == nil)
    }

    @Test func aStaticClientCertificateWinsAndThePluginDoesNotRun() async throws {
        let (theirs, ours) = try await KubeconfigParity.expectSame(exec(user: "    client-certificate: {CERT}\n    client-key: {KEY}\n"))
        #expect(theirs.collected["runs"] == "")
        #expect(ours.collected["runs"] == "")
        #expect(ours.request?.clientCertificate == "ci")
        #expect(ours.request?.authorization == nil)
    }

    @Test func provideClusterInfoGivesThePluginTheCluster() async throws {
        let cluster = """
                tls-server-name: localhost
                extensions:
                - name: client.authentication.k8s.io/exec
                  extension: {audience: pipedreamer, retries: 2}
            """
        let (theirs, ours) = try await KubeconfigParity.expectSame(exec("interactiveMode: Never, provideClusterInfo: true", cluster: cluster))
        let decode = { (text: String?) throws -> JSONValue in try JSONDecoder().decode(JSONValue.self, from: Data((text ?? "").utf8)) }
        let info = try decode(ours.collected["exec-info"])
        #expect(info == (try decode(theirs.collected["exec-info"])))
        #expect(info[path: "spec", "cluster", "server"] == .string("{TLS}"))
        #expect(info[path: "spec", "cluster", "tls-server-name"] == .string("localhost"))
        #expect(info[path: "spec", "cluster", "config", "audience"] == .string("pipedreamer"))
        let ca = FileManager.default.contents(atPath: KubeTestCertificates.shared.caCertificate) ?? Data()
        #expect(info[path: "spec", "cluster", "certificate-authority-data"] == .string(ca.base64EncodedString()))
    }

    @Test func anOIDCUserWithAValidIDTokenSendsIt() async throws {
        let token = jwt(expiry: 4_102_444_800)
        let (_, ours) = try await KubeconfigParity.expectSame(.user(
            "    auth-provider: {name: oidc, config: {idp-issuer-url: 'https://issuer.test', client-id: k, id-token: \(token)}}"))
        #expect(ours.request?.authorization == "Bearer \(token)")
    }

    @Test func anOIDCUserWithAnExpiredIDTokenAndNoRefreshTokenFails() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user(
            "    auth-provider: {name: oidc, config: {idp-issuer-url: 'https://issuer.test', client-id: k, id-token: \(jwt(expiry: 100))}}"))
        #expect(ours.stderr.contains("no valid id-token, and cannot refresh without refresh-token"))
    }

    @Test func theProxyURLCarriesTheRequest() async throws {
        var scenario = ParityScenario.user("    token: t", cluster: "    proxy-url: {PROXY}")
        scenario.proxy = true
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.server == "https via proxy")
        #expect(ours.request?.authorization == "Bearer t")
    }

    @Test func theProxyEnvironmentIsNotUsedForALoopbackServer() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.proxy = true
        scenario.environment = ["HTTPS_PROXY": "{PROXY}"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.server == "https")
    }
}
