import Foundation

/// How often and how patiently a request is retried after a connection failure, a timeout,
/// a 429 or a 5xx. A 4xx other than 429 is never retried.
public struct KubeRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each later one.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// The longest `Retry-After` honoured; longer requests are cut to this.
    public var maxRetryAfter: Duration
    /// Up to this fraction of each backoff is added at random, so clients retrying together spread out.
    public var jitter: Double

    public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(4),
                maxRetryAfter: Duration = .seconds(30), jitter: Double = 0.2) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    public static let standard = KubeRetryPolicy()
    public static let never = KubeRetryPolicy(maxAttempts: 1)

    /// The wait before attempt number `attempt` (2 for the first retry).
    public func delay(beforeAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        var backoff = initialBackoff
        for _ in 0..<max(0, attempt - 2) where backoff < maxBackoff { backoff *= 2 }
        backoff = min(backoff, maxBackoff)
        guard jitter > 0 else { return backoff }
        return backoff + backoff * Double.random(in: 0...jitter)
    }
}

/// `--request-timeout`, read the way kubectl reads it.
public enum KubeRequestTimeout {
    public static let standard: Duration = .seconds(30)

    /// A duration as kubectl reads `--request-timeout` (client-go `tools/clientcmd/helpers.go`,
    /// `ParseTimeout`): a whole number of seconds (`45`), else Go's duration syntax (`30s`, `1m30s`,
    /// `500ms`; see `GoDuration`). `0` means no timeout (nil); a negative duration is refused.
    public static func parse(_ text: String) throws -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let nanoseconds: Int64
        if let seconds = Int64(trimmed), seconds >= 0 {
            guard seconds <= Int64.max / 1_000_000_000 else { throw invalid(text) }
            nanoseconds = seconds * 1_000_000_000
        } else {
            do { nanoseconds = try GoDuration.nanoseconds(trimmed) } catch { throw invalid(text) }
        }
        guard nanoseconds >= 0 else { throw invalid(text) }
        return nanoseconds == 0 ? nil : .nanoseconds(nanoseconds)
    }

    private static func invalid(_ text: String) -> KubeConfigError {
        KubeConfigError("--request-timeout \"\(text)\" is not a duration; use e.g. 30s, 2m or 0 for no timeout")
    }
}

/// A request about to be sent again, for a progress line:
/// `retrying PATCH deployments/hello after 503 (2 of 4)`. It names the method, the resource and
/// why; never headers, bodies or credentials.
public struct KubeRetryNotice: Sendable, Equatable, CustomStringConvertible {
    public let method: String
    /// The resource as kubectl names it in a path: `deployments/hello`, `namespaces/default`.
    public let resource: String
    /// `503`, `429`, or the transport failure in words (`connection refused`).
    public let reason: String
    /// The attempt about to be made (2 for the first retry) and the attempts allowed in all.
    public let attempt: Int
    public let maxAttempts: Int

    public init(method: String, path: String, reason: String, attempt: Int, maxAttempts: Int) {
        self.method = method
        self.resource = Self.resource(of: path)
        self.reason = reason
        self.attempt = attempt
        self.maxAttempts = maxAttempts
    }

    public var description: String { "retrying \(method) \(resource) after \(reason) (\(attempt) of \(maxAttempts))" }

    /// `/apis/apps/v1/namespaces/default/deployments/hello` → `deployments/hello`;
    /// `/api/v1/namespaces/default` → `namespaces/default`; other paths stay as they are.
    static func resource(of path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        if parts.first == "api", parts.count >= 2 {
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            parts.removeFirst(3)
        } else {
            return path
        }
        if parts.first == "namespaces", parts.count > 2 { parts.removeFirst(2) }
        return parts.isEmpty ? path : parts.joined(separator: "/")
    }
}
