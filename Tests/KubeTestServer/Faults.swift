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

/// A scripted misbehaviour for the next `count` requests matching `method` (nil: any) and `pathPrefix`.
public struct Fault: Sendable {
    public enum Action: Sendable, Equatable {
        /// Answer with this status (5xx) and a `Status` body.
        case status(Int)
        /// Answer 429 with `Retry-After: seconds`.
        case tooManyRequests(retryAfterSeconds: Int)
        /// Close the connection without answering.
        case dropConnection
        /// Answer normally after this many milliseconds.
        case delay(milliseconds: Int)
    }

    public var method: String?
    public var pathPrefix: String
    public var count: Int
    public var action: Action

    public init(method: String? = nil, pathPrefix: String = "/", count: Int = 1, action: Action) {
        self.method = method
        self.pathPrefix = pathPrefix
        self.count = count
        self.action = action
    }

    func matches(method: String, path: String) -> Bool {
        count > 0 && (self.method == nil || self.method == method) && path.hasPrefix(pathPrefix)
    }
}
