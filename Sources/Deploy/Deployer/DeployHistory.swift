import Foundation
import KubeClient

/// The deployed versions of a workflow, kept in the cluster in a small ConfigMap `<name>-history`
/// (labelled like the workflow's other objects), so any machine can list them and roll back. It
/// holds commits, images and names only: never code, never secret values.
public struct DeployHistory: Sendable {
    /// One deploy that rolled the pods (or tried to).
    public struct Entry: Codable, Sendable, Equatable {
        public enum Outcome: String, Codable, Sendable {
            /// The rollout completed.
            case complete
            /// The rollout failed or timed out; the pods of the version before kept serving.
            case failed
            /// Deployed without waiting (`--no-wait`, post-receive): judged from the Deployment when read.
            case started
        }

        /// Counts up from 1 for the workflow; `rollback --to-revision N` names one.
        public var revision: Int
        public var commit: String
        public var codeCommit: String
        public var image: String
        /// The ConfigMap the pods mount: `<name>-code` or `<name>-code-<12 hex>`.
        public var codeConfigMap: String
        /// RFC 3339, UTC.
        public var deployedAt: String
        public var deployedBy: String
        public var outcome: Outcome
    }

    /// Entries kept; older ones are dropped.
    public static let limit = 20
    public static let dataKey = "entries.json"
    public static let recordLabel = "pipedreamer.dev/record"

    public static func configMapName(_ name: String) -> String { "\(name)-history" }

    let api: any KubernetesAPI

    public init(api: any KubernetesAPI) { self.api = api }

    /// The entries, newest first; empty when nothing was recorded.
    public func read(namespace: String, workflow: String) async throws -> [Entry] {
        guard let record = try await api.get(.configMaps, namespace: namespace, name: Self.configMapName(workflow)),
              let text = record[path: "data", Self.dataKey]?.stringValue else { return [] }
        do {
            return try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
        } catch {
            throw DeployError("configmap/\(Self.configMapName(workflow)) in namespace \(namespace) does not hold a deploy history pipedreamer can read; delete it to start a new one")
        }
    }

    /// Records a deploy of `rendered` as the newest entry, keeping at most `limit`.
    public func record(_ rendered: Rendered, outcome: Entry.Outcome, by actor: String, at date: Date = Date()) async throws {
        try await record(Entry(revision: 0, commit: rendered.commit.oid.hex, codeCommit: rendered.codeCommit.oid.hex,
                               image: rendered.image.image, codeConfigMap: rendered.codeConfigMapName,
                               deployedAt: Self.timestamp(date), deployedBy: actor, outcome: outcome),
                         namespace: rendered.namespace, workflow: rendered.spec.name)
    }

    /// Records `entry` (its revision is assigned) as the newest, keeping at most `limit`.
    public func record(_ entry: Entry, namespace: String, workflow name: String) async throws {
        var entries = try await read(namespace: namespace, workflow: name)
        var entry = entry
        entry.revision = (entries.first?.revision ?? 0) + 1
        entries = Array(([entry] + entries).prefix(Self.limit))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(entries), as: UTF8.self)
        var labels = Manifests.labels(name)
        labels[Self.recordLabel] = "history"
        let body = ConfigMap(metadata: ObjectMeta(name: Self.configMapName(name), namespace: namespace, labels: labels),
                             data: [Self.dataKey: text])
        _ = try await api.apply(.configMaps, namespace: namespace, name: Self.configMapName(name),
                                object: try JSONValue(encoding: body), dryRun: false)
    }

    /// The revision that serves now: the newest complete one, or the newest started one when the
    /// Deployment has since rolled it out (`deployment` is the live Deployment).
    public static func live(_ entries: [Entry], deployment: JSONValue?) -> Int? {
        for entry in entries {
            switch entry.outcome {
            case .complete: return entry.revision
            case .failed: continue
            case .started:
                guard let deployment, case .complete = RolloutState.of(deployment),
                      RestartStamp.of(deployment) == entry.codeCommit
                else { continue }
                return entry.revision
            }
        }
        return nil
    }

    /// Whether the Deployment's pod template is `entry`'s version: its restart stamp is the entry's
    /// code commit and its container runs the entry's image (a failed deploy leaves another template).
    public static func templateMatches(_ entry: Entry, deployment: JSONValue?) -> Bool {
        let template = deployment?[path: "spec", "template"]
        return RestartStamp.of(template: template) == entry.codeCommit
            && template?[path: "spec", "containers"]?.arrayValue?.first?[path: "image"]?.stringValue == entry.image
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
