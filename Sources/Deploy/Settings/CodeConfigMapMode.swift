/// Where a workflow's code lives in the cluster.
public enum CodeConfigMapMode: String, Sendable, CaseIterable {
    /// One mutable ConfigMap `<name>-code`, rewritten in place (the kubelet updates running pods' files).
    case shared
    /// One immutable ConfigMap per code commit, `<name>-code-<first 12 hex of the code commit>`: a pod
    /// only ever sees one commit's code, and an old version stays in the cluster for rollback.
    case perCommit = "per-commit"

    public static let configKey = "pipedreamer.codeConfigMap"

    /// Parses a flag or git config value; the error names where it came from.
    public static func parse(_ text: String, source: String) throws -> CodeConfigMapMode {
        guard let mode = CodeConfigMapMode(rawValue: text.trimmingSpaces) else {
            throw DeployError("\(source) is '\(text)': use shared or per-commit (the default is shared)")
        }
        return mode
    }
}
