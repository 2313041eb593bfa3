import Foundation
import KubeClient

/// The difference between the live objects of a workflow and what deploying a commit would apply.
public struct WorkflowDiff: Sendable {
    public struct Entry: Sendable {
        /// `configmap/hello-code`
        public let reference: String
        /// Normalised YAML of the live object; nil when it does not exist.
        public let live: String?
        /// Normalised YAML of the object after a server-side dry-run apply; nil when deploy would prune it.
        public let desired: String?
        public var changed: Bool { live != desired }
    }

    let api: any KubernetesAPI

    public init(api: any KubernetesAPI) { self.api = api }

    /// Server-populated fields that say nothing about what was applied.
    static let ignoredPaths: [[String]] = [
        ["metadata", "managedFields"], ["metadata", "resourceVersion"], ["metadata", "uid"],
        ["metadata", "creationTimestamp"], ["metadata", "generation"], ["metadata", "selfLink"],
        ["metadata", "annotations", "deployment.kubernetes.io/revision"], ["status"],
        // The deployed commit is a record, not what runs: a commit that changes nothing in the
        // workflow's directory differs from the live one only here, and deploying it restarts nothing.
        ["metadata", "annotations", Manifests.commitAnnotation],
    ]

    /// Compares each rendered object (Secrets are never compared: their values stay unread) with
    /// the result of applying it with `dryRun=All`, which includes the server's defaults.
    public func run(_ rendered: Rendered) async throws -> [Entry] {
        var entries = [Entry]()
        for object in rendered.objects {
            let type = Deployer.resourceType(of: object)
            let name = object.metadata.name ?? ""
            let live = try await api.get(type, namespace: rendered.namespace, name: name)
            var body = try JSONValue(encoding: object)
            // As a deploy without a working-copy Secret: the live Secret's digest stays in the template.
            if type == .deployments { body = SecretDigest.stamped(body, digest: nil, live: live, removingSecret: false) }
            let desired = try await api.apply(type, namespace: rendered.namespace, name: name, object: body, dryRun: true)
            entries.append(Entry(reference: Deployer.reference(type, name),
                                 live: try live.map { try Self.normalised($0) },
                                 desired: try Self.normalised(desired)))
        }
        // CronJobs of this workflow that the spec no longer has: deploy prunes them.
        let wanted = rendered.cronJobNames
        let selector = Manifests.selector(rendered.spec.name)
        let cronJobs = try await api.list(.cronJobs, namespace: rendered.namespace, labelSelector: selector)
        for cronJob in cronJobs {
            guard let name = cronJob[path: "metadata", "name"]?.stringValue, !wanted.contains(name) else { continue }
            entries.append(Entry(reference: Deployer.reference(.cronJobs, name), live: try Self.normalised(cronJob), desired: nil))
        }
        return entries
    }

    static func normalised(_ object: JSONValue) throws -> String {
        let cleaned = ignoredPaths.reduce(object) { $0.removing($1) }
        return try ManifestWriter.yaml(values: [cleaned])
    }

    /// A unified diff of one entry, as `diff -u` prints it (labels `live/…` and `desired/…`).
    public static func unified(_ entry: Entry) -> String {
        UnifiedDiff.make(old: entry.live ?? "", new: entry.desired ?? "",
                         oldLabel: "live/\(entry.reference)", newLabel: "desired/\(entry.reference)")
    }
}
