import Foundation
import Testing

@testable import KubeClient

/// client-go's credential rules that need no kubectl to check: what is sent on the wire, in-cluster
/// overrides, oidc expiry over time, and the exec plugin's cluster information.
@Suite struct KubeCredentialRulesTests {
    private let scratch = KubeScratch()
    private let ok = FakeReply.json(#"{"gitVersion":"v1.32.0"}"#)

    private func send(_ connection: (URL) -> ClusterConnection, options: KubeClientOptions = KubeTestRecorder().options(retry: .never))
        async throws -> RecordedRequest? {
        let server = try await FakeAPIServer.start([ok])
        let client = try KubernetesClient(connection: connection(URL(string: server.url)!), options: options)
        _ = try? await client.serverVersion()
        try await client.shutdown()
        await server.stop()
        return server.requests.first
    }

    @Test func impersonationHeadersFollowTheRoundTripperWithEscapedExtraKeys() async throws {
        let impersonation = KubeImpersonation(user: "alice", uid: "u-1", groups: ["dev", "ops"],
                                              extra: ["example.com/scope": ["a"], "100%": ["b"]])
        let request = try await send { ClusterConnection(server: $0, origin: "t", impersonation: impersonation) }
        let sent = request?.headers.filter { $0.name.hasPrefix("Impersonate-") }.map { "\($0.name): \($0.value)" }
        #expect(sent == ["Impersonate-User: alice", "Impersonate-Uid: u-1", "Impersonate-Group: dev", "Impersonate-Group: ops",
                         "Impersonate-Extra-100%25: b", "Impersonate-Extra-example.com%2Fscope: a"])
    }

    @Test func aStaticTokenBesideAnExecPluginMeansThePluginNeverRuns() async throws {
        let plugin = scratch.script("plugin.sh", "echo run >> \"\(scratch.path)/runs\"; exit 1")
        let exec = ExecConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never", userName: "ci")
        let request = try await send {
            ClusterConnection(server: $0, credentials: KubeCredentials(token: SecretText("static"), exec: exec), origin: "t")
        }
        #expect(request?.header("Authorization") == "Bearer static")
        #expect(scratch.read("runs") == "")
    }

    @Test func aBearerTokenAndBasicAuthTogetherAreRefusedBeforeAnyRequest() throws {
        let credentials = KubeCredentials(token: SecretText("t"), basicAuth: BasicAuth(username: "a", password: SecretText("p")))
        #expect(throws: KubeConfigError("t: username/password or a bearer token may be set, but not both")) {
            try KubernetesClient(connection: ClusterConnection(server: URL(string: "https://k")!, credentials: credentials, origin: "t"))
        }
    }

    @Test func anOIDCIDTokenIsSentUntilItExpiresThenTheErrorSaysHowToRefresh() async throws {
        let clock = KubeTestClock()
        var options = KubeTestRecorder().options(retry: .never)
        options.now = { clock.now }
        let jwt = "e30." + Data(#"{"exp":\#(Int(clock.now.timeIntervalSince1970) + 60)}"#.utf8).base64EncodedString() + ".sig"
        let oidc = OIDCToken(idToken: SecretText(jwt), hasRefreshToken: true, issuer: "https://issuer.test", userName: "ci")
        let connection = { (url: URL) in ClusterConnection(server: url, credentials: KubeCredentials(oidc: oidc), origin: "t") }
        #expect(try await send(connection, options: options)?.header("Authorization") == "Bearer \(jwt)")
        clock.advance(61)
        #expect(throws: KubeConfigError("""
            auth-provider oidc of user "ci": the id-token has expired and pipedreamer does not refresh it; run `kubectl get ns` once \
            (kubectl refreshes it with the refresh-token from https://issuer.test and writes it back), or switch to an exec \
            plugin such as kubelogin
            """)) { try oidc.token(now: clock.now) }
    }

    @Test func inClusterTheFlagsImpersonateAndPodNamespaceWins() throws {
        scratch.write("serviceaccount/token", "sa-token\n")
        scratch.write("serviceaccount/namespace", "jobs")
        var options = scratch.options(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443",
                                                    "POD_NAMESPACE": "from-env"])
        options.impersonation = KubeImpersonationFlags(user: "deployer", groups: ["ci"])
        let connection = try KubeConfigLoader.load(options)
        #expect(connection.namespace == "from-env")
        #expect(connection.impersonation == KubeImpersonation(user: "deployer", groups: ["ci"]))
        #expect(connection.credentials.token == SecretText("sa-token"))
    }

    @Test func asFlagsImpersonateEvenWithoutAUserEntry() throws {
        let file = scratch.write("config", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c}}]
            current-context: dev
            """)
        var options = scratch.options(kubeconfig: file)
        options.impersonation = KubeImpersonationFlags(user: "bob", uid: "u-9")
        #expect(try KubeConfigLoader.load(options).impersonation == KubeImpersonation(user: "bob", uid: "u-9"))
    }

    @Test func disableCompressionAndTheExecExtensionAreRead() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", cluster: """
                disable-compression: true
                proxy-url: http://user:pw@proxy.test:3128
                extensions:
                - name: client.authentication.k8s.io/exec
                  extension: {audience: a, n: 2, on: true}
            """, user: "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, provideClusterInfo: true}"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.disableCompression)
        #expect(connection.credentials.exec?.interactiveMode == "IfAvailable")
        #expect(ExecCredentialProvider.execInfo(apiVersion: "client.authentication.k8s.io/v1beta1", cluster: connection.credentials.exec?.cluster) == """
            {"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"cluster":{"config":{"audience":"a","n":2,"on":true},\
            "disable-compression":true,"proxy-url":"http://user:pw@proxy.test:3128","server":"https://k"},"interactive":false}}
            """)
    }
}
