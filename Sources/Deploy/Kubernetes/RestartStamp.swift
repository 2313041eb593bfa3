import KubeClient

/// The restart stamp: `kubectl.kubernetes.io/restartedAt` in a workload's pod template, holding
/// the code commit (the annotation `kubectl rollout restart` writes, so a stamp change rolls the
/// pods as a restart does). The only place that knows the annotation and where it sits.
public enum RestartStamp {
    public static let annotation = "kubectl.kubernetes.io/restartedAt"
    /// Where it sits in a Deployment (any object with `spec.template`).
    public static let path = ["spec", "template", "metadata", "annotations", annotation]
    /// Where it sits in a pod template.
    public static let templatePath = ["metadata", "annotations", annotation]

    /// The stamp of a Deployment or ReplicaSet; nil when it has none.
    public static func of(_ workload: JSONValue?) -> String? { workload?[path]?.stringValue }

    /// The stamp of a pod template.
    public static func of(template: JSONValue?) -> String? { template?[templatePath]?.stringValue }
}
