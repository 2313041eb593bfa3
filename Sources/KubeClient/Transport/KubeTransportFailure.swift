import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// A request that got no HTTP response, explained for a person: what was unreachable and why,
/// and whether trying again could help. Built from the error alone, so it never holds credentials.
struct KubeTransportFailure: Error {
    var message: String
    var retryable: Bool
    /// The cause in a few words, for a retry's progress line (`connection refused`).
    var reason: String

    init(message: String, retryable: Bool, reason: String? = nil) {
        self.message = message
        self.retryable = retryable
        self.reason = reason ?? message
    }

    static func explain(_ error: any Error, server: URL, proxy: KubeProxy? = nil, tls: KubeTLSSettings,
                        credentials: KubeCredentials, timeout: Duration?) -> KubeTransportFailure {
        let api = "the Kubernetes API at \(URLCredentials.redacted(server))"
        if let failure = error as? KubeTransportFailure { return failure }
        if let proxy, let failure = proxyFailure(error, api: api, proxy: proxy) { return failure }
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                let after = timeout.map { " after \(Self.format($0))" } ?? ""
                return .init(message: "request to \(api) timed out\(after) (--request-timeout)", retryable: true,
                             reason: "a timeout\(after)")
            case .connectTimeout:
                return .init(message: "cannot reach \(api): connection timed out", retryable: true, reason: "a connection timeout")
            case .tlsHandshakeTimeout:
                // A server that accepts the connection but never answers TLS: usually the wrong port or a proxy in the way.
                return .init(message: "TLS handshake with \(URLCredentials.redacted(server)) timed out after \(Self.format(connectTimeout)); check the server address and any proxy",
                             retryable: false)
            case .remoteConnectionClosed:
                return .init(message: "\(api) closed the connection before answering", retryable: true,
                             reason: "the connection closed")
            default:
                break
            }
        }
        if let tlsProblem = tlsReason(error, server: server, tls: tls, credentials: credentials) {
            return .init(message: "TLS handshake with \(api) failed: \(tlsProblem)", retryable: false)
        }
        if let io = firstIOError(in: error) {
            let why = describe(errno: io.errnoCode)
            return .init(message: "cannot reach \(api): \(why)", retryable: true, reason: why)
        }
        let text = String(describing: error)
        if Self.isNameResolution(error) {
            return .init(message: "cannot reach \(api): the host name \(server.host ?? "") does not resolve; check the server address in the kubeconfig",
                         retryable: true, reason: "a failed name lookup")
        }
        if text.contains("NIOConnectionError") {
            return .init(message: "cannot reach \(api): cannot connect to \(server.host ?? "the server")", retryable: true,
                         reason: "a connection failure")
        }
        return .init(message: "request to \(api) failed: \(Self.words(error))", retryable: false)
    }

    /// The limit AsyncHTTPClient puts on opening a connection, TLS handshake included (`timeout.connect`).
    static let connectTimeout: Duration = .seconds(10)

    /// A DNS failure: NIOPosix's `SocketAddressError` somewhere inside the connection error.
    private static func isNameResolution(_ value: Any, depth: Int = 0) -> Bool {
        if String(reflecting: type(of: value)).contains("SocketAddressError") { return true }
        guard depth < 6 else { return false }
        return Mirror(reflecting: value).children.contains { isNameResolution($0.value, depth: depth + 1) }
    }

    /// An error no case above knows, in words rather than a Swift type name:
    /// `HTTPClientError.invalidURL` → `invalid URL`, `NIOSSLError.uncleanShutdown` → `unclean shutdown`.
    static func words(_ error: any Error) -> String {
        var text = String(describing: error)
        // `Type.case(…)` or `Type(…)`: keep the case, drop the type.
        if let dot = text.firstIndex(of: "."), text[..<dot].allSatisfy({ $0.isLetter || $0.isNumber }),
           text.first?.isUppercase == true {
            text = String(text[text.index(after: dot)...])
        }
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) }
        let phrase = IdentifierWords.phrase(text[...])
        return phrase.isEmpty ? "an unexpected transport error" : phrase
    }

    /// A failure to connect while a proxy is in use is the proxy's: the only connection made is to it.
    /// The proxy is named by `KubeProxy.description`, which leaves out its credentials.
    private static func proxyFailure(_ error: any Error, api: String, proxy: KubeProxy) -> KubeTransportFailure? {
        let through = "cannot reach \(api) through proxy \(proxy)"
        if let http = error as? HTTPClientError {
            switch http {
            case .proxyAuthenticationRequired:
                let why = proxy.username == nil
                    ? "the proxy requires credentials (HTTP 407 Proxy Authentication Required); give them in the proxy URL as http://user:password@host:port"
                    : "the proxy refused the credentials in the proxy URL (HTTP 407 Proxy Authentication Required)"
                return .init(message: "\(through): \(why)", retryable: false)
            case .invalidProxyResponse:
                return .init(message: "\(through): the proxy refused to open a tunnel (its answer to CONNECT was not 200)", retryable: true)
            case .connectTimeout, .socksHandshakeTimeout:
                return .init(message: "\(through): connection timed out", retryable: true)
            default:
                return nil
            }
        }
        if let io = firstIOError(in: error) {
            let why = describe(errno: io.errnoCode)
            return .init(message: "\(through): \(why)", retryable: true, reason: why)
        }
        let text = String(describing: error)
        if isNameResolution(error) {
            return .init(message: "\(through): the proxy's host name \(proxy.host) does not resolve", retryable: true,
                         reason: "a failed name lookup")
        }
        if text.contains("NIOConnectionError") || text.contains("SOCKS") {
            return .init(message: "\(through): cannot connect to the proxy", retryable: true, reason: "a connection failure")
        }
        return nil
    }

    /// Why the handshake failed, in terms of the kubeconfig fields that control it.
    private static func tlsReason(_ error: any Error, server: URL, tls: KubeTLSSettings, credentials: KubeCredentials) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            let name = tls.serverName ?? server.host ?? ""
            return "the server's certificate is not valid for \"\(name)\"; if it is issued for another name, set tls-server-name for the cluster"
        }
        guard error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError else { return nil }
        let detail = String(describing: error)
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's certificate was not trusted by \(tls.certificateAuthorityLabel) (certificate verify failed); check certificate-authority for the cluster in the kubeconfig"
        }
        let lowered = detail.lowercased()
        if lowered.contains("certificate_required") || lowered.contains("handshake_failure") || lowered.contains("bad_certificate")
            || lowered.contains("unknown_ca") {
            let user = credentials.userName.map { "user \"\($0)\"" } ?? "the user"
            if credentials.clientCertificate == nil, credentials.exec == nil {
                return "the server requires a client certificate and \(user) has none (\(shortSSL(detail)))"
            }
            return "the server refused the client certificate (\(shortSSL(detail))); check client-certificate and client-key of \(user)"
        }
        let codes = shortSSL(detail)
        return codes == detail ? words(error) : codes
    }

    /// The BoringSSL reason codes (`SSLV3_ALERT_HANDSHAKE_FAILURE`), without file names and line numbers.
    private static func shortSSL(_ detail: String) -> String {
        let pattern = try? NSRegularExpression(pattern: "\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b")
        let range = NSRange(detail.startIndex..., in: detail)
        let codes = pattern?.matches(in: detail, range: range).compactMap { Range($0.range, in: detail).map { String(detail[$0]) } } ?? []
        var seen = Set<String>()
        let unique = codes.filter { seen.insert($0).inserted }
        return unique.isEmpty ? detail : unique.joined(separator: ", ").lowercased().replacingOccurrences(of: "_", with: " ")
    }

    /// NIOPosix wraps the socket error (`NIOConnectionError.connectionErrors[i].error`); find it without importing NIOPosix.
    private static func firstIOError(in value: Any, depth: Int = 0) -> IOError? {
        if let io = value as? IOError { return io }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = firstIOError(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    private static func describe(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network is unreachable"
        case ECONNRESET: return "connection reset by peer"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}

/// A Swift identifier in words: `uncleanShutdown` → `unclean shutdown`, `invalidURL` → `invalid URL`
/// (acronyms keep their case). For messages that must not show Swift names.
public enum IdentifierWords {
    public static func phrase(_ name: Substring) -> String {
        var out = ""
        var previousLower = false
        for character in name {
            if character.isUppercase, previousLower { out.append(" ") }
            out.append(character)
            previousLower = character.isLowercase || character.isNumber
        }
        return out.split(separator: " ").map { word in
            word.count > 1 && word.allSatisfy(\.isUppercase) ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }
}
