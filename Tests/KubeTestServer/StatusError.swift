/// A failure answered with a `Status` body, built like apimachinery's `errors.New*` constructors.
struct StatusError: Error, Sendable {
    let code: Int
    let reason: String
    let message: String
    var details: JSON?
    var headers: [(String, String)] = []

    /// The `Status` object the real server writes for this error.
    var body: JSON {
        var status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]),
            "status": "Failure", "message": .string(message), "code": .int(Int64(code)),
        ]
        if !reason.isEmpty { status["reason"] = .string(reason) }
        if let details { status["details"] = details }
        return status
    }

    /// The body bytes, with fields in the order the Go structs declare them.
    var serialized: String {
        func ordered(_ value: JSON, _ order: [String]) -> String {
            guard let fields = value.object else { return value.text() }
            let keys = order.filter { fields[$0] != nil } + fields.keys.filter { !order.contains($0) }.sorted()
            return "{" + keys.map { key -> String in
                let child = fields[key]!
                let text = key == "causes"
                    ? "[" + (child.array ?? []).map { ordered($0, ["reason", "message", "field"]) }.joined(separator: ",") + "]"
                    : child.text()
                return JSON.string(key).text() + ":" + text
            }.joined(separator: ",") + "}"
        }
        var parts = [#""kind":"Status""#, #""apiVersion":"v1""#, #""metadata":{}"#, #""status":"Failure""#]
        if !message.isEmpty { parts.append(#""message":"# + JSON.string(message).text()) }
        // `StatusReasonUnknown` is "", which omitempty leaves out.
        if !reason.isEmpty { parts.append(#""reason":"# + JSON.string(reason).text()) }
        if let details { parts.append(#""details":"# + ordered(details, ["name", "group", "kind", "uid", "causes", "retryAfterSeconds"])) }
        parts.append(#""code":\#(code)"#)
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `details` with only the non-empty fields, as Go's omitempty writes them.
    static func details(name: String = "", group: String = "", kind: String = "", causes: [JSON] = []) -> JSON {
        var fields: [String: JSON] = [:]
        if !name.isEmpty { fields["name"] = .string(name) }
        if !group.isEmpty { fields["group"] = .string(group) }
        if !kind.isEmpty { fields["kind"] = .string(kind) }
        if !causes.isEmpty { fields["causes"] = .array(causes) }
        return .object(fields)
    }

    static func notFound(_ resource: Resource, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \(FieldError.goQuote(name)) not found",
                    details: details(name: name, group: resource.group, kind: resource.plural))
    }

    static func namespaceNotFound(_ namespace: String) -> StatusError {
        notFound(Resource.namespaces, namespace)
    }

    /// What an unknown path gets.
    static let pathNotFound = StatusError(code: 404, reason: "NotFound",
                                          message: "the server could not find the requested resource", details: .object([:]))

    static func alreadyExists(_ resource: Resource, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists",
                    message: "\(resource.qualifiedName) \(FieldError.goQuote(name)) already exists",
                    details: details(name: name, group: resource.group, kind: resource.plural))
    }

    static func modified(_ resource: Resource, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(resource.qualifiedName) \(FieldError.goQuote(name)): "
                        + "the object has been modified; please apply your changes to the latest version and try again",
                    details: details(name: name, group: resource.group, kind: resource.plural))
    }

    static func invalid(kind: String, group: String, name: String, _ errors: [FieldError]) -> StatusError {
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        let causes: [JSON] = errors.map {
            ["reason": .string($0.kind.rawValue), "message": .string($0.body), "field": .string($0.field)]
        }
        return StatusError(code: 422, reason: "Invalid",
                           message: "\(qualified) \(FieldError.goQuote(name)) is invalid: \(FieldError.aggregate(errors))",
                           details: details(name: name, group: group, kind: kind, causes: causes))
    }

    static func forbidden(_ resource: Resource, name: String, user: String, verb: String, namespace: String?,
                          subresource: String? = nil) -> StatusError {
        let scope = namespace.map { "in the namespace \(FieldError.goQuote($0))" } ?? "at the cluster scope"
        let resourceName = subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        let why = "User \(FieldError.goQuote(user)) cannot \(verb) resource \(FieldError.goQuote(resourceName)) "
            + "in API group \(FieldError.goQuote(resource.group)) \(scope)"
        let subject = name.isEmpty ? resource.qualifiedName : "\(resource.qualifiedName) \(FieldError.goQuote(name))"
        return StatusError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(why)",
                           details: details(name: name, group: resource.group, kind: resource.plural))
    }

    static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    static func unsupportedMediaType(_ contentType: String, supported: [String]) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: "
                        + supported.joined(separator: ", "))
    }

    static func methodNotSupported(_ resource: Resource, _ action: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed",
                    message: "\(action) is not supported on resources of kind \(FieldError.goQuote(resource.qualifiedName))",
                    details: details(group: resource.group, kind: resource.plural))
    }

    static func applyConflict(_ conflicts: [FieldConflict]) -> StatusError {
        let causes: [JSON] = conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \($0.manager.printed)"), "field": .string($0.path.description)]
        }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].manager.printed): \(conflicts[0].path)"
        } else {
            let managers = Set(conflicts.map(\.manager)).sorted { $0.identifier < $1.identifier }
            var lines: [String] = []
            for manager in managers {
                lines.append("conflicts with \(manager.printed):")
                lines += conflicts.filter { $0.manager == manager }.map { "- \($0.path)" }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        return StatusError(code: 409, reason: "Conflict", message: message, details: .object(["causes": .array(causes)]))
    }

    /// A scripted failure: 5xx or 429 with the generic texts the real server uses.
    static func injected(code: Int, retryAfter: Int?) -> StatusError {
        switch code {
        case 429:
            var error = StatusError(code: 429, reason: "TooManyRequests",
                                    message: "Too many requests, please try again later.",
                                    details: .object(["retryAfterSeconds": .int(Int64(retryAfter ?? 1))]))
            error.headers = [("Retry-After", String(retryAfter ?? 1))]
            return error
        case 503:
            return StatusError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")
        case 504:
            return StatusError(code: 504, reason: "Timeout", message: "Timeout: request did not complete within requested timeout")
        default:
            return StatusError(code: code, reason: "InternalError", message: "Internal error occurred: injected fault",
                               details: .object(["causes": [["message": "injected fault"]]]))
        }
    }
}
