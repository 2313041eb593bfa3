import TestSupport
import Foundation
import Testing

@testable import KubeClient

/// Requests through an HTTP CONNECT proxy to a TLS API server, and failures named as the proxy's.
@Suite struct KubeProxyTunnelTests {
    private let pki = KubeTestCertificates.shared
    private let ok = FakeReply.json(#"{"gitVersion":"v1.31.0"}"#)
    static let password = "pr0xy-pa55-7e4d"
    /// `Basic base64("deploy:pr0xy-pa55-7e4d")`.
    static let authorization = "Basic " + Data("deploy:\(password)".utf8).base64EncodedString()

    /// A TLS fake API server reached through `proxy` (the kubeconfig's proxy-url), retries recorded, not waited for.
    func withProxiedAPI<T>(proxy: KubeProxy, retry: KubeRetryPolicy = .never,
                           _ body: (KubernetesClient, FakeAPIServer) async throws -> T) async throws -> T {
        let server = try await FakeAPIServer.start([ok], tls: try pki.serverTLS())
        let connection = ClusterConnection(server: URL(string: server.url)!, tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate)),
                                           credentials: KubeCredentials(token: SecretText("s3cr3t-token"), userName: "ci"),
                                           origin: "test", proxy: proxy)
        let client = try KubernetesClient(connection: connection, options: KubeTestRecorder().options(retry: retry, environment: [:]))
        do {
            let result = try await body(client, server)
            try await client.shutdown()
            await server.stop()
            return result
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
    }

    func proxy(port: Int, withCredentials: Bool = true) throws -> KubeProxy {
        let credentials = withCredentials ? "deploy:\(Self.password)@" : ""
        return try KubeProxy.parse("http://\(credentials)127.0.0.1:\(port)", source: "proxy-url")
    }

    @Test func requestsTunnelThroughTheProxyWithItsCredentials() async throws {
        let tunnel = try KubeTestProxy(expectedAuthorization: Self.authorization)
        defer { tunnel.stop() }
        let (version, port) = try await withProxiedAPI(proxy: try proxy(port: tunnel.port)) { client, server in
            (try await client.serverVersion(), server.port)
        }
        #expect(version == "v1.31.0")
        #expect(tunnel.log == ["CONNECT 127.0.0.1:\(port) HTTP/1.1 auth=\(Self.authorization)"])
    }

    @Test func wrongProxyCredentialsAreNamedAsTheProxyAndNeverPrinted() async throws {
        let tunnel = try KubeTestProxy(expectedAuthorization: "Basic other")
        defer { tunnel.stop() }
        let (error, port) = try await withProxiedAPI(proxy: try proxy(port: tunnel.port)) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.description == "getting the server version: cannot reach the Kubernetes API at https://127.0.0.1:\(port) through proxy http://127.0.0.1:\(tunnel.port): the proxy refused the credentials in the proxy URL (HTTP 407 Proxy Authentication Required)")
        #expect(!"\(String(describing: error)) \(String(reflecting: error))".contains(Self.password))
    }

    @Test func aProxyAskingForCredentialsSaysWhereToPutThem() async throws {
        let tunnel = try KubeTestProxy(expectedAuthorization: Self.authorization)
        defer { tunnel.stop() }
        let (error, port) = try await withProxiedAPI(proxy: try proxy(port: tunnel.port, withCredentials: false)) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.description == "getting the server version: cannot reach the Kubernetes API at https://127.0.0.1:\(port) through proxy http://127.0.0.1:\(tunnel.port): the proxy requires credentials (HTTP 407 Proxy Authentication Required); give them in the proxy URL as http://user:password@host:port")
    }

    @Test func aRefusedTunnelIsTheProxysFailureAndIsRetried() async throws {
        let tunnel = try KubeTestProxy(status: 502)
        defer { tunnel.stop() }
        let retry = KubeRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), jitter: 0)
        let (error, port) = try await withProxiedAPI(proxy: try proxy(port: tunnel.port), retry: retry) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.description == "getting the server version: cannot reach the Kubernetes API at https://127.0.0.1:\(port) through proxy http://127.0.0.1:\(tunnel.port): the proxy refused to open a tunnel (its answer to CONNECT was not 200) (after 2 attempts)")
        #expect(tunnel.log.count == 2)
        #expect(!"\(String(describing: error))".contains(Self.password))
    }

    @Test func aDeadProxyIsNamedNotTheAPIServer() async throws {
        let gone = try RefusingPort()
        defer { withExtendedLifetime(gone) {} }
        let deadPort = gone.port
        let (error, port) = try await withProxiedAPI(proxy: try proxy(port: deadPort)) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.description == "getting the server version: cannot reach the Kubernetes API at https://127.0.0.1:\(port) through proxy http://127.0.0.1:\(deadPort): connection refused")
        #expect(!"\(String(describing: error))".contains(Self.password))
    }

    @Test func theEnvironmentProxyIsUsedForARemoteNameAndSkippedForLoopback() async throws {
        let environment = ["HTTPS_PROXY": "http://deploy:\(Self.password)@proxy.corp:3128"]
        let remote = try KubeTransport(connection: ClusterConnection(server: URL(string: "https://api.example.com")!, origin: "test"),
                                       options: KubeTestRecorder().options(environment: environment))
        let local = try KubeTransport(connection: ClusterConnection(server: URL(string: "https://127.0.0.1:6443")!, origin: "test"),
                                      options: KubeTestRecorder().options(environment: environment))
        #expect(remote.proxy?.description == "http://proxy.corp:3128")
        #expect(local.proxy == nil)
        try await remote.shutdown()
        try await local.shutdown()
    }
}
