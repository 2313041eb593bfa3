import Foundation

/// Whom requests act as: the user entry's `as`, `as-uid`, `as-groups` and `as-user-extra`, or the
/// `--as`, `--as-uid` and `--as-group` flags, sent as `Impersonate-*` headers. client-go applies it
/// whatever the connection (`tools/clientcmd/client_config.go`, `DirectClientConfig.ClientConfig`
/// sets `Impersonate` before its TLS check), and sends it as `transport/round_trippers.go`'s
/// `impersonatingRoundTripper` does.
public struct KubeImpersonation: Sendable, Equatable {
    public var user: String
    public var uid: String?
    public var groups: [String]
    /// Sent as `Impersonate-Extra-<key>`, one header per value.
    public var extra: [String: [String]]

    public init(user: String, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
        self.user = user
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// The headers in the order client-go adds them (extra keys sorted, for a stable request).
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Impersonate-User", user)]
        if let uid, !uid.isEmpty { headers.append(("Impersonate-Uid", uid)) }
        headers += groups.map { ("Impersonate-Group", $0) }
        for key in extra.keys.sorted() {
            headers += (extra[key] ?? []).map { ("Impersonate-Extra-\(Self.escapeHeaderKey(key))", $0) }
        }
        return headers
    }

    /// `transport/round_trippers.go` `headerKeyEscape`: bytes that may not appear in a header
    /// name, and `%` itself, are percent-encoded.
    static func escapeHeaderKey(_ key: String) -> String {
        let token = Set("!#$&'*+-.^_`|~".utf8)
        var escaped = ""
        for byte in key.utf8 {
            let legal = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || token.contains(byte)
            escaped += legal ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return escaped
    }
}

/// The `--as`, `--as-group` and `--as-uid` flags, laid over the user entry as kubectl's
/// `ConfigOverrides.AuthInfo` is (`tools/clientcmd/overrides.go`, merged in `getAuthInfo`).
public struct KubeImpersonationFlags: Sendable, Equatable {
    public var user: String?
    public var groups: [String]
    public var uid: String?

    public init(user: String? = nil, groups: [String] = [], uid: String? = nil) {
        self.user = user
        self.groups = groups
        self.uid = uid
    }

    public var isEmpty: Bool { (user ?? "").isEmpty && groups.isEmpty && (uid ?? "").isEmpty }
}
