import Foundation

/// Everything needed to talk to one API server: the kubeconfig context (or the in-cluster
/// service account) resolved to a server, TLS settings and credentials.
public struct ClusterConnection: Sendable, Equatable {
    /// The API server's base URL (`https://10.0.0.1:6443`, possibly with a path prefix).
    public var server: URL
    public var tls: KubeTLSSettings
    public var credentials: KubeCredentials
    /// The context's namespace (or the service account's), when set.
    public var namespace: String?
    /// The selected context; nil for the in-cluster service account.
    public var contextName: String?
    /// Where this came from, for messages: `context "dev" in /home/me/.kube/config`.
    public var origin: String
    /// The cluster's `proxy-url`, when set: used for every request, in place of `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY`.
    public var proxy: KubeProxy?
    /// Whom every request acts as; nil sends no `Impersonate-*` header.
    public var impersonation: KubeImpersonation?
    /// The cluster's `disable-compression`; requests never ask for gzip either way (see docs/cluster.md).
    public var disableCompression: Bool

    public init(server: URL, tls: KubeTLSSettings = KubeTLSSettings(), credentials: KubeCredentials = KubeCredentials(),
                namespace: String? = nil, contextName: String? = nil, origin: String, proxy: KubeProxy? = nil,
                impersonation: KubeImpersonation? = nil, disableCompression: Bool = false) {
        self.server = server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.contextName = contextName
        self.origin = origin
        self.proxy = proxy
        self.impersonation = impersonation
        self.disableCompression = disableCompression
    }
}

/// PEM bytes from a file (read when the client is built) or inline (`*-data`, already base64-decoded).
public enum PEMSource: Sendable, Equatable {
    case file(String)
    case data(SecretData)

    func load() throws -> Data {
        switch self {
        case .data(let data): return data.revealed
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeConfigError("cannot read \(path): the file does not exist or is not readable")
            }
            return data
        }
    }
}

public struct KubeTLSSettings: Sendable, Equatable {
    /// The CA that signed the server's certificate; nil trusts the system roots.
    public var certificateAuthority: PEMSource?
    /// `insecure-skip-tls-verify`: only ever true because the kubeconfig says so.
    public var insecureSkipVerify: Bool
    /// `tls-server-name`: the name the server certificate is checked against (and sent as SNI).
    public var serverName: String?
    /// The kubeconfig cluster entry, for messages; nil in-cluster.
    public var clusterName: String?

    public init(certificateAuthority: PEMSource? = nil, insecureSkipVerify: Bool = false,
                serverName: String? = nil, clusterName: String? = nil) {
        self.certificateAuthority = certificateAuthority
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.clusterName = clusterName
    }

    /// How the CA is named in messages: `certificate-authority /etc/ca.crt`.
    var certificateAuthorityLabel: String {
        switch certificateAuthority {
        case .file(let path): return "certificate-authority \(path)"
        case .data: return "certificate-authority-data" + (clusterName.map { " of cluster \"\($0)\"" } ?? "")
        case nil: return "the system's trusted roots"
        }
    }
}

/// A user's credentials. The client sends a token (static, from a file, from an exec plugin or
/// the oidc `id-token`) as a bearer header, or basic auth, and a client certificate (static or from
/// the plugin) during the handshake. The kubeconfig loader fills them only for TLS servers.
public struct KubeCredentials: Sendable, Equatable {
    public var token: SecretText?
    /// Read when requests are made, at most once a minute, and preferred to `token` while it reads
    /// (`transport/token_source.go`): projected service-account tokens rotate.
    public var tokenFile: String?
    public var clientCertificate: PEMSource?
    public var clientKey: PEMSource?
    public var exec: ExecConfig?
    /// `username`/`password`, sent as `Authorization: Basic`.
    public var basicAuth: BasicAuth?
    /// The `auth-provider: oidc` entry's `id-token`, checked for expiry before it is sent.
    public var oidc: OIDCToken?
    /// The kubeconfig user entry, for messages; nil in-cluster or without a user.
    public var userName: String?

    public init(token: SecretText? = nil, tokenFile: String? = nil, clientCertificate: PEMSource? = nil,
                clientKey: PEMSource? = nil, exec: ExecConfig? = nil, basicAuth: BasicAuth? = nil,
                oidc: OIDCToken? = nil, userName: String? = nil) {
        self.token = token
        self.tokenFile = tokenFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.exec = exec
        self.basicAuth = basicAuth
        self.oidc = oidc
        self.userName = userName
    }

    /// `tools/clientcmd/client_config.go` `getUserIdentificationPartialConfig` with `transport`'s
    /// rules: whether any credential is set (none is read for a plain-HTTP server).
    public var isEmpty: Bool {
        token == nil && tokenFile == nil && clientCertificate == nil && exec == nil && basicAuth == nil && oidc == nil
    }
}

/// `username` and `password` of a kubeconfig user.
public struct BasicAuth: Sendable, Equatable {
    public var username: String
    public var password: SecretText

    public init(username: String, password: SecretText) {
        self.username = username
        self.password = password
    }

    /// `transport/round_trippers.go` `basicAuthRoundTripper`: Go's `SetBasicAuth`, base64 of `user:password`.
    var header: SecretText {
        SecretText("Basic " + Data("\(username):\(password.revealed)".utf8).base64EncodedString())
    }
}

/// A `user.exec` credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`).
public struct ExecConfig: Sendable, Equatable {
    public static let supportedAPIVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// The program: an absolute path when the kubeconfig gave a path, else a name looked up in `PATH`.
    public var command: String
    public var args: [String]
    /// Added to (and overriding) the environment, in kubeconfig order.
    public var env: [(name: String, value: SecretText)]
    public var apiVersion: String
    public var installHint: String?
    /// `Never`, `IfAvailable` or `Always`; pipedreamer never has a terminal to offer.
    public var interactiveMode: String?
    /// The kubeconfig user entry, for messages.
    public var userName: String
    /// Set when the entry says `provideClusterInfo: true`: passed in `KUBERNETES_EXEC_INFO`.
    public var cluster: ExecClusterInfo?

    public init(command: String, args: [String] = [], env: [(name: String, value: SecretText)] = [],
                apiVersion: String, installHint: String? = nil, interactiveMode: String? = nil, userName: String,
                cluster: ExecClusterInfo? = nil) {
        self.cluster = cluster
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.interactiveMode = interactiveMode
        self.userName = userName
    }

    public static func == (lhs: ExecConfig, rhs: ExecConfig) -> Bool {
        lhs.command == rhs.command && lhs.args == rhs.args && lhs.apiVersion == rhs.apiVersion
            && lhs.env.map(\.name) == rhs.env.map(\.name) && lhs.env.map(\.value) == rhs.env.map(\.value)
            && lhs.installHint == rhs.installHint && lhs.interactiveMode == rhs.interactiveMode && lhs.userName == rhs.userName
            && lhs.cluster == rhs.cluster
    }
}
