import Foundation
import Testing

@testable import KubeClient

/// The progress line before each retry, and errors put in words rather than Swift type names.
@Suite struct KubeRetryNoticeTests {
    @Test(arguments: [
        ("/apis/apps/v1/namespaces/default/deployments/hello", "deployments/hello"),
        ("/api/v1/namespaces/default/configmaps/hello-code", "configmaps/hello-code"),
        ("/api/v1/namespaces/default", "namespaces/default"),
        ("/apis/batch/v1/namespaces/ns/cronjobs", "cronjobs"),
        ("/apis/node.k8s.io/v1/runtimeclasses/gvisor", "runtimeclasses/gvisor"),
        ("/version", "/version"),
    ])
    func theResourceIsNamedAsKubectlNamesIt(path: String, resource: String) {
        #expect(KubeRetryNotice.resource(of: path) == resource)
    }

    @Test func eachRetryIsAnnouncedWithItsAttemptAndReason() async throws {
        let notices = NoticeList()
        var options = KubeTestRecorder().options()
        options.retryHandler = { notices.append($0.description) }
        try await withFakeAPI([.status(503, reason: "ServiceUnavailable", message: "etcd"), .status(429, reason: "TooManyRequests", message: "slow"),
                               .json(#"{"gitVersion":"v1.31.0"}"#)], options: options) { client, _ in
            _ = try await client.serverVersion()
        }
        #expect(notices.all == ["retrying GET /version after 503 (2 of 4)", "retrying GET /version after 429 (3 of 4)"])
    }

    @Test func anUnknownErrorIsPutInWords() {
        struct SomeLibraryError: Error, CustomStringConvertible {
            var description: String { "SomeLibraryError.connectionPoolShutDown" }
        }
        #expect(KubeTransportFailure.words(SomeLibraryError()) == "connection pool shut down")
    }
}

private final class NoticeList: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}
