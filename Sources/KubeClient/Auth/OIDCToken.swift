import Foundation

/// A user's `auth-provider: oidc` entry, as `plugin/pkg/client/auth/oidc/oidc.go` reads it: the
/// `id-token` is sent as a bearer token while its `exp` claim is in the future. Refreshing an
/// expired one with the `refresh-token` is not done here; the error says how to refresh.
public struct OIDCToken: Sendable, Equatable {
    public var idToken: SecretText?
    public var hasRefreshToken: Bool
    public var issuer: String
    /// The kubeconfig user entry, for messages.
    public var userName: String

    public init(idToken: SecretText?, hasRefreshToken: Bool, issuer: String, userName: String) {
        self.idToken = idToken
        self.hasRefreshToken = hasRefreshToken
        self.issuer = issuer
        self.userName = userName
    }

    /// oidc.go `idToken`: the token while `idTokenExpired` says it is not; messages never quote it.
    func token(now: Date) throws -> SecretText {
        let where_ = "auth-provider oidc of user \"\(userName)\""
        if let idToken, !idToken.revealed.isEmpty {
            guard let expiry = Self.expiry(of: idToken.revealed) else {
                throw KubeConfigError("\(where_): id-token is not a valid JWT (header.payload.signature with a numeric exp claim)")
            }
            if now <= expiry { return idToken }
        }
        if hasRefreshToken {
            throw KubeConfigError("""
                \(where_): the id-token has expired and pipedreamer does not refresh it; run `kubectl get ns` once \
                (kubectl refreshes it with the refresh-token from \(issuer) and writes it back), or switch to an exec \
                plugin such as kubelogin
                """)
        }
        // oidc.go's own words when there is nothing to refresh with.
        throw KubeConfigError("\(where_): no valid id-token, and cannot refresh without refresh-token; log in again with your OIDC provider")
    }

    /// oidc.go `idTokenExpired`: the payload's `exp` (seconds since 1970), read without verifying the signature.
    static func expiry(of jwt: String) -> Date? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload),
              case .object(let claims)? = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        switch claims["exp"] {
        case .int(let seconds)?: return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .double(let seconds)?: return Date(timeIntervalSince1970: seconds)
        default: return nil
        }
    }
}
