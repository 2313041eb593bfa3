import Deploy
import GitFiles

/// What the receiving repository's own config lets a pushed commit choose. A pusher writes
/// `deployment.namespace` and `.pipedreamer/base-image.txt`; `pipedreamer.allowedNamespaces` and
/// `pipedreamer.allowedImages`, read from the bare repository's config and never from a commit,
/// bound them. Patterns match as `pipedreamer.deployRefs` does (git's wildmatch without the
/// pathname rule: `*` is any run of characters, '/' and ':' included, `?` one, `[...]` a class).
public enum ReceivePolicy {
    /// Why post-receive refuses to deploy `rendered`, naming the value, where it came from and the
    /// key to change; nil when both keys are unset or allow what the commit resolved to.
    public static func refusal(_ rendered: Rendered, config: RepositorySettings) -> String? {
        let name = rendered.spec.name
        if let allowed = config.allowedNamespaces, !matches(rendered.namespace, allowed) {
            let source = rendered.spec.namespace == rendered.namespace ? "deployment.namespace in workflow.yaml" : "the server's kubeconfig context or the default"
            return "workflow \(name) not deployed: namespace \"\(rendered.namespace)\" (from \(source)) is not allowed by "
                + "\(RepositorySettings.allowedNamespacesKey) (\(shown(allowed))); to allow it, run "
                + "`git config --add \(RepositorySettings.allowedNamespacesKey) \(rendered.namespace)` in the server's repository"
        }
        if let allowed = config.allowedImages, !matches(rendered.image.image, allowed) {
            let source: String
            switch rendered.image.source {
            case .commitFile(let path): source = path
            case .fallback: source = "the default image"
            case .flag: source = "--image"
            case .history(let revision): source = "revision \(revision) of the history"
            }
            return "workflow \(name) not deployed: image \"\(rendered.image.image)\" (from \(source)) is not allowed by "
                + "\(RepositorySettings.allowedImagesKey) (\(shown(allowed))); to allow it, run "
                + "`git config --add \(RepositorySettings.allowedImagesKey) '\(rendered.image.image)'` in the server's repository"
        }
        return nil
    }

    static func matches(_ value: String, _ patterns: [String]) -> Bool {
        patterns.contains { referenceName(value, matches: $0) }
    }

    static func shown(_ patterns: [String]) -> String {
        patterns.isEmpty ? "set, but empty" : patterns.joined(separator: " ")
    }
}
