import Foundation
import Testing

@testable import KubeClient

/// Which proxy carries the requests to an API server: kubectl's rules (client-go's `proxy-url`,
/// else Go's `httpproxy` environment rules).
@Suite struct KubeProxySelectionTests {
    struct Case: Sendable, CustomStringConvertible {
        var host: String
        var port = 6443
        var noProxy: String
        var proxied: Bool
        var description: String { "\(host):\(port) NO_PROXY=\(noProxy)" }
    }

    static let cases: [Case] = [
        Case(host: "api.example.com", noProxy: "", proxied: true),
        Case(host: "localhost", noProxy: "", proxied: false),
        Case(host: "127.0.0.1", noProxy: "", proxied: false),
        Case(host: "127.10.20.30", noProxy: "", proxied: false),
        Case(host: "::1", noProxy: "", proxied: false),
        Case(host: "[::1]", noProxy: "", proxied: false),
        Case(host: "api.example.com", noProxy: "*", proxied: false),
        Case(host: "api.example.com", noProxy: "example.com", proxied: false),
        Case(host: "example.com", noProxy: "example.com", proxied: false),
        Case(host: "notexample.com", noProxy: "example.com", proxied: true),
        Case(host: "api.example.com", noProxy: ".example.com", proxied: false),
        Case(host: "example.com", noProxy: ".example.com", proxied: true),
        Case(host: "api.example.com", noProxy: "*.example.com", proxied: false),
        Case(host: "API.Example.COM", noProxy: " other.org , EXAMPLE.com ", proxied: false),
        Case(host: "api.example.com", noProxy: "example.com:6443", proxied: false),
        Case(host: "api.example.com", noProxy: "example.com:443", proxied: true),
        Case(host: "10.1.2.3", noProxy: "10.1.2.3", proxied: false),
        Case(host: "10.1.2.4", noProxy: "10.1.2.3", proxied: true),
        Case(host: "10.1.2.3", noProxy: "10.1.2.3:6443", proxied: false),
        Case(host: "10.1.2.3", noProxy: "10.1.2.3:443", proxied: true),
        Case(host: "10.200.0.1", noProxy: "10.0.0.0/8", proxied: false),
        Case(host: "11.0.0.1", noProxy: "10.0.0.0/8", proxied: true),
        Case(host: "172.16.5.4", noProxy: "172.16.0.0/12", proxied: false),
        Case(host: "172.32.0.1", noProxy: "172.16.0.0/12", proxied: true),
        Case(host: "fd00::10", noProxy: "fd00::/8", proxied: false),
        Case(host: "fe80::1", noProxy: "fd00::/8", proxied: true),
        Case(host: "2001:db8::1", noProxy: "[2001:db8::1]:6443", proxied: false),
        Case(host: "10.1.2.3", noProxy: "example.com,10.0.0.0/8", proxied: false),
        Case(host: "api.example.com", noProxy: ",,", proxied: true),
    ]

    @Test(arguments: cases)
    func noProxyAndLoopbackFollowGoRules(_ c: Case) {
        #expect(ProxySelection.useProxy(host: c.host, port: c.port, noProxy: c.noProxy) == c.proxied)
    }

    let proxy = KubeProxy(kind: .http, host: "proxy.corp", port: 3128)

    @Test func httpsServerUsesHTTPSProxyUpperCaseFirst() throws {
        let environment = ["HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128", "HTTP_PROXY": "http://plain:3128"]
        let chosen = try ProxySelection.proxy(for: URL(string: "https://api.example.com:6443")!, proxyURL: nil, environment: environment)
        #expect(chosen == KubeProxy(kind: .http, host: "upper", port: 3128))
    }

    @Test func lowerCaseVariablesAreRead() throws {
        let environment = ["https_proxy": "lower:3128", "no_proxy": "other.org"]
        let chosen = try ProxySelection.proxy(for: URL(string: "https://api.example.com")!, proxyURL: nil, environment: environment)
        #expect(chosen == KubeProxy(kind: .http, host: "lower", port: 3128))
    }

    @Test func httpServerUsesHTTPProxyOnly() throws {
        let server = URL(string: "http://api.example.com:8080")!
        #expect(try ProxySelection.proxy(for: server, proxyURL: nil, environment: ["HTTPS_PROXY": "http://p:1"]) == nil)
        #expect(try ProxySelection.proxy(for: server, proxyURL: nil, environment: ["HTTP_PROXY": "http://p:1"])
            == KubeProxy(kind: .http, host: "p", port: 1))
    }

    @Test func noProxyInTheEnvironmentBypassesTheEnvironmentProxy() throws {
        let environment = ["HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example.com"]
        #expect(try ProxySelection.proxy(for: URL(string: "https://api.example.com")!, proxyURL: nil, environment: environment) == nil)
    }

    @Test func kubeconfigProxyURLOverridesTheEnvironmentEvenForLoopback() throws {
        let environment = ["HTTPS_PROXY": "http://other:1", "NO_PROXY": "*"]
        #expect(try ProxySelection.proxy(for: URL(string: "https://127.0.0.1:6443")!, proxyURL: proxy, environment: environment) == proxy)
    }

    @Test func credentialsAreReadAndNeverDescribed() throws {
        let parsed = try KubeProxy.parse("http://deploy%40corp:p%40ss-w0rd-91f@proxy.corp:3128", source: "$HTTPS_PROXY")
        #expect(parsed.username == "deploy@corp")
        #expect(parsed.password == SecretText("p@ss-w0rd-91f"))
        #expect(parsed.description == "http://proxy.corp:3128")
        #expect(!String(reflecting: parsed).contains("w0rd"))
        #expect(!"\(ClusterConnection(server: URL(string: "https://k")!, origin: "test", proxy: parsed))".contains("w0rd"))
    }

    @Test func defaultPortsAndSocks() throws {
        #expect(try KubeProxy.parse("http://proxy.corp", source: "s") == KubeProxy(kind: .http, host: "proxy.corp", port: 80))
        #expect(try KubeProxy.parse("socks5://gw:1081", source: "s") == KubeProxy(kind: .socks5, host: "gw", port: 1081))
        #expect(try KubeProxy.parse("socks5h://gw", source: "s") == KubeProxy(kind: .socks5, host: "gw", port: 1080))
        #expect(try KubeProxy.parse("http://[fd00::1]:3128", source: "s").description == "http://[fd00::1]:3128")
    }

    @Test func unsupportedProxiesAreRefusedWithoutQuotingThem() {
        #expect(throws: KubeConfigError("$HTTPS_PROXY: proxies reached over TLS (https://) are not supported; use an http:// proxy (the API server connection inside the CONNECT tunnel is still TLS)")) {
            try KubeProxy.parse("https://u:secret-pw@proxy:3128", source: "$HTTPS_PROXY")
        }
        #expect(throws: KubeConfigError("proxy-url: SOCKS5 proxies with a user name or password are not supported; use a SOCKS5 proxy without authentication or an http:// proxy")) {
            try KubeProxy.parse("socks5://u:secret-pw@gw:1080", source: "proxy-url")
        }
        #expect(throws: KubeConfigError("proxy-url has scheme \"ftp\"; expected http or socks5")) {
            try KubeProxy.parse("ftp://u:secret-pw@gw:21", source: "proxy-url")
        }
    }
}
