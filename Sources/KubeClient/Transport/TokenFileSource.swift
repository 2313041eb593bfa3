import Foundation

/// A `tokenFile`'s token as client-go's bearer round-tripper gets it (`transport/round_trippers.go`
/// `NewBearerAuthWithRefreshRoundTripper` over `transport/token_source.go` `NewCachedFileTokenSource`):
/// the file is read when a request is made, at most once a minute; a read that fails or finds an
/// empty file keeps the last good token, else the inline `token`, so a rotating projected token is
/// picked up while a long deploy waits.
actor TokenFileSource {
    /// `token_source.go`: `period: time.Minute`.
    static let period: TimeInterval = 60

    let path: String
    private let fallback: SecretText?
    private let now: @Sendable () -> Date
    private var cached: (token: SecretText, read: Date)?

    init(path: String, fallback: SecretText?, now: @escaping @Sendable () -> Date) {
        self.path = path
        self.fallback = fallback
        self.now = now
    }

    func token() throws -> SecretText {
        let time = now()
        if let cached, time.timeIntervalSince(cached.read) < Self.period { return cached.token }
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                let token = SecretText(text)
                cached = (token, time)
                return token
            }
        }
        if let last = cached?.token ?? fallback { return last }
        throw KubeConfigError("cannot read tokenFile \(path), or it is empty; it must hold the bearer token")
    }
}
