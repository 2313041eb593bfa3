import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// Sends requests to one API server: credentials on every attempt, bounded retries with
/// backoff, and transport failures turned into `KubeAPIError`s a person can act on.
final class KubeTransport: Sendable {
    static let maxResponseBytes = 64 << 20

    let connection: ClusterConnection
    let options: KubeClientOptions
    private let http: HTTPClient
    private let baseTLS: TLSConfiguration
    private let exec: ExecCredentialProvider?
    private let tokenFile: TokenFileSource?
    private let staticIdentity: Bool
    /// The proxy every request goes through, when `proxy-url` or the environment names one.
    let proxy: KubeProxy?
    private let counter = RequestCounter()

    init(connection: ClusterConnection, options: KubeClientOptions) throws {
        self.connection = connection
        self.options = options
        let credentials = connection.credentials
        // rest/transport.go HTTPWrappersForConfig refuses both.
        if credentials.basicAuth != nil, credentials.token != nil || credentials.tokenFile != nil {
            throw KubeConfigError("\(connection.origin): username/password or a bearer token may be set, but not both")
        }
        let identity = try KubeTLS.staticIdentity(credentials)
        staticIdentity = identity != nil
        baseTLS = try KubeTLS.configuration(connection.tls, identity: identity)
        tokenFile = credentials.tokenFile.map { TokenFileSource(path: $0, fallback: credentials.token, now: options.now) }
        // exec.go UpdateTransportConfig: with a token, basic auth or a client certificate the plugin is not used.
        let staticAuth = credentials.token != nil || credentials.tokenFile != nil || credentials.basicAuth != nil || identity != nil
        exec = staticAuth ? nil : credentials.exec.map {
            ExecCredentialProvider(config: $0, environment: options.environment, timeout: options.execTimeout)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: baseTLS)
        // We retry ourselves, so a refused connection fails the attempt at once instead of waiting out the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = TimeAmount(KubeTransportFailure.connectTimeout)
        if let serverName = connection.tls.serverName, let host = connection.server.host, serverName != host {
            configuration.dnsOverride = [serverName: host]
        }
        proxy = try ProxySelection.proxy(for: connection.server, proxyURL: connection.proxy, environment: options.environment)
        configuration.proxy = proxy.map(Self.configuration)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if connection.tls.insecureSkipVerify {
            options.warningHandler("TLS certificate verification is disabled for \(URLCredentials.redacted(connection.server)) (insecure-skip-tls-verify in \(connection.origin)); the connection can be intercepted")
        }
    }

    var requestCount: Int { counter.value }

    func shutdown() async throws { try await http.shutdown() }

    /// The response after retries: a 2xx, or the last error status (decode it with `apiError`).
    func send(_ request: KubeRequest) async throws -> KubeResponse {
        var attempt = 1
        var renewedExecCredential = false
        while true {
            do {
                let response = try await sendOnce(request, attempt: attempt)
                if response.status == 401, let exec, !renewedExecCredential {
                    // An exec credential can be revoked before its expiry: ask the plugin once more.
                    renewedExecCredential = true
                    await exec.invalidate()
                    continue
                }
                guard response.isRetryable, attempt < options.retry.maxAttempts else {
                    var final = response
                    final.attempts = attempt
                    return final
                }
                attempt += 1
                options.retryHandler(KubeRetryNotice(method: request.method, path: request.path, reason: String(response.status),
                                                     attempt: attempt, maxAttempts: options.retry.maxAttempts))
                try await options.sleep(options.retry.delay(beforeAttempt: attempt, retryAfter: response.retryAfter))
            } catch let failure as KubeTransportFailure {
                guard failure.retryable, attempt < options.retry.maxAttempts else {
                    throw KubeAPIError(code: 0, reason: nil, message: failure.message, operation: request.operation, attempts: attempt)
                }
                attempt += 1
                options.retryHandler(KubeRetryNotice(method: request.method, path: request.path, reason: failure.reason,
                                                     attempt: attempt, maxAttempts: options.retry.maxAttempts))
                try await options.sleep(options.retry.delay(beforeAttempt: attempt))
            }
        }
    }

