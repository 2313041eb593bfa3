import Foundation

/// `/debug/...`: what an out-of-process test reads and scripts. Open to every caller, never faulted and not
/// itself recorded.
/// - `GET /debug/requests`: the requests recorded so far (method, path, query, status; never bodies or
///   headers), so a benchmark can count what any client sent, kubectl included.
/// - `GET|POST|DELETE /debug/faults`: list, add (one `Fault` in its JSON form, see `Fault.init(json:)`) or
///   clear the scripted faults.
/// - `POST /debug/rollouts`: `{"namespace", "name", "mode"}` with mode `hold`, `stuck` or `complete`, as
///   `KubeTestServer.setRolloutMode` does.
enum DebugEndpoint {
    static let prefix = "/debug/"

    static func respond(_ request: APIRequest, core: ServerCore) -> APIResponse? {
        switch (request.method, request.path) {
        case ("GET", "/debug/requests"): return requests(core: core)
        case ("GET", "/debug/faults"): return faults(core: core)
        case ("DELETE", "/debug/faults"):
            core.withLock { core.faults.removeAll() }
            return faults(core: core)
        case ("POST", "/debug/faults"):
            guard let body = try? JSON.parse(request.body), let fault = Fault(json: body) else {
                return APIResponse(error: .badRequest("a fault needs one of delayMilliseconds, status, retryAfterSeconds or dropConnection"))
            }
            core.withLock { core.faults.append(fault) }
            var response = faults(core: core)
            response.status = 201
            return response
        case ("POST", "/debug/rollouts"):
            guard let body = try? JSON.parse(request.body), let namespace = body["namespace"]?.string,
                  let name = body["name"]?.string, let mode = body["mode"]?.string.flatMap(RolloutMode.init(rawValue:)) else {
                return APIResponse(error: .badRequest("a rollout mode needs namespace, name and mode (hold, stuck or complete)"))
            }
            core.withLock { core.setRolloutMode(ObjectKey(resource: .deployments, namespace: namespace, name: name), mode) }
            return APIResponse(status: 200, json: ["namespace": .string(namespace), "name": .string(name), "mode": .string(mode.rawValue)])
        default: return nil
        }
    }

    private static func requests(core: ServerCore) -> APIResponse {
        let recorded = core.withLock { core.recorded }
        let items = recorded.map { request -> JSON in
            ["method": .string(request.method), "path": .string(request.path), "query": .string(request.query),
             "contentType": request.contentType.map(JSON.string) ?? .null, "status": .int(Int64(request.status))]
        }
        return APIResponse(status: 200, json: ["count": .int(Int64(items.count)), "requests": .array(items)])
    }

    private static func faults(core: ServerCore) -> APIResponse {
        let faults = core.withLock { core.faults }
        return APIResponse(status: 200, json: ["faults": .array(faults.map(\.json))])
    }
}
