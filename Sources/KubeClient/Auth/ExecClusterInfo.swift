import Foundation

/// The cluster as an exec plugin sees it in `KUBERNETES_EXEC_INFO` `spec.cluster` when the user
/// entry says `provideClusterInfo: true`: client-go's `rest.ConfigToExecCluster` (`rest/exec.go`),
/// encoded as `client.authentication.k8s.io` `Cluster` is (`certificate-authority-data` base64).
public struct ExecClusterInfo: Sendable, Equatable {
    /// The kubeconfig's `server`, as written (without user info).
    public var server: String
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool
    /// The CA's PEM bytes, from `certificate-authority-data` or read from `certificate-authority`.
    public var certificateAuthorityData: SecretData?
    /// `proxy-url`; it may hold the proxy's password, so it prints as `<redacted>`.
    public var proxyURL: SecretText?
    public var disableCompression: Bool
    /// The cluster's `client.authentication.k8s.io/exec` extension.
    public var config: JSONValue?

    public init(server: String, tlsServerName: String? = nil, insecureSkipTLSVerify: Bool = false,
                certificateAuthorityData: SecretData? = nil, proxyURL: SecretText? = nil,
                disableCompression: Bool = false, config: JSONValue? = nil) {
        self.server = server
        self.tlsServerName = tlsServerName
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.certificateAuthorityData = certificateAuthorityData
        self.proxyURL = proxyURL
        self.disableCompression = disableCompression
        self.config = config
    }

    /// The `spec.cluster` object, leaving out empty fields as Go's `omitempty` does.
    var json: JSONValue {
        var members: [String: JSONValue] = ["server": .string(server)]
        if let tlsServerName, !tlsServerName.isEmpty { members["tls-server-name"] = .string(tlsServerName) }
        if insecureSkipTLSVerify { members["insecure-skip-tls-verify"] = .bool(true) }
        if let data = certificateAuthorityData?.revealed, !data.isEmpty {
            members["certificate-authority-data"] = .string(data.base64EncodedString())
        }
        if let proxyURL, !proxyURL.revealed.isEmpty { members["proxy-url"] = .string(proxyURL.revealed) }
        if disableCompression { members["disable-compression"] = .bool(true) }
        if let config { members["config"] = config }
        return .object(members)
    }
}
