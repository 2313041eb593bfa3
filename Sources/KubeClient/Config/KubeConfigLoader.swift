import Foundation

/// Where to look for cluster configuration: the CLI's `--kubeconfig` and `--context`, and
/// the environment (injectable so tests never read the real home directory or service account).
public struct KubeConfigOptions: Sendable {
    /// `--kubeconfig`: this file only, which must exist.
    public var kubeconfig: String?
    /// `--context`: overrides the kubeconfig's `current-context`.
    public var context: String?
    public var environment: [String: String]
    /// Where `.kube/config` is looked up; defaults to `HOME`.
    public var homeDirectory: String?
    /// The service-account mount used in-cluster (token, ca.crt, namespace).
    public var serviceAccountDirectory: String
    /// `--as`, `--as-group`, `--as-uid`.
    public var impersonation: KubeImpersonationFlags

    public init(kubeconfig: String? = nil, context: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String? = nil,
                serviceAccountDirectory: String = InClusterConfig.defaultDirectory,
                impersonation: KubeImpersonationFlags = KubeImpersonationFlags()) {
        self.impersonation = impersonation
        self.kubeconfig = kubeconfig
        self.context = context
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.serviceAccountDirectory = serviceAccountDirectory
    }
}

/// Finds the cluster the way kubectl does: `--kubeconfig`, else the `KUBECONFIG` list (merged),
/// else `~/.kube/config`, else the in-cluster service account.
public enum KubeConfigLoader {
    public static func load(_ options: KubeConfigOptions = KubeConfigOptions()) throws -> ClusterConnection {
        let (files, looked) = try kubeconfigFiles(options)
        let config = try KubeConfigMerge(files: files.map(KubeConfigFile.init(path:)))
        if config.isEmpty, options.context == nil, InClusterConfig.isAvailable(options.environment) {
            var connection = try InClusterConfig.connection(environment: options.environment,
                                                            directory: options.serviceAccountDirectory)
            // tools/clientcmd/client_config.go inClusterClientConfig.ClientConfig copies the --as* overrides.
            connection.impersonation = try KubeUserRules.impersonation(
                KubeConfigFile.Named(name: "", value: KubeConfigFile.User(), file: connection.origin), flags: options.impersonation)
            return connection
        }
        if files.isEmpty {
            throw KubeConfigError("""
                no kubeconfig found (looked at \(looked.joined(separator: ", "))) and not running in a cluster \
                (KUBERNETES_SERVICE_HOST is not set); pass --kubeconfig FILE or set KUBECONFIG
                """)
        }
        return try KubeContextResolver(config: config, impersonationFlags: options.impersonation).connection(context: options.context)
    }

    /// The files to merge, and the places looked at (for the not-found message).
    static func kubeconfigFiles(_ options: KubeConfigOptions) throws -> (files: [String], looked: [String]) {
        if let explicit = options.kubeconfig, !explicit.isEmpty {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw KubeConfigError("kubeconfig \(explicit) (--kubeconfig) does not exist")
            }
            return ([explicit], [explicit])
        }
        if let list = options.environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
            // kubectl skips list entries that do not exist.
            return (paths.filter { FileManager.default.fileExists(atPath: $0) }, paths.map { "\($0) (KUBECONFIG)" })
        }
        let home = options.homeDirectory ?? options.environment["HOME"] ?? NSHomeDirectory()
        let path = URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path
        return (FileManager.default.fileExists(atPath: path) ? [path] : [], [path])
    }
}

/// Several kubeconfig files merged with kubectl's rules: the first file to define a cluster,
/// user or context name wins, and the first non-empty `current-context` wins.
struct KubeConfigMerge {
    var paths: [String] = []
    var clusters: [String: KubeConfigFile.Named<KubeConfigFile.Cluster>] = [:]
    var users: [String: KubeConfigFile.Named<KubeConfigFile.User>] = [:]
    var contexts: [String: KubeConfigFile.Named<KubeConfigFile.Context>] = [:]
    var currentContext: (name: String, file: String)?

    init(files: [KubeConfigFile]) {
        for file in files {
            paths.append(file.path)
            for entry in file.clusters where clusters[entry.name] == nil { clusters[entry.name] = entry }
            for entry in file.users where users[entry.name] == nil { users[entry.name] = entry }
            for entry in file.contexts where contexts[entry.name] == nil { contexts[entry.name] = entry }
            if currentContext == nil, let name = file.currentContext { currentContext = (name, file.path) }
        }
    }

    var isEmpty: Bool { clusters.isEmpty && users.isEmpty && contexts.isEmpty && currentContext == nil }

    var fileList: String { paths.joined(separator: ", ") }

    var availableContexts: String {
        contexts.isEmpty ? "none are defined" : "available contexts: " + contexts.keys.sorted().joined(separator: ", ")
    }
}

/// The in-cluster service account, as client-go's `rest.InClusterConfig` (`rest/config.go`) reads it:
/// the token read now (an unreadable one is an error) and kept as the fallback while the file is
/// re-read (`BearerTokenFile`), the CA when it exists, the namespace from `POD_NAMESPACE` or the
/// mounted file (`tools/clientcmd/client_config.go` `inClusterClientConfig.Namespace`).
public enum InClusterConfig {
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    static func isAvailable(_ environment: [String: String]) -> Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    static func connection(environment: [String: String], directory: String) throws -> ClusterConnection {
        let host = environment["KUBERNETES_SERVICE_HOST"] ?? ""
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(bracketed):\(port)") else {
            throw KubeConfigError("in-cluster: KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT do not form a URL (\(host):\(port))")
        }
        let base = URL(fileURLWithPath: directory)
        let tokenFile = base.appendingPathComponent("token").path
        guard let tokenData = FileManager.default.contents(atPath: tokenFile) else {
            throw KubeConfigError("in-cluster: cannot read the service account token \(tokenFile); is a service account token mounted?")
        }
        let token = String(decoding: tokenData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let caFile = base.appendingPathComponent("ca.crt").path
        let namespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (try? String(contentsOfFile: base.appendingPathComponent("namespace").path, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return ClusterConnection(
            server: server,
            tls: KubeTLSSettings(certificateAuthority: FileManager.default.fileExists(atPath: caFile) ? .file(caFile) : nil),
            credentials: KubeCredentials(token: token.isEmpty ? nil : SecretText(token), tokenFile: tokenFile),
            namespace: namespace?.isEmpty == false ? namespace : nil,
            origin: "in-cluster service account (\(directory))")
    }
}
