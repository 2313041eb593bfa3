import Foundation

/// A URL as messages show it: without the `user:password@` a kubeconfig's `server` or `proxy-url`
/// may carry, as `KubeProxy`'s description shows a proxy. Every message that names such a URL
/// goes through `redacted`, so no header, error or `remote:` line repeats a password.
public enum URLCredentials {
    /// The text with the user info of its authority removed (`https://u:p@h:6443/x` → `https://h:6443/x`).
    /// Works on text that does not parse as a URL too, since a refusal quotes what was written: the
    /// authority runs from after `://` (or the start) to the first `/`, `?` or `#`, and its user
    /// info ends at its last `@`, as Go's `net/url` `parseAuthority` reads it.
    public static func redacted(_ text: String) -> String {
        let start = text.range(of: "://").map(\.upperBound) ?? text.startIndex
        let end = text[start...].firstIndex { "/?#".contains($0) } ?? text.endIndex
        guard let at = text[start..<end].lastIndex(of: "@") else { return text }
        return String(text[..<start]) + String(text[text.index(after: at)...])
    }

    public static func redacted(_ url: URL) -> String { redacted(url.absoluteString) }
}
