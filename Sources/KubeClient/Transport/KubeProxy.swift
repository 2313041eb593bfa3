import Foundation

/// A proxy the API server is reached through: an HTTP proxy (every request tunnels with
/// `CONNECT`) or a SOCKS5 proxy. Credentials in the URL become `Proxy-Authorization: Basic`;
/// the description never shows them.
public struct KubeProxy: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: String, Sendable { case http, socks5 }

    public var kind: Kind
    public var host: String
    public var port: Int
    public var username: String?
    public var password: SecretText?

    public init(kind: Kind, host: String, port: Int, username: String? = nil, password: SecretText? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// `http://proxy:3128`: the URL without credentials, for messages.
    public var description: String {
        "\(kind.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    public var debugDescription: String { description }

    /// Reads a proxy URL as Go's `httpproxy` does: a value without a scheme is an http proxy
    /// (`proxy:3128`); `socks5h` is `socks5` (the proxy resolves names either way). `source` names
    /// where the value came from (`proxy-url of cluster "prod"`, `HTTPS_PROXY`) and the message
    /// never repeats the value, which may hold a password.
    public static func parse(_ text: String, source: String) throws -> KubeProxy {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://\(trimmed)"
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty else {
            throw KubeConfigError("\(source) is not a proxy URL; expected http://host:port or socks5://host:port")
        }
        let scheme = components.scheme?.lowercased() ?? "http"
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }.map(SecretText.init)
        switch scheme {
        case "http":
            return KubeProxy(kind: .http, host: bare, port: components.port ?? 80, username: username, password: password)
        case "socks5", "socks5h":
            if username != nil || password != nil {
                throw KubeConfigError("\(source): SOCKS5 proxies with a user name or password are not supported; use a SOCKS5 proxy without authentication or an http:// proxy")
            }
            return KubeProxy(kind: .socks5, host: bare, port: components.port ?? 1080)
        case "https":
            throw KubeConfigError("\(source): proxies reached over TLS (https://) are not supported; use an http:// proxy (the API server connection inside the CONNECT tunnel is still TLS)")
        default:
            throw KubeConfigError("\(source) has scheme \"\(scheme)\"; expected http or socks5")
        }
    }
}
