import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the fake API server received it.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(name: String, value: String)]
    var body: Data
    /// The client certificate's common name, when one was presented over TLS.
    var clientCertificateCommonName: String?

    var path: String { String(uri.prefix { $0 != "?" }) }

    /// The decoded query, in order.
    var query: [String] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        return uri[uri.index(after: mark)...].split(separator: "&").map { $0.removingPercentEncoding ?? String($0) }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the fake API server answers; `hang` never answers.
struct FakeReply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: String = ""
    var hang = false

    static func json(_ body: String, status: Int = 200) -> FakeReply {
        FakeReply(status: status, headers: [("Content-Type", "application/json")], body: body)
    }

    /// A Kubernetes `Status` error body, as the API server sends it.
    static func status(_ code: Int, reason: String, message: String, headers: [(name: String, value: String)] = []) -> FakeReply {
        let body = """
            {"apiVersion":"v1","code":\(code),"details":{},"kind":"Status","message":"\(message.replacingOccurrences(of: "\"", with: "\\\""))","metadata":{},"reason":"\(reason)","status":"Failure"}
            """
        return FakeReply(status: code, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    static let hang = FakeReply(status: 0, hang: true)
}

/// A tiny HTTP(S) server standing in for the API server: it records every request and
/// answers from a script (the nth request gets the nth reply; the last one repeats).
final class FakeAPIServer: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [RecordedRequest] = []
    private let answer: @Sendable (RecordedRequest, Int) -> FakeReply
    private var channel: Channel?
    private(set) var port = 0
    let scheme: String

    private init(scheme: String, answer: @escaping @Sendable (RecordedRequest, Int) -> FakeReply) {
        self.answer = answer
        self.scheme = scheme
    }

    static func start(_ replies: [FakeReply], tls: TLSConfiguration? = nil) async throws -> FakeAPIServer {
        try await start(tls: tls) { _, index in replies[min(index, replies.count - 1)] }
    }

    /// A server that answers each request (and its index) with `answer`, e.g. by path.
    static func start(tls: TLSConfiguration? = nil,
                      answer: @escaping @Sendable (RecordedRequest, Int) -> FakeReply) async throws -> FakeAPIServer {
        let server = FakeAPIServer(scheme: tls == nil ? "http" : "https", answer: answer)
        let sslContext = try tls.map(NIOSSLContext.init(configuration:))
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeAPIHandler(server: server))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        server.channel = channel
        server.port = channel.localAddress?.port ?? 0
        return server
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    var requests: [RecordedRequest] { lock.withLock { recorded } }

    fileprivate func record(_ request: RecordedRequest) -> FakeReply {
        let index = lock.withLock {
            recorded.append(request)
            return recorded.count - 1
        }
        return answer(request, index)
    }

    func stop() async {
        try? await channel?.close().get()
    }

    /// A port on which nothing listens: bound but never listened on, and kept bound for the rest of
    /// the run, so connecting is refused and no server started meanwhile by a parallel test takes it.
    static func closedPort() async throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

private final class FakeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: FakeAPIServer
    private var head: HTTPRequestHead?
    private var body = Data()

    init(server: FakeAPIServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            let peer = try? context.pipeline.syncOperations.nioSSL_peerCertificate()
            let request = RecordedRequest(method: head.method.rawValue, uri: head.uri,
                                          headers: head.headers.map { ($0.name, $0.value) }, body: body,
                                          clientCertificateCommonName: peer.flatMap { Self.commonName(of: $0) })
            let reply = server.record(request)
            guard !reply.hang else { return }
            var headers = HTTPHeaders(reply.headers.map { ($0.name, $0.value) })
            headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.utf8.count))
            let status = HTTPResponseStatus(statusCode: reply.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func commonName(of certificate: NIOSSLCertificate) -> String? {
        let text = String(describing: certificate)
        guard let range = text.range(of: "common_name=") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != ";" && $0 != ">" })
    }
}
