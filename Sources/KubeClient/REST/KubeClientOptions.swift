import Foundation
import Logging

/// How a `KubernetesClient` behaves, beyond where the cluster is.
public struct KubeClientOptions: Sendable {
    /// Per request (each attempt); nil waits forever (`--request-timeout 0`).
    public var requestTimeout: Duration?
    public var retry: KubeRetryPolicy
    /// How long one run of an exec credential plugin may take; nil waits forever. The CLI gives it
    /// the `--request-timeout` value, since a request cannot start before its credential.
    public var execTimeout: Duration?
    /// `pipedreamer/<version>`.
    public var userAgent: String
    /// Receives warnings for the user: TLS verification disabled, `Warning` headers from the API.
    public var warningHandler: @Sendable (String) -> Void
    /// Waits between attempts; tests replace it to record the delays instead of sleeping.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The environment exec credential plugins run in.
    public var environment: [String: String]
    /// Receives a notice before each retry, for a progress line on standard error.
    public var retryHandler: @Sendable (KubeRetryNotice) -> Void
    /// Debug log of requests (method, path, status, attempt): never headers or bodies.
    public var logger: Logger?
    /// The time, for when a tokenFile is read again and whether an oidc id-token has expired.
    public var now: @Sendable () -> Date

    public init(requestTimeout: Duration? = KubeRequestTimeout.standard, retry: KubeRetryPolicy = .standard,
                version: String = "dev", warningHandler: @escaping @Sendable (String) -> Void = { _ in },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger? = nil,
                execTimeout: Duration? = ExecCredentialProvider.standardTimeout,
                retryHandler: @escaping @Sendable (KubeRetryNotice) -> Void = { _ in },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        self.retryHandler = retryHandler
        self.requestTimeout = requestTimeout
        self.execTimeout = execTimeout
        self.retry = retry
        self.userAgent = "pipedreamer/\(version)"
        self.warningHandler = warningHandler
        self.sleep = sleep
        self.environment = environment
        self.logger = logger
    }
}