    private func sendOnce(_ request: KubeRequest, attempt: Int) async throws -> KubeResponse {
        var http = HTTPClientRequest(url: url(for: request))
        http.method = .init(rawValue: request.method)
        http.headers.add(name: "User-Agent", value: options.userAgent)
        http.headers.add(name: "Accept", value: "application/json")
        if connection.tls.serverName != nil, let host = connection.server.host {
            http.headers.add(name: "Host", value: connection.server.port.map { "\(host):\($0)" } ?? host)
        }
        let (authorization, tls) = try await credentials()
        if let authorization { http.headers.add(name: "Authorization", value: authorization.revealed) }
        http.tlsConfiguration = tls
        for header in connection.impersonation?.headers ?? [] { http.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            http.body = .bytes(ByteBuffer(data: body))
        }
        counter.increment()
        let deadline = options.requestTimeout.map { NIODeadline.now() + TimeAmount($0) } ?? .distantFuture
        do {
            let response = try await self.http.execute(http, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            for warning in response.headers["Warning"] { options.warningHandler(Self.warningText(warning)) }
            options.logger?.debug("\(request.method) \(request.path) -> \(response.status.code) (attempt \(attempt))")
            return KubeResponse(status: Int(response.status.code), reasonPhrase: response.status.reasonPhrase,
                                body: Data(buffer: body),
                                retryAfter: response.headers.first(name: "Retry-After").flatMap(Int.init).map { .seconds($0) })
        } catch {
            options.logger?.debug("\(request.method) \(request.path) failed (attempt \(attempt))")
            throw KubeTransportFailure.explain(error, server: connection.server, proxy: proxy, tls: connection.tls,
                                               credentials: connection.credentials, timeout: options.requestTimeout)
        }
    }

    /// The Authorization header and TLS configuration for one attempt, in client-go's order
    /// (`rest/transport.go` `HTTPWrappersForConfig`): a bearer token (static or from `tokenFile`) or
    /// basic auth, else the oidc `id-token` (its round-tripper defers to a header already set), else
    /// the exec plugin's token and certificate.
    private func credentials() async throws -> (SecretText?, TLSConfiguration) {
        let credentials = connection.credentials
        if let tokenFile { return (SecretText("Bearer " + (try await tokenFile.token()).revealed), baseTLS) }
        if let token = credentials.token { return (SecretText("Bearer " + token.revealed), baseTLS) }
        if let basic = credentials.basicAuth { return (basic.header, baseTLS) }
        if let oidc = credentials.oidc { return (SecretText("Bearer " + (try oidc.token(now: options.now())).revealed), baseTLS) }
        guard let exec else { return (nil, baseTLS) }
        let credential = try await exec.credential()
        let bearer = credential.token.map { SecretText("Bearer " + $0.revealed) }
        guard let certificate = credential.clientCertificate, let key = credential.clientKey, !staticIdentity else {
            return (bearer, baseTLS)
        }
        let identity = KubeTLS.Identity(certificate: certificate, key: key,
                                        label: "the client certificate from the exec plugin of user \"\(exec.config.userName)\"")
        return (bearer, try KubeTLS.configuration(connection.tls, identity: identity))
    }

    /// AsyncHTTPClient's form: an HTTP proxy tunnels every request with CONNECT, sending
    /// `Proxy-Authorization: Basic` only to the proxy.
    private static func configuration(_ proxy: KubeProxy) -> HTTPClient.Configuration.Proxy {
        switch proxy.kind {
        case .socks5:
            return .socksServer(host: proxy.host, port: proxy.port)
        case .http:
            let authorization = proxy.username.map {
                HTTPClient.Authorization.basic(username: $0, password: proxy.password?.revealed ?? "")
            }
            return .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
    }

    private func url(for request: KubeRequest) -> String {
        var components = URLComponents()
        components.scheme = connection.server.scheme
        components.host = connection.tls.serverName ?? connection.server.host
        components.port = connection.server.port
        let prefix = connection.server.path.hasSuffix("/") ? String(connection.server.path.dropLast()) : connection.server.path
        components.percentEncodedPath = prefix + request.path
        if !request.query.isEmpty {
            components.percentEncodedQuery = request.query
                .map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
        }
        return components.string ?? URLCredentials.redacted(connection.server) + request.path
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `299 - "unknown field \"spec.foo\""` → `unknown field "spec.foo"`.
    static func warningText(_ header: String) -> String {
        guard let open = header.firstIndex(of: "\""), let close = header.lastIndex(of: "\""), open < close else { return header }
        return String(header[header.index(after: open)..<close]).replacingOccurrences(of: "\\\"", with: "\"")
    }
}

/// Counts round trips, for tests and benchmarks.
private final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
