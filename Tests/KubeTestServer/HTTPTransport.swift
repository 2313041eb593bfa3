import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP/1.1 connection: collects each request, applies scripted faults, asks the core, answers.
final class HTTPConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: ServerCore
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var watchID: Int?

    init(core: ServerCore) { self.core = core }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            let bytes = Data(body.readableBytesView)
            handle(context: context, head: head, body: bytes)
        }
    }

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead, body: Data) {
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts.first ?? "/"
        let rawQuery = parts.count > 1 ? parts[1] : ""
        let request = APIRequest(method: head.method.rawValue, path: path, query: APIRequest.splitQuery(rawQuery),
                                 headers: head.headers.map { ($0.name, $0.value) }, body: body)
        if path.hasPrefix(DebugEndpoint.prefix), let response = DebugEndpoint.respond(request, core: core) {
            write(context: context, head: head, response: response)
            return
        }
        let certificateUser = peerUser(context)
        let started = Date()
        let record: @Sendable (Int, String?) -> Void = { [core] status, user in
            core.record(RecordedRequest(method: request.method, path: path, query: rawQuery,
                                        contentType: request.header("Content-Type"), body: body, status: status,
                                        time: started, user: user))
        }
        let fault = core.takeFault(method: request.method, path: path)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        switch fault {
        case .dropConnection:
            record(0, nil)
            context.close(promise: nil)
        case .status(let code):
            record(code, nil)
            write(context: context, head: head, response: APIResponse(error: .injected(code: code, retryAfter: nil)))
        case .tooManyRequests(let seconds):
            record(429, nil)
            write(context: context, head: head, response: APIResponse(error: .injected(code: 429, retryAfter: seconds)))
        case .delay(let milliseconds):
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                let (handler, context) = loopBound.value
                let (response, user) = handler.core.handle(request, certificateUser: certificateUser)
                record(response.status, user)
                handler.write(context: context, head: head, response: response)
            }
        case nil:
            let (response, user) = core.handle(request, certificateUser: certificateUser)
            record(response.status, user)
            write(context: context, head: head, response: response)
        }
    }

    private func peerUser(_ context: ChannelHandlerContext) -> UserInfo? {
        guard let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let certificate = handler.peerCertificate, let der = try? certificate.toDERBytes() else { return nil }
        return TestPKI.user(fromDER: der)
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, response: APIResponse) {
        if let watch = response.watch { return stream(context: context, head: head, watch: watch) }
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Audit-Id", value: UUID().uuidString.lowercased())
        let keepAlive = head.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// A watch: a chunked body of one JSON event per line until `timeoutSeconds` or the client leaves.
    private func stream(context: ChannelHandlerContext, head: HTTPRequestHead, watch: WatchRequest) {
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        headers.add(name: "Audit-Id", value: UUID().uuidString.lowercased())
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let id = core.openWatch(watch) { frame in
            eventLoop.execute {
                let (handler, context) = loopBound.value
                guard context.channel.isActive, let watchID = handler.watchID else { return }
                guard let frame else {
                    handler.core.closeWatch(watchID)
                    handler.watchID = nil
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                    return
                }
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: frame)))), promise: nil)
            }
        }
        watchID = id
        if let seconds = watch.timeoutSeconds {
            eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                let (handler, context) = loopBound.value
                guard handler.watchID == id else { return }
                handler.core.closeWatch(id)
                handler.watchID = nil
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let watchID { core.closeWatch(watchID) }
        watchID = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
