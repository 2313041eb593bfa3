import Foundation
import Testing

@testable import KubeClient

/// A proxy password from the kubeconfig or the environment never shows up in a rendering or an error.
@Suite struct KubeProxyRedactionTests {
    private let password = "pr0xy-s3cret-5a1"

    private func everyRendering(_ value: Any) -> String {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped].joined(separator: "\n")
    }

    @Test func aKubeconfigProxyURLIsReadAndItsPasswordHidden() throws {
        let scratch = KubeScratch()
        let config = scratch.write("config", kubeconfig(server: "https://k", cluster: "    proxy-url: http://deploy:\(password)@proxy.corp:3128"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: config))
        #expect(connection.proxy == KubeProxy(kind: .http, host: "proxy.corp", port: 3128, username: "deploy", password: SecretText(password)))
        #expect(!everyRendering(connection).contains(password))
    }

    @Test func aRefusedKubeconfigProxyURLIsNotQuoted() throws {
        let scratch = KubeScratch()
        let config = scratch.write("config", kubeconfig(server: "https://k", cluster: "    proxy-url: https://deploy:\(password)@proxy.corp:3128"))
        #expect(throws: KubeConfigError("cluster \"test\" in \(config): proxy-url: proxies reached over TLS (https://) are not supported; use an http:// proxy (the API server connection inside the CONNECT tunnel is still TLS)")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: config))
        }
    }

    @Test func anEnvironmentProxyWithoutAHostIsRefusedWithoutQuotingIt() {
        #expect(throws: KubeConfigError("$HTTPS_PROXY is not a proxy URL; expected http://host:port or socks5://host:port")) {
            try ProxySelection.proxy(for: URL(string: "https://api.example.com")!, proxyURL: nil,
                                     environment: ["HTTPS_PROXY": "http://deploy:\(password)@"])
        }
    }

    @Test func aProxyFailureNamesTheServerAndTheProxyWithoutEitherPassword() async throws {
        let port = try await FakeAPIServer.closedPort()
        let connection = ClusterConnection(server: URL(string: "https://admin:\(password)@k.example:6443")!, origin: "t",
                                           proxy: try KubeProxy.parse("http://deploy:\(password)@127.0.0.1:\(port)", source: "proxy-url"))
        let client = try KubernetesClient(connection: connection, options: KubeTestRecorder().options(retry: .never))
        var description = ""
        do { _ = try await client.serverVersion() } catch { description = "\(error)" }
        try await client.shutdown()
        #expect(description.contains("the Kubernetes API at https://k.example:6443 through proxy http://127.0.0.1:\(port)"))
        #expect(!description.contains(password))
    }
}
