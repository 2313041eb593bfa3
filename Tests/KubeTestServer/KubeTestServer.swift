import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A local Kubernetes API server for tests and manual trials. It listens on 127.0.0.1 only, over plain
/// HTTP or TLS (with a generated CA and client certificates), and enforces what a real kube-apiserver
/// enforces for the objects pipedreamer deploys.
public final class KubeTestServer: Sendable {
    public struct Configuration: Sendable {
        /// 0 picks a free port.
        public var port: Int = 0
        /// Serve HTTPS with a generated CA; clients authenticate by certificate or token.
        public var tls: Bool = false
        /// Bearer tokens and the users they stand for. When empty (and not TLS), requests without
        /// credentials act as `anonymousUser`; otherwise they get 401.
        public var tokens: [String: UserInfo] = [:]
        /// Namespaces besides `default`, `kube-system`, `kube-public` and `kube-node-lease`.
        public var namespaces: [String] = []
        /// RuntimeClasses to seed: name → handler (`["gvisor": "runsc"]`).
        public var runtimeClasses: [String: String] = [:]
        public var policy: AccessPolicy = .allowingEverything
        /// How long the simulated deployment controller takes to report a rollout.
        public var rolloutDelayMilliseconds: Int = 50
        public var gitVersion: String = "v1.32.0"
        /// Users that get client certificates in TLS mode.
        public var clientUsers: [UserInfo] = [UserInfo(name: "admin", groups: ["system:masters"])]
        /// Who a request without credentials is, when the server runs open.
        public var anonymousUser = UserInfo(name: "admin", groups: ["system:masters"])

        public init(port: Int = 0, tls: Bool = false, tokens: [String: UserInfo] = [:], namespaces: [String] = [],
                    runtimeClasses: [String: String] = [:], policy: AccessPolicy = .allowingEverything,
                    rolloutDelayMilliseconds: Int = 50) {
            self.port = port
            self.tls = tls
            self.tokens = tokens
            self.namespaces = namespaces
            self.runtimeClasses = runtimeClasses
            self.policy = policy
            self.rolloutDelayMilliseconds = rolloutDelayMilliseconds
        }
    }

    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    public let url: URL
    public let port: Int
    /// The generated CA and certificates, in TLS mode.
    public let pki: TestPKI?
    let core: ServerCore
    private let channel: Channel

    private init(url: URL, port: Int, pki: TestPKI?, core: ServerCore, channel: Channel) {
        self.url = url
        self.port = port
        self.pki = pki
        self.core = core
        self.channel = channel
    }

    public static func start(_ configuration: Configuration = Configuration()) async throws -> KubeTestServer {
        let core = ServerCore(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        core.schedule = { milliseconds, work in
            group.next().scheduleTask(in: .milliseconds(Int64(milliseconds))) { work() }
        }
        var pki: TestPKI?
        var sslContext: NIOSSLContext?
        if configuration.tls {
            let generated = try TestPKI.generate(clients: configuration.clientUsers)
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(generated.serverCertificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(generated.serverKeyPEM.utf8), format: .pem)))
            tls.certificateVerification = .optionalVerification
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(generated.caCertificatePEM.utf8), format: .pem)])
            sslContext = try NIOSSLContext(configuration: tls)
            pki = generated
        }
        let context = sslContext
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(core: core))
                }
            }
            .bind(host: "127.0.0.1", port: configuration.port).get()
        let port = channel.localAddress?.port ?? configuration.port
        let url = URL(string: "\(configuration.tls ? "https" : "http")://127.0.0.1:\(port)")!
        return KubeTestServer(url: url, port: port, pki: pki, core: core, channel: channel)
    }

    /// Stops listening; open connections are closed.
    public func shutdown() async throws {
        try await channel.close()
    }

    // MARK: What tests look at

    /// Every request so far, oldest first.
    public var requests: [RecordedRequest] { core.withLock { core.recorded } }

    public func clearRequests() { core.withLock { core.recorded.removeAll() } }

    /// The stored object as a GET would return it, or nil.
    public func object(_ resource: Resource, namespace: String? = nil, name: String) -> JSON? {
        core.withLock { core.store[ObjectKey(resource: resource, namespace: resource.namespaced ? namespace : nil, name: name)]?.rendered }
    }

    /// How many distinct pod templates the Deployment has had (1 after creation, +1 per restart or template change).
    public func rolloutCount(namespace: String, name: String) -> Int {
        core.withLock { core.templates[ObjectKey(resource: .deployments, namespace: namespace, name: name)]?.count ?? 0 }
    }

    /// Resolves once the simulated controller has observed the Deployment's current generation.
    /// The limit is generous: on a loaded machine the controller can lag.
    public func waitForRollout(namespace: String, name: String, timeoutMilliseconds: Int = 20000) async -> Bool {
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        while true {
            // Looked at once more after the deadline: a waiter starved past it (a busy machine
            // running many tests) must not report a rollout that did complete as missing.
            if let object = object(.deployments, namespace: namespace, name: name),
               object.value(at: ["status", "observedGeneration"]) == object.value(at: ["metadata", "generation"]) { return true }
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    // MARK: What tests change

    public func setPolicy(_ policy: AccessPolicy) { core.withLock { core.policy = policy } }

    public func setToken(_ token: String, user: UserInfo) { core.withLock { core.tokens[token] = user } }

    public func injectFault(_ fault: Fault) { core.withLock { core.faults.append(fault) } }

    public func clearFaults() { core.withLock { core.faults.removeAll() } }

    public func addNamespace(_ name: String) {
        core.seed(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)],
                                "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]])
    }

    public func addRuntimeClass(_ name: String, handler: String) {
        core.seed(.runtimeClasses, ["apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass",
                                    "metadata": ["name": .string(name)], "handler": .string(handler)])
    }

    /// Makes the Deployment's rollouts time out (`ProgressDeadlineExceeded`) instead of completing;
    /// with `false`, its pods come up and the controller reports the current rollout complete.
    public func setNeverAvailable(namespace: String, name: String, _ stuck: Bool = true) {
        setRolloutMode(namespace: namespace, name: name, stuck ? .stuck : .complete)
    }

    /// How the Deployment's rollouts proceed from now on: `.hold` keeps the current one in progress (old and
    /// new ReplicaSet both up) until the mode returns to `.complete`. Out of process: `POST /debug/rollouts`.
    public func setRolloutMode(namespace: String, name: String, _ mode: RolloutMode) {
        core.withLock { core.setRolloutMode(ObjectKey(resource: .deployments, namespace: namespace, name: name), mode) }
    }
}
