import Foundation

/// Turns the chosen context of a merged kubeconfig into a `ClusterConnection`, checking the
/// cluster and user entries it names the way kubectl's validation does.
struct KubeContextResolver {
    let config: KubeConfigMerge

    func connection(context requested: String?) throws -> ClusterConnection {
        let context = try selectContext(requested)
        let where_ = "context \"\(context.name)\" in \(context.file)"
        guard let clusterName = context.value.cluster, !clusterName.isEmpty else {
            throw KubeConfigError("\(where_): cluster is not set")
        }
        guard let cluster = config.clusters[clusterName] else {
            throw KubeConfigError("cluster \"\(clusterName)\" (used by \(where_)) is not defined in \(config.fileList)")
        }
        var credentials = KubeCredentials()
        if let userName = context.value.user, !userName.isEmpty {
            guard let user = config.users[userName] else {
                throw KubeConfigError("user \"\(userName)\" (used by \(where_)) is not defined in \(config.fileList)")
            }
            credentials = try Self.credentials(user)
        }
        let (server, tls, proxy) = try Self.cluster(cluster)
        let namespace = context.value.namespace.flatMap { $0.isEmpty ? nil : $0 }
        return ClusterConnection(server: server, tls: tls, credentials: credentials, namespace: namespace,
                                 contextName: context.name, origin: where_, proxy: proxy)
    }

    private func selectContext(_ requested: String?) throws -> KubeConfigFile.Named<KubeConfigFile.Context> {
        if let requested {
            guard let context = config.contexts[requested] else {
                throw KubeConfigError("context \"\(requested)\" (--context) is not defined in \(config.fileList); \(config.availableContexts)")
            }
            return context
        }
        guard let current = config.currentContext else {
            throw KubeConfigError("""
                no current context is set in \(config.fileList); pass --context NAME or run \
                `kubectl config use-context NAME` (\(config.availableContexts))
                """)
        }
        guard let context = config.contexts[current.name] else {
            throw KubeConfigError("""
                current-context "\(current.name)" in \(current.file) is not defined; pass --context NAME or run \
                `kubectl config use-context NAME` (\(config.availableContexts))
                """)
        }
        return context
    }

    private static func cluster(_ entry: KubeConfigFile.Named<KubeConfigFile.Cluster>) throws
        -> (URL, KubeTLSSettings, KubeProxy?) {
        let where_ = "cluster \"\(entry.name)\" in \(entry.file)"
        let cluster = entry.value
        guard let serverText = cluster.server, !serverText.isEmpty else {
            throw KubeConfigError("\(where_): server is not set")
        }
        // User info in the server URL is never sent (credentials come from the user entry), so it is
        // dropped here and no message or rendering of the connection can show it.
        let withScheme = URLCredentials.redacted(serverText.contains("://") ? serverText : "https://\(serverText)")
        guard let server = URL(string: withScheme), ["http", "https"].contains(server.scheme?.lowercased() ?? ""),
              let host = server.host, !host.isEmpty else {
            throw KubeConfigError("\(where_): server \"\(URLCredentials.redacted(serverText))\" is not an http(s) URL")
        }
        // The value is never quoted in messages: it may hold the proxy's password.
        let proxy = try cluster.proxyURL.flatMap { $0.isEmpty ? nil : $0 }.map { try KubeProxy.parse($0, source: "\(where_): proxy-url") }
        let ca = try pem(file: cluster.certificateAuthority, data: cluster.certificateAuthorityData,
                         field: "certificate-authority", where: where_)
        if cluster.insecureSkipTLSVerify, ca != nil {
            throw KubeConfigError("\(where_): insecure-skip-tls-verify cannot be combined with certificate-authority; remove one")
        }
        let tls = KubeTLSSettings(certificateAuthority: ca, insecureSkipVerify: cluster.insecureSkipTLSVerify,
                                  serverName: cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 },
                                  clusterName: entry.name)
        return (server, tls, proxy)
    }

    private static func credentials(_ entry: KubeConfigFile.Named<KubeConfigFile.User>) throws -> KubeCredentials {
        let where_ = "user \"\(entry.name)\" in \(entry.file)"
        let user = entry.value
        if let provider = user.authProvider {
            throw KubeConfigError("""
                \(where_): auth-provider "\(provider)" is not supported (kubectl dropped it too); use an exec \
                credential plugin instead, e.g. gke-gcloud-auth-plugin for GKE, kubelogin for Azure or OIDC
                """)
        }
        if user.username != nil {
            throw KubeConfigError("\(where_): username/password authentication is not supported; use a token, client certificate or exec plugin")
        }
        let certificate = try pem(file: user.clientCertificate, data: user.clientCertificateData,
                                  field: "client-certificate", where: where_)
        let key = try pem(file: user.clientKey, data: user.clientKeyData, field: "client-key", where: where_)
        if (certificate == nil) != (key == nil) {
            let (set, missing) = certificate == nil ? ("client-key", "client-certificate") : ("client-certificate", "client-key")
            throw KubeConfigError("\(where_): \(set) is set but \(missing) is not; a client certificate needs both")
        }
        if let tokenFile = user.tokenFile, !tokenFile.isEmpty, !FileManager.default.fileExists(atPath: tokenFile) {
            throw KubeConfigError("\(where_): tokenFile \(tokenFile) does not exist")
        }
        return KubeCredentials(token: user.token.flatMap { $0.isEmpty ? nil : SecretText($0) },
                               tokenFile: user.tokenFile.flatMap { $0.isEmpty ? nil : $0 },
                               clientCertificate: certificate, clientKey: key,
                               exec: try user.exec.map { try execConfig($0, user: entry.name, where: where_) },
                               userName: entry.name)
    }

    private static func execConfig(_ exec: KubeConfigFile.Exec, user: String, where where_: String) throws -> ExecConfig {
        guard let apiVersion = exec.apiVersion, !apiVersion.isEmpty else {
            throw KubeConfigError("\(where_): exec.apiVersion is required (\(ExecConfig.supportedAPIVersions.joined(separator: " or ")))")
        }
        guard ExecConfig.supportedAPIVersions.contains(apiVersion) else {
            throw KubeConfigError("\(where_): exec.apiVersion \"\(apiVersion)\" is not supported; use \(ExecConfig.supportedAPIVersions.joined(separator: " or "))")
        }
        return ExecConfig(command: exec.command, args: exec.args, env: exec.env.map { ($0.name, SecretText($0.value)) },
                          apiVersion: apiVersion, installHint: exec.installHint, interactiveMode: exec.interactiveMode,
                          userName: user)
    }

    /// `<field>` (a path that must exist) or `<field>-data` (base64), never both.
    private static func pem(file: String?, data: String?, field: String, where where_: String) throws -> PEMSource? {
        let file = file.flatMap { $0.isEmpty ? nil : $0 }
        let data = data.flatMap { $0.isEmpty ? nil : $0 }
        if file != nil, data != nil {
            throw KubeConfigError("\(where_): \(field) and \(field)-data are both set; keep one")
        }
        if let data {
            let compact = data.filter { !$0.isWhitespace }
            guard let decoded = Data(base64Encoded: compact), !decoded.isEmpty else {
                throw KubeConfigError("\(where_): \(field)-data is not valid base64")
            }
            return .data(SecretData(decoded))
        }
        if let file {
            guard FileManager.default.fileExists(atPath: file) else {
                throw KubeConfigError("\(where_): \(field) \(file) does not exist")
            }
            return .file(file)
        }
        return nil
    }
}
