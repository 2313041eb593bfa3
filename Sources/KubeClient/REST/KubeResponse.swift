import Foundation

/// One HTTP exchange with the API server, as the client sees it.
struct KubeRequest: Sendable {
    var method: String
    var path: String
    /// What the request is for, for error messages: `applying deployment.apps/hello`.
    var operation: String
    var query: [(name: String, value: String)]
    var body: Data?
    var contentType: String?

    /// Without an `operation` (see `KubeOperation`), messages name the request itself: `PUT /apis/...`.
    init(method: String, path: String, operation: String? = nil, query: [(name: String, value: String)] = [],
         body: Data? = nil, contentType: String? = nil) {
        self.method = method
        self.path = path
        self.operation = operation ?? "\(method) \(path)"
        self.query = query
        self.body = body
        self.contentType = contentType
    }
}

struct KubeResponse: Sendable {
    var status: Int
    var reasonPhrase: String
    var body: Data
    var retryAfter: Duration?
    /// Attempts it took to get this response, the first included.
    var attempts = 1

    var isSuccess: Bool { (200..<300).contains(status) }

    /// The response as a JSON document, or an error that says the body was not JSON.
    func json(for request: KubeRequest) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: body)
        } catch {
            throw KubeAPIError(code: status, reason: nil, message: "the response to \(request.method) \(request.path) is not JSON",
                               operation: request.operation, attempts: attempts)
        }
    }

    /// The API's `Status` (code, reason, message), or a short description of a body that is not one.
    func apiError(for request: KubeRequest) -> KubeAPIError {
        if case .object(let status)? = try? JSONDecoder().decode(JSONValue.self, from: body),
           case .string("Status")? = status["kind"], case .string(let message)? = status["message"] {
            var reason: String?
            if case .string(let text)? = status["reason"], !text.isEmpty { reason = text }
            return KubeAPIError(code: self.status, reason: reason, message: message, operation: request.operation, attempts: attempts)
        }
        var message = "\(request.method) \(request.path) returned HTTP \(status)"
        if !reasonPhrase.isEmpty { message += " \(reasonPhrase)" }
        let text = String(decoding: body.prefix(2048), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        // A proxy's HTML page says nothing useful; a short plain-text line often does.
        if !text.isEmpty, !text.hasPrefix("<") {
            message += ": " + (text.count > 200 ? String(text.prefix(200)) + "…" : text)
        }
        return KubeAPIError(code: status, reason: nil, message: message, operation: request.operation, attempts: attempts)
    }

    /// Retried: throttling and server-side failures. Never another 4xx.
    var isRetryable: Bool { status == 429 || (500..<600).contains(status) }
}
