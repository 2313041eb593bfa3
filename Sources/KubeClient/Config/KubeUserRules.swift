import Foundation

/// A kubeconfig user entry turned into credentials and impersonation by client-go's rules:
/// `tools/clientcmd/validation.go` `validateAuthInfo` for what is refused, `client_config.go`
/// `getUserIdentificationPartialConfig` for what is read, `plugin/pkg/client/auth/exec/exec.go`
/// `UpdateTransportConfig` for when an exec plugin runs.
enum KubeUserRules {
    typealias User = KubeConfigFile.Named<KubeConfigFile.User>

    static func label(_ entry: User) -> String {
        entry.name.isEmpty ? "the context's user (none) in \(entry.file)" : "user \"\(entry.name)\" in \(entry.file)"
    }

    /// The entry's `as*` fields with the `--as*` flags laid over them (a flag replaces the field).
    static func impersonation(_ entry: User, flags: KubeImpersonationFlags) throws -> KubeImpersonation? {
        let user = entry.value
        let name = flags.user.flatMap { $0.isEmpty ? nil : $0 } ?? user.impersonate.flatMap { $0.isEmpty ? nil : $0 }
        let uid = flags.uid.flatMap { $0.isEmpty ? nil : $0 } ?? user.impersonateUID.flatMap { $0.isEmpty ? nil : $0 }
        let groups = flags.groups.isEmpty ? user.impersonateGroups : flags.groups
        // validation.go validateAuthInfo: "requesting uid, groups or user-extra for %v without impersonating a user".
        guard let name else {
            if uid != nil || !groups.isEmpty || !user.impersonateExtra.isEmpty {
                throw KubeConfigError("""
                    \(label(entry)): as-uid, as-groups or as-user-extra (or --as-uid, --as-group) is set without a user \
                    to impersonate; set as: NAME in the user entry or pass --as NAME
                    """)
            }
            return nil
        }
        return KubeImpersonation(user: name, uid: uid, groups: groups, extra: user.impersonateExtra)
    }

    static func credentials(_ entry: User, cluster: KubeConfigFile.Named<KubeConfigFile.Cluster>,
                            tls: KubeTLSSettings, secure: Bool) throws -> KubeCredentials {
        let where_ = label(entry)
        let user = entry.value
        let token = user.token.flatMap { $0.isEmpty ? nil : SecretText($0) }
        let tokenFile = user.tokenFile.flatMap { $0.isEmpty ? nil : $0 }
        let username = user.username ?? ""
        let password = user.password ?? ""
        let basic = username.isEmpty && password.isEmpty ? nil : BasicAuth(username: username, password: SecretText(password))
        // validation.go: only one of token and basic auth.
        if token != nil, basic != nil {
            throw KubeConfigError("\(where_): more than one authentication method found (token and username/password); only one is allowed, remove one")
        }
        let certificate = try KubeContextResolver.pem(file: user.clientCertificate, data: user.clientCertificateData,
                                                      field: "client-certificate", where: where_)
        let key = try KubeContextResolver.pem(file: user.clientKey, data: user.clientKeyData, field: "client-key", where: where_)
        if (certificate == nil) != (key == nil) {
            let (set, missing) = certificate == nil ? ("client-key", "client-certificate") : ("client-certificate", "client-key")
            throw KubeConfigError("\(where_): \(set) is set but \(missing) is not; a client certificate needs both")
        }
        if user.exec != nil, user.authProvider != nil {
            throw KubeConfigError("\(where_): auth-provider cannot be combined with an exec plugin; remove one")
        }
        var exec = try user.exec.map { try execConfig($0, user: entry.name, where: where_, cluster: cluster, tls: tls) }
        // exec.go UpdateTransportConfig: a token, token file, basic auth or client certificate wins and the plugin never runs.
        if token != nil || tokenFile != nil || basic != nil || certificate != nil { exec = nil }
        let userName = entry.name.isEmpty ? nil : entry.name
        // client_config.go ClientConfig: "only try to read the auth information if we are secure"
        // (IsConfigTransportTLS): over plain http nothing below is read and nothing is sent.
        guard secure else { return KubeCredentials(userName: userName) }
        // getUserIdentificationPartialConfig reads tokenFile only without an inline token, and fails if it cannot.
        if let tokenFile, token == nil, !FileManager.default.isReadableFile(atPath: tokenFile) {
            throw KubeConfigError("\(where_): tokenFile \(tokenFile) does not exist or is not readable")
        }
        return KubeCredentials(token: token, tokenFile: tokenFile, clientCertificate: certificate, clientKey: key,
                               exec: exec, basicAuth: basic, oidc: try user.authProvider.map { try oidc($0, where: where_, user: entry.name) },
                               userName: userName)
    }

