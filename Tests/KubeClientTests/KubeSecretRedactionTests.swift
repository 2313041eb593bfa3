import Foundation
import Testing

@testable import KubeClient

/// A known token must never show up in anything a person or a log could see.
@Suite struct KubeSecretRedactionTests {
    private let token = "s3cr3t-token"

    private func everyRendering(_ value: Any) -> String {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped].joined(separator: "\n")
    }

    @Test func connectionRenderingsHideTokenAndKeys() throws {
        let connection = ClusterConnection(
            server: URL(string: "https://k")!,
            credentials: KubeCredentials(token: SecretText(token), clientKey: .data(SecretData(Data("KEY-\(token)".utf8))),
                                         exec: ExecConfig(command: "p", env: [("TOKEN", SecretText(token))], apiVersion: "v1", userName: "ci")),
            origin: "test")
        #expect(!everyRendering(connection).contains(token))
    }

    @Test func execCredentialRenderingsHideTheToken() {
        let credential = ExecCredential(token: SecretText(token), clientKey: SecretData(Data(token.utf8)))
        #expect(!everyRendering(credential).contains(token))
    }

    @Test func errorsNeverContainTheToken() async throws {
        var descriptions: [String] = []
        let scratch = KubeScratch()
        let config = scratch.write("config", kubeconfig(server: "https://k", user: "    token: \(token)\n    auth-provider: {name: oidc}"))
        do { _ = try KubeConfigLoader.load(scratch.options(kubeconfig: config)) } catch { descriptions.append("\(error)") }
        let broken = scratch.write("broken", "users:\n- name: ci\n  user: {token: \"\(token)\n")
        do { _ = try KubeConfigLoader.load(scratch.options(kubeconfig: broken)) } catch { descriptions.append("\(error)") }
        for reply in [FakeReply.status(401, reason: "Unauthorized", message: "Unauthorized"),
                      FakeReply(status: 502, body: "bad gateway"), FakeReply.json("not json")] {
            do {
                _ = try await withFakeAPI([reply], options: KubeTestRecorder().options(retry: .never)) { client, _ in
                    try await client.serverVersion()
                }
            } catch { descriptions.append("\(error)") }
        }
        let port = try await FakeAPIServer.closedPort()
        let client = try KubernetesClient(connection: ClusterConnection(server: URL(string: "http://127.0.0.1:\(port)")!,
                                                                        credentials: KubeCredentials(token: SecretText(token)), origin: "t"),
                                          options: KubeTestRecorder().options(retry: .never))
        do { _ = try await client.serverVersion() } catch { descriptions.append("\(error)") }
        try await client.shutdown()
        let plugin = scratch.script("plugin.sh", "echo '{\"token\":\"\(token)\"'")
        do {
            _ = try await ExecCredentialProvider(config: ExecConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1", userName: "ci")).credential()
        } catch { descriptions.append("\(error)") }
        #expect(descriptions.count == 7)
        #expect(descriptions.allSatisfy { !$0.contains(token) })
    }

    @Test func urlCredentialsAreRemovedFromTextWhetherOrNotItParses() {
        #expect(URLCredentials.redacted("https://admin:\(token)@k.example:6443/prefix?x=a@b") == "https://k.example:6443/prefix?x=a@b")
        #expect(URLCredentials.redacted("admin:\(token)@k.example") == "k.example")
        #expect(URLCredentials.redacted("https://a@b:\(token)@[::1]:6443") == "https://[::1]:6443")
        #expect(URLCredentials.redacted("https://k.example/a@b") == "https://k.example/a@b")
        #expect(URLCredentials.redacted("ht tp://admin:\(token)@k") == "ht tp://k")
    }

    @Test func aPasswordInTheKubeconfigServerURLIsDroppedFromTheConnection() throws {
        let scratch = KubeScratch()
        let config = scratch.write("config", kubeconfig(server: "https://admin:\(token)@k.example:6443"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: config))
        #expect(connection.server == URL(string: "https://k.example:6443"))
        #expect(!everyRendering(connection).contains(token))
    }

    @Test func aRefusedServerURLIsQuotedWithoutItsPassword() throws {
        let scratch = KubeScratch()
        let config = scratch.write("config", kubeconfig(server: "ftp://admin:\(token)@k.example"))
        #expect(throws: KubeConfigError("cluster \"test\" in \(config): server \"ftp://k.example\" is not an http(s) URL")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: config))
        }
    }

    @Test func aConnectionErrorNamesTheServerWithoutItsPassword() async throws {
        let port = try await FakeAPIServer.closedPort()
        let client = try KubernetesClient(connection: ClusterConnection(server: URL(string: "http://admin:\(token)@127.0.0.1:\(port)")!,
                                                                        origin: "t"),
                                          options: KubeTestRecorder().options(retry: .never))
        var description = ""
        do { _ = try await client.serverVersion() } catch { description = "\(error)" }
        try await client.shutdown()
        #expect(description.contains("the Kubernetes API at http://127.0.0.1:\(port)"))
        #expect(!description.contains(token))
    }

    @Test func basicAuthOIDCAndExecClusterInfoRenderingsHideTheirSecrets() {
        let cluster = ExecClusterInfo(server: "https://k", certificateAuthorityData: SecretData(Data("CA-\(token)".utf8)),
                                      proxyURL: SecretText("http://u:\(token)@proxy:3128"))
        let connection = ClusterConnection(
            server: URL(string: "https://k")!,
            credentials: KubeCredentials(
                exec: ExecConfig(command: "p", apiVersion: "client.authentication.k8s.io/v1", userName: "ci", cluster: cluster),
                basicAuth: BasicAuth(username: "admin", password: SecretText(token)),
                oidc: OIDCToken(idToken: SecretText(token), hasRefreshToken: true, issuer: "https://i", userName: "ci")),
            origin: "test", impersonation: KubeImpersonation(user: "alice"))
        #expect(!everyRendering(connection).contains(token))
    }

    @Test func newCredentialErrorsNeverContainTheSecret() async throws {
        let scratch = KubeScratch()
        var descriptions: [String] = []
        let expired = "e30." + Data(#"{"exp":100,"pw":"\#(token)"}"#.utf8).base64EncodedString() + ".sig"
        for config in [
            "    username: admin\n    password: \(token)\n    token: \(token)",
            "    auth-provider: {name: oidc, config: {id-token: \(token), refresh-token: \(token)}}",
            "    auth-provider: {name: gcp, config: {access-token: \(token)}}",
            "    as-groups: [\(token)]",
        ] {
            let file = scratch.write("config", kubeconfig(server: "https://k", user: config))
            do { _ = try KubeConfigLoader.load(scratch.options(kubeconfig: file)) } catch { descriptions.append("\(error)") }
        }
        for idToken in [token, expired] {
            let oidc = OIDCToken(idToken: SecretText(idToken), hasRefreshToken: false, issuer: "https://i", userName: "ci")
            do { _ = try oidc.token(now: Date()) } catch { descriptions.append("\(error)") }
        }
        let basic = KubeCredentials(token: SecretText(token), basicAuth: BasicAuth(username: "a", password: SecretText(token)))
        do { _ = try KubernetesClient(connection: ClusterConnection(server: URL(string: "https://k")!, credentials: basic, origin: "t")) } catch {
            descriptions.append("\(error)")
        }
        #expect(descriptions.count == 7)
        #expect(descriptions.allSatisfy { !$0.contains(token) })
    }

    @Test func retryNoticesCarryNoBasicAuth() async throws {
        let notices = KubeTestRecorder()
        var options = notices.options(retry: KubeRetryPolicy(maxAttempts: 2, initialBackoff: .zero, jitter: 0))
        let seen = Locked<[String]>([])
        options.retryHandler = { notice in seen.mutate { $0.append(notice.description) } }
        let credentials = KubeCredentials(basicAuth: BasicAuth(username: "admin", password: SecretText(token)))
        var failure = ""
        do {
            _ = try await withFakeAPI([FakeReply(status: 503, body: "busy")], credentials: credentials, options: options) { client, _ in
                try await client.serverVersion()
            }
        } catch { failure = "\(error)" }
        let lines = seen.value + [failure]
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains(token) && !$0.contains(Data("admin:\(token)".utf8).base64EncodedString()) })
    }
}

/// A value shared with `@Sendable` callbacks.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
