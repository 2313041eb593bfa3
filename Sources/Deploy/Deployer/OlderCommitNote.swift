import GitShim
import KubeClient
import GitFiles

/// Says when a deploy goes back in history: `v1.1 is older than the deployed v1.2 (rolling back)`.
public enum OlderCommitNote {
    /// The note, when the live Deployment records a commit that `rendered`'s commit is an ancestor of.
    public static func make(_ rendered: Rendered, repository: Repository?, api: any KubernetesAPI) async throws -> String? {
        guard let repository,
              let live = try await api.get(.deployments, namespace: rendered.namespace, name: rendered.spec.name),
              let deployed = live[path: "metadata", "annotations", Manifests.commitAnnotation]?.stringValue.flatMap(Oid.init(hex:)),
              deployed != rendered.commit.oid,
              repository.isAncestor(rendered.commit.oid, of: deployed) else { return nil }
        return "\(label(rendered.commit.oid, repository)) is older than the deployed \(label(deployed, repository)) (rolling back)"
    }

    /// The commit's first tag, else its short SHA.
    static func label(_ oid: Oid, _ repository: Repository) -> String {
        (try? repository.tags(pointingAt: oid))?.first ?? oid.short
    }
}
