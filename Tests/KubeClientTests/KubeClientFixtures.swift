import Foundation
import NIOSSL

@testable import KubeClient

/// Test client options: no waiting between retries (the waits are recorded), warnings collected.
final class KubeTestRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var delays: [Duration] = []
    private var warningList: [String] = []

    var sleeps: [Duration] { lock.withLock { delays } }
    var warnings: [String] { lock.withLock { warningList } }

    func options(retry: KubeRetryPolicy = KubeRetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(100),
                                                           maxBackoff: .seconds(1), maxRetryAfter: .seconds(10), jitter: 0),
                 timeout: Duration? = .seconds(10), environment: [String: String] = ProcessInfo.processInfo.environment)
        -> KubeClientOptions {
        KubeClientOptions(requestTimeout: timeout, retry: retry, version: "1.2.3",
                          warningHandler: { warning in self.lock.withLock { self.warningList.append(warning) } },
                          sleep: { delay in self.lock.withLock { self.delays.append(delay) } },
                          environment: environment)
    }
}

/// A clock tests move by hand, for token-file and id-token expiry.
final class KubeTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { time } }
    func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
}

/// Runs `body` with a client talking to a fake API server that answers `replies`, then shuts both down.
func withFakeAPI<T>(_ replies: [FakeReply], serverTLS: TLSConfiguration? = nil, tls: KubeTLSSettings = KubeTLSSettings(),
                    credentials: KubeCredentials = KubeCredentials(token: SecretText("s3cr3t-token"), userName: "ci"),
                    options: KubeClientOptions = KubeTestRecorder().options(),
                    _ body: (KubernetesClient, FakeAPIServer) async throws -> T) async throws -> T {
    let server = try await FakeAPIServer.start(replies, tls: serverTLS)
    let connection = ClusterConnection(server: URL(string: server.url)!, tls: tls, credentials: credentials,
                                       contextName: "test", origin: "context \"test\" in fixture")
    let client: KubernetesClient
    do {
        client = try KubernetesClient(connection: connection, options: options)
    } catch {
        await server.stop()
        throw error
    }
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
