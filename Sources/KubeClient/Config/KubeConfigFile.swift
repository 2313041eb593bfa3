import Foundation
import Yams

/// One kubeconfig file as written: named clusters, users and contexts, with every relative
/// path already resolved against the file's directory. Values are checked when a context is
/// chosen, so a broken entry elsewhere in the file does not block the one in use.
struct KubeConfigFile {
    struct Cluster {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify = false
        var tlsServerName: String?
        var proxyURL: String?
        var disableCompression = false
        /// `extensions[client.authentication.k8s.io/exec].extension`, passed to exec plugins as `spec.cluster.config`.
        var execExtension: JSONValue?
    }

    struct Exec {
        var command: String
        var args: [String]
        var env: [(name: String, value: String)]
        var apiVersion: String?
        var installHint: String?
        var interactiveMode: String?
        var provideClusterInfo = false
    }

    /// `auth-provider`: its name and string-valued `config`.
    struct AuthProvider {
        var name: String
        var config: [String: String]
    }

    struct User {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var password: String?
        var exec: Exec?
        var authProvider: AuthProvider?
        /// `as`, `as-uid`, `as-groups`, `as-user-extra`: impersonation, as client-go's `AuthInfo` names them.
        var impersonate: String?
        var impersonateUID: String?
        var impersonateGroups: [String] = []
        var impersonateExtra: [String: [String]] = [:]
    }

    struct Context {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    /// An entry and the file that defined it, for relative paths and messages.
    struct Named<Value> {
        var name: String
        var value: Value
        var file: String
    }

    let path: String
    var clusters: [Named<Cluster>] = []
    var users: [Named<User>] = []
    var contexts: [Named<Context>] = []
    var currentContext: String?

    /// Parses the file at `path`; an empty file is an empty config, as for kubectl.
    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError("cannot read kubeconfig \(path): the file does not exist or is not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KubeConfigError("cannot read kubeconfig \(path): it is not UTF-8 text")
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw KubeConfigError("cannot parse kubeconfig \(path): \(Self.safeSummary(of: error))")
        }
        guard let root, !YAMLFields.isNull(root) else { return }
        let top = try YAMLFields(node: root, context: path, field: "kubeconfig")
        let directory = (path as NSString).deletingLastPathComponent
        let resolve = { (value: String?) in value.map { Self.resolve($0, against: directory) } }

        currentContext = try top.string("current-context").flatMap { $0.isEmpty ? nil : $0 }
        clusters = try top.namedList("clusters", entry: "cluster") { name, fields in
            Cluster(server: try fields.string("server"),
                    certificateAuthority: resolve(try fields.string("certificate-authority")),
                    certificateAuthorityData: try fields.string("certificate-authority-data"),
                    insecureSkipTLSVerify: try fields.bool("insecure-skip-tls-verify") ?? false,
                    tlsServerName: try fields.string("tls-server-name"),
                    proxyURL: try fields.string("proxy-url"),
                    disableCompression: try fields.bool("disable-compression") ?? false,
                    execExtension: try Self.execExtension(fields))
        }
        users = try top.namedList("users", entry: "user") { name, fields in
            var authProvider: AuthProvider?
            if let provider = try fields.map("auth-provider") {
                authProvider = AuthProvider(name: try provider.string("name") ?? "", config: try provider.stringMap("config"))
            }
            return User(clientCertificate: resolve(try fields.string("client-certificate")),
                        clientCertificateData: try fields.string("client-certificate-data"),
                        clientKey: resolve(try fields.string("client-key")),
                        clientKeyData: try fields.string("client-key-data"),
                        token: try fields.string("token"),
                        tokenFile: resolve(try fields.string("tokenFile")),
                        username: try fields.string("username"),
                        password: try fields.string("password"),
                        exec: try fields.map("exec").map { try Self.exec($0, directory: directory) },
                        authProvider: authProvider,
                        impersonate: try fields.string("as"),
                        impersonateUID: try fields.string("as-uid"),
                        impersonateGroups: try fields.stringList("as-groups"),
                        impersonateExtra: try fields.stringListMap("as-user-extra"))
        }
        contexts = try top.namedList("contexts", entry: "context") { _, fields in
            Context(cluster: try fields.string("cluster"), user: try fields.string("user"),
                    namespace: try fields.string("namespace"))
        }
    }

    private static func exec(_ fields: YAMLFields, directory: String) throws -> Exec {
        guard let command = try fields.string("command"), !command.isEmpty else {
            throw KubeConfigError("\(fields.context): exec.command is required")
        }
        var env: [(name: String, value: String)] = []
        for (index, item) in try fields.list("env").enumerated() {
            let variable = try YAMLFields(node: item, context: fields.context, field: "exec.env[\(index)]")
            guard let name = try variable.string("name"), !name.isEmpty else {
                throw KubeConfigError("\(fields.context): exec.env[\(index)] has no name")
            }
            env.append((name, try variable.string("value") ?? ""))
        }
        let args = try fields.list("args").enumerated().map { index, node in
            guard let arg = node.scalar?.string else {
                throw KubeConfigError("\(fields.context): exec.args[\(index)] must be a string")
            }
            return arg
        }
        // client-go resolves a command given as a path against the kubeconfig's directory; bare names use PATH.
        let resolved = command.contains("/") ? resolve(command, against: directory) : command
        return Exec(command: resolved, args: args, env: env, apiVersion: try fields.string("apiVersion"),
                    installHint: try fields.string("installHint"), interactiveMode: try fields.string("interactiveMode"),
                    provideClusterInfo: try fields.bool("provideClusterInfo") ?? false)
    }

    /// client-go's `clusterExtensionKey` (`tools/clientcmd/client_config.go`): the cluster's
    /// `extensions` entry named `client.authentication.k8s.io/exec`, whose `extension` reaches the plugin.
    private static func execExtension(_ fields: YAMLFields) throws -> JSONValue? {
        for (index, item) in try fields.list("extensions").enumerated() {
            let entry = try YAMLFields(node: item, context: fields.context, field: "extensions[\(index)]")
            guard try entry.string("name") == "client.authentication.k8s.io/exec" else { continue }
            return try entry.json("extension")
        }
        return nil
    }

    static func resolve(_ path: String, against directory: String) -> String {
        if path.isEmpty || path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    /// Yams' own description quotes the offending line, which may hold a token: keep the problem and position only.
    static func safeSummary(of error: any Error) -> String {
        guard let yaml = error as? YamlError else { return "invalid YAML" }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "invalid YAML at line \(mark.line), column \(mark.column): \(problem)"
        case .reader(let problem, _, _, _):
            return "invalid YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "invalid YAML: duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            return "invalid YAML"
        }
    }
}
