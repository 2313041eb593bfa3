import KubeClient
/// Which namespace deploy, status and delete work in.
public enum KubeNamespace {
    public static let fallback = "default"

    /// `-n`, else `deployment.namespace` in workflow.yaml, else the kubeconfig context's
    /// (or service account's) namespace, else `default`. Empty strings count as unset.
    public static func resolve(flag: String?, workflow: String?, connection: ClusterConnection?) -> String {
        resolve(flag: flag, workflow: workflow, contextNamespace: connection?.namespace)
    }

    public static func resolve(flag: String?, workflow: String?, contextNamespace: String?) -> String {
        for candidate in [flag, workflow, contextNamespace] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return fallback
    }
}
