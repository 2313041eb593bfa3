import Foundation
import Testing

@testable import KubeClient

/// Which failures are retried, how long the client waits (recorded, never slept), and what it says when it gives up.
@Suite struct KubeClientRetryTests {
    private let ok = FakeReply.json(#"{"gitVersion":"v1.31.0"}"#)

    @Test func serviceUnavailableIsRetried() async throws {
        let recorder = KubeTestRecorder()
        let requests = try await withFakeAPI([.status(503, reason: "ServiceUnavailable", message: "etcd leader changed"), ok],
                                             options: recorder.options()) { client, server in
            let version = try await client.serverVersion()
            #expect(version == "v1.31.0")
            #expect(client.requestCount == 2)
            return server.requests.count
        }
        #expect(requests == 2)
        #expect(recorder.sleeps == [.milliseconds(100)])
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let recorder = KubeTestRecorder()
        try await withFakeAPI([.status(429, reason: "TooManyRequests", message: "slow down", headers: [("Retry-After", "2")]), ok],
                              options: recorder.options()) { client, _ in
            _ = try await client.serverVersion()
        }
        #expect(recorder.sleeps == [.seconds(2)])
    }

    @Test func retryAfterIsCapped() async throws {
        let recorder = KubeTestRecorder()
        try await withFakeAPI([.status(429, reason: "TooManyRequests", message: "slow down", headers: [("Retry-After", "3600")]), ok],
                              options: recorder.options()) { client, _ in
            _ = try await client.serverVersion()
        }
        #expect(recorder.sleeps == [.seconds(10)])
    }

    @Test func serverErrorsAreRetriedWithGrowingBackoffThenReported() async throws {
        let recorder = KubeTestRecorder()
        await #expect(throws: KubeAPIError(code: 500, reason: "InternalError", message: "boom", operation: "getting the server version", attempts: 4)) {
            try await withFakeAPI([.status(500, reason: "InternalError", message: "boom")], options: recorder.options()) { client, server in
                defer { #expect(server.requests.count == 4) }
                return try await client.serverVersion()
            }
        }
        #expect(recorder.sleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422])
    func clientErrorsAreNeverRetried(code: Int) async throws {
        let recorder = KubeTestRecorder()
        let requests = try await withFakeAPI([.status(code, reason: "Any", message: "no"), ok], options: recorder.options()) { client, server in
            _ = try? await client.apply(.configMaps, namespace: "a", name: "b", object: .object([:]), dryRun: false)
            return server.requests.count
        }
        #expect(requests == 1)
        #expect(recorder.sleeps == [])
    }

    @Test func wrongTokenIsUnauthorized() async throws {
        await #expect(throws: KubeAPIError(code: 401, reason: "Unauthorized", message: "Unauthorized", operation: "getting the server version")) {
            try await withFakeAPI([.status(401, reason: "Unauthorized", message: "Unauthorized")]) { client, _ in
                try await client.serverVersion()
            }
        }
    }

    @Test func apiDownIsAClearErrorAfterRetries() async throws {
        let port = try await FakeAPIServer.closedPort()
        let recorder = KubeTestRecorder()
        let connection = ClusterConnection(server: URL(string: "http://127.0.0.1:\(port)")!, origin: "test")
        let client = try KubernetesClient(connection: connection, options: recorder.options())
        let error = await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }
        try await client.shutdown()
        #expect(error == KubeAPIError(code: 0, reason: nil, message: "cannot reach the Kubernetes API at http://127.0.0.1:\(port): connection refused",
                                      operation: "getting the server version", attempts: 4))
        #expect(error?.description == "getting the server version: cannot reach the Kubernetes API at http://127.0.0.1:\(port): connection refused (after 4 attempts)")
        #expect(recorder.sleeps.count == 3)
    }

    @Test func unansweredRequestTimesOut() async throws {
        let recorder = KubeTestRecorder()
        let options = recorder.options(retry: KubeRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), jitter: 0),
                                       // Long enough that connecting to a local socket never uses it up on a loaded machine.
                                       timeout: .seconds(2))
        let port = try await withFakeAPI([.hang], options: options) { client, server in
            await #expect(throws: KubeAPIError(code: 0, reason: nil, message: "request to the Kubernetes API at http://127.0.0.1:\(server.port) timed out after 2s (--request-timeout)",
                                               operation: "getting the server version", attempts: 2)) {
                try await client.serverVersion()
            }
            return server.port
        }
        #expect(port > 0)
    }

    @Test func tokenFileIsReadAgainOnceAMinuteHasPassed() async throws {
        let scratch = KubeScratch()
        let tokenFile = scratch.write("token", "first\n")
        let clock = KubeTestClock()
        var options = KubeTestRecorder().options()
        options.now = { clock.now }
        let headers = try await withFakeAPI([ok], credentials: KubeCredentials(tokenFile: tokenFile), options: options) { client, server in
            _ = try await client.serverVersion()
            scratch.write("token", "second")
            clock.advance(59)
            _ = try await client.serverVersion()
            clock.advance(1)
            _ = try await client.serverVersion()
            return server.requests.map { $0.header("Authorization") }
        }
        #expect(headers == ["Bearer first", "Bearer first", "Bearer second"])
    }

    @Test func tokenFileThatCannotBeReadFallsBackToTheInlineToken() async throws {
        let scratch = KubeScratch()
        let credentials = KubeCredentials(token: SecretText("inline"), tokenFile: "\(scratch.path)/missing")
        let headers = try await withFakeAPI([ok], credentials: credentials) { client, server in
            _ = try await client.serverVersion()
            return server.requests.map { $0.header("Authorization") }
        }
        #expect(headers == ["Bearer inline"])
    }

    @Test func rejectedExecCredentialIsRenewedOnce() async throws {
        let scratch = KubeScratch()
        let plugin = scratch.script("plugin.sh", """
            echo run >> "\(scratch.path)/runs"
            n=$(wc -l < "\(scratch.path)/runs" | tr -d ' ')
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s"}}' "$n"
            """)
        let exec = ExecConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1", userName: "ci")
        let headers = try await withFakeAPI([.status(401, reason: "Unauthorized", message: "Unauthorized"), ok],
                                            credentials: KubeCredentials(exec: exec, userName: "ci")) { client, server in
            _ = try await client.serverVersion()
            return server.requests.map { $0.header("Authorization") }
        }
        #expect(headers == ["Bearer tok-1", "Bearer tok-2"])
    }

    @Test(arguments: [("30s", Duration.seconds(30)), ("2m", .seconds(120)), ("500ms", .milliseconds(500)), ("45", .seconds(45))])
    func requestTimeoutParsesKubectlDurations(text: String, expected: Duration) throws {
        #expect(try KubeRequestTimeout.parse(text) == expected)
    }

    @Test func zeroRequestTimeoutMeansNone() throws {
        #expect(try KubeRequestTimeout.parse("0") == nil)
    }

    @Test func invalidRequestTimeoutIsAnError() throws {
        #expect(throws: KubeConfigError("--request-timeout \"soon\" is not a duration; use e.g. 30s, 2m or 0 for no timeout")) {
            try KubeRequestTimeout.parse("soon")
        }
    }

    @Test func backoffDoublesUpToTheCap() {
        let policy = KubeRetryPolicy(maxAttempts: 6, initialBackoff: .milliseconds(250), maxBackoff: .seconds(1), jitter: 0)
        #expect((2...6).map { policy.delay(beforeAttempt: $0) } == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(1), .seconds(1)])
    }
}
