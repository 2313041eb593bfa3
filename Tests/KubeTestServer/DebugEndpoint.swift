/// `GET /debug/requests`: the requests recorded so far (method, path, query, status; never bodies or
/// headers), so a benchmark can count what any client sent, kubectl included. It is open to every
/// caller, never faulted and not itself recorded.
enum DebugEndpoint {
    static let path = "/debug/requests"

    static func respond(core: ServerCore) -> APIResponse {
        let recorded = core.withLock { core.recorded }
        let items = recorded.map { request -> JSON in
            ["method": .string(request.method), "path": .string(request.path), "query": .string(request.query),
             "contentType": request.contentType.map(JSON.string) ?? .null, "status": .int(Int64(request.status))]
        }
        return APIResponse(status: 200, json: ["count": .int(Int64(items.count)), "requests": .array(items)])
    }
}
