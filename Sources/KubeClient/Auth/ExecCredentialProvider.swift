import Foundation

/// Runs a kubeconfig's exec credential plugin and caches what it returns for the run, until
/// the credential's `expirationTimestamp` (or until `invalidate()` after a 401). A plugin that
/// does not finish within `timeout` is killed with everything it started (its process group).
public actor ExecCredentialProvider {
    public static let standardTimeout: Duration = .seconds(30)

    public let config: ExecConfig
    /// How long one run of the plugin may take; nil waits forever.
    public let timeout: Duration?
    private let environment: [String: String]
    private let now: @Sendable () -> Date
    private var cached: ExecCredential?
    private var pending: Task<ExecCredential, any Error>?
    /// How many times the plugin has been started.
    public private(set) var runCount = 0

    public init(config: ExecConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
                timeout: Duration? = ExecCredentialProvider.standardTimeout, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.timeout = timeout
        self.environment = environment
        self.now = now
    }

    /// The cached credential while it is valid, else a fresh one from the plugin.
    public func credential() async throws -> ExecCredential {
        if let cached, cached.expiration.map({ now() < $0 }) ?? true { return cached }
        if let pending { return try await pending.value }
        runCount += 1
        let config = self.config
        let environment = self.environment
        let timeout = self.timeout
        let task = Task { try await Self.run(config, environment: environment, timeout: timeout) }
        pending = task
        defer { pending = nil }
        let credential = try await task.value
        cached = credential
        return credential
    }

    /// Forgets the cached credential: the server rejected it.
    public func invalidate() { cached = nil }

    /// `KUBERNETES_EXEC_INFO`: the API version to answer in, that no terminal is available, and with
    /// `provideClusterInfo` the cluster (exec.go `refreshCredsLocked` sets `spec.cluster` from `rest.ConfigToExecCluster`).
    static func execInfo(apiVersion: String, cluster: ExecClusterInfo? = nil) -> String {
        var spec: [String: JSONValue] = ["interactive": .bool(false)]
        if let cluster { spec["cluster"] = cluster.json }
        let info = JSONValue.object(["apiVersion": .string(apiVersion), "kind": .string("ExecCredential"),
                                     "spec": .object(spec)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(info)) ?? Data(), as: UTF8.self)
    }

    private static func run(_ config: ExecConfig, environment: [String: String], timeout: Duration?) async throws -> ExecCredential {
        let plugin = "exec plugin for user \"\(config.userName)\" (\(config.command))"
        if config.interactiveMode == "Always" {
            throw KubeConfigError("\(plugin) needs a terminal (interactiveMode: Always), which pipedreamer never has; log in with the plugin first or set interactiveMode to IfAvailable")
        }
        let executable = try locate(config, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        var merged = environment
        for variable in config.env { merged[variable.name] = variable.value.revealed }
        merged["KUBERNETES_EXEC_INFO"] = execInfo(apiVersion: config.apiVersion, cluster: config.cluster)
        let result: PluginProcess.Result
        do {
            result = try await PluginProcess.run(executable: executable, arguments: config.args, environment: merged, timeout: timeout)
        } catch {
            throw KubeConfigError("\(plugin) could not be started: \(error.localizedDescription)")
        }
        if result.timedOut, let timeout {
            throw KubeConfigError("\(plugin) did not finish within \(KubeTransportFailure.format(timeout)) and was stopped; check that it can run without a terminal, or allow it longer with --request-timeout")
        }
        guard result.exitCode == 0 else {
            let stderr = PluginProcess.summary(of: result.stderr)
            let ending = stderr.isEmpty ? " and printed nothing on stderr" : ": \(stderr)"
            throw KubeConfigError("\(plugin) failed with \(result.exitDescription)\(ending)")
        }
        return try ExecCredential.parse(result.stdout, config: config)
    }

    private static func locate(_ config: ExecConfig, path: String) throws -> String {
        let plugin = "exec plugin for user \"\(config.userName)\""
        let hint = config.installHint.map { "\n\($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
        if config.command.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: config.command) else {
                throw KubeConfigError("\(plugin): \(config.command) does not exist or is not executable\(hint)")
            }
            return config.command
        }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(config.command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw KubeConfigError("\(plugin): command \"\(config.command)\" was not found in PATH\(hint)")
    }
}