    private static func execConfig(_ exec: KubeConfigFile.Exec, user: String, where where_: String,
                                   cluster: KubeConfigFile.Named<KubeConfigFile.Cluster>, tls: KubeTLSSettings) throws -> ExecConfig {
        guard let apiVersion = exec.apiVersion, !apiVersion.isEmpty else {
            throw KubeConfigError("\(where_): exec.apiVersion is required (\(ExecConfig.supportedAPIVersions.joined(separator: " or ")))")
        }
        guard ExecConfig.supportedAPIVersions.contains(apiVersion) else {
            throw KubeConfigError("\(where_): exec.apiVersion \"\(apiVersion)\" is not supported; use \(ExecConfig.supportedAPIVersions.joined(separator: " or "))")
        }
        // clientcmd/api/v1/defaults.go SetDefaults_ExecConfig defaults interactiveMode only for v1beta1;
        // validation.go then requires one of Never, IfAvailable, Always.
        var mode = exec.interactiveMode ?? ""
        if mode.isEmpty, apiVersion == "client.authentication.k8s.io/v1beta1" { mode = "IfAvailable" }
        guard !mode.isEmpty else {
            throw KubeConfigError("\(where_): exec.interactiveMode must be set for \(apiVersion) (Never, IfAvailable or Always); pipedreamer has no terminal, so use Never or IfAvailable")
        }
        guard ["Never", "IfAvailable", "Always"].contains(mode) else {
            throw KubeConfigError("\(where_): exec.interactiveMode \"\(mode)\" is not valid; use Never, IfAvailable or Always")
        }
        var info: ExecClusterInfo?
        if exec.provideClusterInfo {
            let value = cluster.value
            info = ExecClusterInfo(server: URLCredentials.redacted(value.server ?? ""),
                                   tlsServerName: value.tlsServerName, insecureSkipTLSVerify: value.insecureSkipTLSVerify,
                                   certificateAuthorityData: try tls.certificateAuthority.map { SecretData(try $0.load()) },
                                   proxyURL: value.proxyURL.flatMap { $0.isEmpty ? nil : SecretText($0) },
                                   disableCompression: value.disableCompression, config: value.execExtension)
        }
        return ExecConfig(command: exec.command, args: exec.args, env: exec.env.map { ($0.name, SecretText($0.value)) },
                          apiVersion: apiVersion, installHint: exec.installHint, interactiveMode: mode,
                          userName: user, cluster: info)
    }

    /// kubectl 1.32 keeps only the oidc provider (`plugin/pkg/client/auth/plugins.go`); gcp and azure were removed.
    private static func oidc(_ provider: KubeConfigFile.AuthProvider, where where_: String, user: String) throws -> OIDCToken {
        switch provider.name {
        case "oidc": break
        case "gcp":
            throw KubeConfigError("\(where_): the gcp auth-provider was removed from kubectl; use the gke-gcloud-auth-plugin exec credential plugin instead")
        case "azure":
            throw KubeConfigError("\(where_): the azure auth-provider was removed from kubectl; use the kubelogin exec credential plugin instead")
        default:
            throw KubeConfigError("\(where_): no auth-provider named \"\(provider.name)\" exists; kubectl knows only oidc (or use an exec credential plugin)")
        }
        // oidc.go newOIDCAuthProvider: "Must provide idp-issuer-url", "Must provide client-id".
        for field in ["idp-issuer-url", "client-id"] where (provider.config[field] ?? "").isEmpty {
            throw KubeConfigError("\(where_): auth-provider oidc needs config.\(field)")
        }
        return OIDCToken(idToken: provider.config["id-token"].flatMap { $0.isEmpty ? nil : SecretText($0) },
                         hasRefreshToken: !(provider.config["refresh-token"] ?? "").isEmpty,
                         issuer: URLCredentials.redacted(provider.config["idp-issuer-url"] ?? ""), userName: user)
    }
}
