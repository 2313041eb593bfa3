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
    }

    struct Exec {
        var command: String
        var args: [String]
        var env: [(name: String, value: String)]
        var apiVersion: String?
        var installHint: String?
        var interactiveMode: String?
    }

    struct User {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var exec: Exec?
        var authProvider: String?
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
                    proxyURL: try fields.string("proxy-url"))
        }
        users = try top.namedList("users", entry: "user") { name, fields in
            var authProvider: String?
            if let provider = try fields.map("auth-provider") {
                authProvider = try provider.string("name") ?? "unnamed"
            }
            return User(clientCertificate: resolve(try fields.string("client-certificate")),
                        clientCertificateData: try fields.string("client-certificate-data"),
                        clientKey: resolve(try fields.string("client-key")),
                        clientKeyData: try fields.string("client-key-data"),
                        token: try fields.string("token"),
                        tokenFile: resolve(try fields.string("tokenFile")),
                        username: try fields.string("username"),
                        exec: try fields.map("exec").map { try Self.exec($0, directory: directory) },
                        authProvider: authProvider)
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
                    installHint: try fields.string("installHint"), interactiveMode: try fields.string("interactiveMode"))
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
