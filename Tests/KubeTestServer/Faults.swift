import Foundation

/// One request the server received, with the answer it gave.
public struct RecordedRequest: Sendable {
    public let method: String
    public let path: String
    /// The raw query string, without `?`.
    public let query: String
    public let contentType: String?
    public let body: Data
    /// The HTTP status answered; 0 when the connection was dropped instead.
    public let status: Int
    public let time: Date
    /// The authenticated user, when there was one.
    public let user: String?

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func hasQuery(_ name: String, _ value: String) -> Bool {
        APIRequest.splitQuery(query)[name]?.contains(value) ?? false
    }
}

/// A scripted misbehaviour for the next `count` requests matching `method` (nil: any) and `pathPrefix`, or
/// `pathPattern` when set (`*` stands for any run of characters within one path segment).
public struct Fault: Sendable {
    public enum Action: Sendable, Equatable {
        /// Answer with this status (5xx) and a `Status` body.
        case status(Int)
        /// Answer 429 with `Retry-After: seconds`.
        case tooManyRequests(retryAfterSeconds: Int)
        /// Close the connection without answering.
        case dropConnection
        /// Hold the request this many milliseconds before processing it, then answer normally: what arrives
        /// meanwhile is processed first, so two clients' writes can be made to race.
        case delay(milliseconds: Int)
    }

    public var method: String?
    public var pathPrefix: String
    public var pathPattern: String?
    public var count: Int
    public var action: Action

    public init(method: String? = nil, pathPrefix: String = "/", count: Int = 1, action: Action) {
        self.method = method
        self.pathPrefix = pathPrefix
        self.count = count
        self.action = action
    }

    /// A fault for paths matching `pathPattern` as a whole, e.g. `/apis/apps/v1/namespaces/*/deployments/*`.
    public init(method: String? = nil, pathPattern: String, count: Int = 1, action: Action) {
        self.init(method: method, pathPrefix: "/", count: count, action: action)
        self.pathPattern = pathPattern
    }

    func matches(method: String, path: String) -> Bool {
        guard count > 0, self.method == nil || self.method == method else { return false }
        if let pathPattern { return Fault.glob(Array(pathPattern.utf8)[...], Array(path.utf8)[...]) }
        return path.hasPrefix(pathPrefix)
    }

    /// `*` matches any run of bytes but `/`.
    static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            var rest = text
            while true {
                if glob(pattern.dropFirst(), rest) { return true }
                guard let next = rest.first, next != UInt8(ascii: "/") else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let head = text.first, head == first else { return false }
        return glob(pattern.dropFirst(), text.dropFirst())
    }

    /// A fault from its JSON form, as `POST /debug/faults` takes it: `method`, `path` (a pattern) or
    /// `pathPrefix`, `count` (default 1), and one of `delayMilliseconds`, `status`, `retryAfterSeconds` (429)
    /// or `dropConnection: true`.
    init?(json: JSON) {
        let action: Action
        if let milliseconds = json["delayMilliseconds"]?.int { action = .delay(milliseconds: Int(milliseconds)) }
        else if let seconds = json["retryAfterSeconds"]?.int { action = .tooManyRequests(retryAfterSeconds: Int(seconds)) }
        else if let code = json["status"]?.int { action = code == 429 ? .tooManyRequests(retryAfterSeconds: 1) : .status(Int(code)) }
        else if json["dropConnection"]?.bool == true { action = .dropConnection }
        else { return nil }
        let count = Int(json["count"]?.int ?? 1)
        if let pattern = json["path"]?.string {
            self.init(method: json["method"]?.string, pathPattern: pattern, count: count, action: action)
        } else {
            self.init(method: json["method"]?.string, pathPrefix: json["pathPrefix"]?.string ?? "/", count: count, action: action)
        }
    }

    var json: JSON {
        var out: JSON = ["count": .int(Int64(count))]
        out["method"] = method.map(JSON.string)
        if let pathPattern { out["path"] = .string(pathPattern) } else { out["pathPrefix"] = .string(pathPrefix) }
        switch action {
        case .delay(let milliseconds): out["delayMilliseconds"] = .int(Int64(milliseconds))
        case .status(let code): out["status"] = .int(Int64(code))
        case .tooManyRequests(let seconds): out["retryAfterSeconds"] = .int(Int64(seconds))
        case .dropConnection: out["dropConnection"] = true
        }
        return out
    }
}
