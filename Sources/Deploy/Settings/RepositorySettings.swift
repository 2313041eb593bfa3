import GitShim
import KubeClient
import WorkflowBundle

/// pipedreamer's settings in git config (`pipedreamer.*`): the one place render, deploy and the
/// hooks read them from.
public struct RepositorySettings: Sendable, Equatable {
    public static let maxCodeBytesKey = "pipedreamer.maxCodeBytes"
    public static let deployRefsKey = "pipedreamer.deployRefs"
    public static let strictKey = "pipedreamer.strict"
    public static let allowedNamespacesKey = "pipedreamer.allowedNamespaces"
    public static let allowedImagesKey = "pipedreamer.allowedImages"
    public static let receiveTimeoutKey = "pipedreamer.receiveTimeout"
    public static let defaultReceiveTimeout: Duration = .seconds(300)

    /// The bundle size limit: `pipedreamer.maxCodeBytes`, default 921600, never above 1048576.
    public var maxCodeBytes: Int
    /// Reference patterns whose pushes the post-receive hook deploys; empty deploys nothing.
    public var deployRefs: [String]
    /// `pipedreamer.strict`: warnings (unknown keys in workflow.yaml) are errors; default false.
    public var strict: Bool
    /// `pipedreamer.codeConfigMap`: shared or per-commit; nil (unset) keeps the live mode, shared for a first deploy.
    public var codeConfigMap: CodeConfigMapMode?
    /// `pipedreamer.allowedNamespaces` (multi-valued glob patterns): the namespaces post-receive may
    /// deploy to, whatever a pushed workflow.yaml asks for; nil (unset) allows any.
    public var allowedNamespaces: [String]?
    /// `pipedreamer.allowedImages`: likewise for the engine image a pushed commit resolves to.
    public var allowedImages: [String]?
    /// `pipedreamer.receiveTimeout`: how long post-receive gives one workflow's deploy; nil (`0`) is no limit.
    public var receiveTimeout: Duration? = defaultReceiveTimeout

    public init(maxCodeBytes: Int = BundleRules.defaultMaxBytes, deployRefs: [String] = [], strict: Bool = false) {
        self.maxCodeBytes = maxCodeBytes
        self.deployRefs = deployRefs
        self.strict = strict
    }

    /// Reads the configuration of `repository` (local, global and system files, as git layers them).
    public static func load(from repository: Repository) throws -> RepositorySettings {
        let config = try repository.config()
        var result = RepositorySettings()
        if let text = try config.string(maxCodeBytesKey) { result.maxCodeBytes = try parseLimit(text) }
        if let text = try config.string(deployRefsKey) {
            result.deployRefs = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        }
        if let strict = try config.bool(strictKey) { result.strict = strict }
        result.allowedNamespaces = try patterns(config.strings(allowedNamespacesKey))
        result.allowedImages = try patterns(config.strings(allowedImagesKey))
        if let text = try config.string(receiveTimeoutKey) { result.receiveTimeout = try parseReceiveTimeout(text) }
        if let text = try config.string(CodeConfigMapMode.configKey) {
            result.codeConfigMap = try CodeConfigMapMode.parse(text, source: "git config \(CodeConfigMapMode.configKey)")
        }
        return result
    }

    /// Every value of a multi-valued pattern key, each also split at blanks; nil when the key is not set.
    static func patterns(_ values: [String]) -> [String]? {
        values.isEmpty ? nil : values.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) }
    }

    /// A duration as `--timeout` reads one (`90s`, `5m`, `1h`, a bare number of seconds); `0` is no limit.
    public static func parseReceiveTimeout(_ text: String) throws -> Duration? {
        do {
            return try KubeRequestTimeout.parse(text)
        } catch {
            throw DeployError("git config \(receiveTimeoutKey) is '\(text)': give a duration such as 90s, 5m or 0 for no limit (git config \(receiveTimeoutKey) 5m)")
        }
    }

    /// A byte count as git writes integers (`921600`, `900k`, `1m`), within 1...1048576.
    public static func parseLimit(_ text: String) throws -> Int {
        let trimmed = text.trimmingSpaces
        var digits = Substring(trimmed)
        var unit = 1
        switch digits.last {
        case "k", "K": unit = 1024; digits = digits.dropLast()
        case "m", "M": unit = 1024 * 1024; digits = digits.dropLast()
        default: break
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits),
              number.multipliedReportingOverflow(by: unit).overflow == false, number * unit > 0 else {
            throw DeployError("git config \(maxCodeBytesKey) is '\(text)': give a whole number of bytes from 1 to \(BundleRules.kubernetesMaxBytes), for example 921600 or 900k (git config \(maxCodeBytesKey) 921600)")
        }
        let bytes = number * unit
        guard bytes <= BundleRules.kubernetesMaxBytes else {
            throw DeployError("git config \(maxCodeBytesKey) is \(trimmed) (\(bytes) bytes), above the Kubernetes ConfigMap limit of \(BundleRules.kubernetesMaxBytes) bytes: set at most 1048576 (the default is \(BundleRules.defaultMaxBytes))")
        }
        return bytes
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
