import Foundation

/// Turns the chosen context of a merged kubeconfig into a `ClusterConnection`, checking the
/// cluster and user entries it names the way kubectl's validation does.
struct KubeContextResolver {
    let config: KubeConfigMerge
    var impersonationFlags = KubeImpersonationFlags()

    func connection(context requested: String?) throws -> ClusterConnection {
        let context = try selectContext(requested)
        let where_ = "context \"\(context.name)\" in \(context.file)"
        guard let clusterName = context.value.cluster, !clusterName.isEmpty else {
            throw KubeConfigError("\(where_): cluster is not set")
        }
        guard let cluster = config.clusters[clusterName] else {
            throw KubeConfigError("cluster \"\(clusterName)\" (used by \(where_)) is not defined in \(config.fileList)")
        }
        // A context without a user still gets the --as flags, as kubectl's getAuthInfo merges them onto an empty entry.
        var user = KubeConfigFile.Named(name: "", value: KubeConfigFile.User(), file: context.file)
        if let userName = context.value.user, !userName.isEmpty {
            guard let entry = config.users[userName] else {
                throw KubeConfigError("user \"\(userName)\" (used by \(where_)) is not defined in \(config.fileList)")
            }
            user = entry
        }
        let (server, tls, proxy) = try Self.cluster(cluster)
        let impersonation = try KubeUserRules.impersonation(user, flags: impersonationFlags)
        let credentials = try KubeUserRules.credentials(user, cluster: cluster, tls: tls,
                                                        secure: server.scheme?.lowercased() == "https")
        let namespace = context.value.namespace.flatMap { $0.isEmpty ? nil : $0 }
        return ClusterConnection(server: server, tls: tls, credentials: credentials, namespace: namespace,
                                 contextName: context.name, origin: where_, proxy: proxy,
                                 impersonation: impersonation, disableCompression: cluster.value.disableCompression)
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
        // rest/url_utils.go defaultServerUrlFor: a server without a scheme is https only when TLS is configured,
        // and client_config.go asks before any TLS field is copied in, so kubectl reaches it over plain http.
        let withScheme = URLCredentials.redacted(serverText.contains("://") ? serverText : "http://\(serverText)")
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

    /// `<field>` (a path that must exist) or `<field>-data` (base64), never both.
    static func pem(file: String?, data: String?, field: String, where where_: String) throws -> PEMSource? {
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
