import Foundation
import Deploy
import GitShim
import KubeClient

/// One line git gives the post-receive hook: `<old sha> <new sha> <ref>`.
public struct ReceivedUpdate: Sendable, Equatable {
    /// Nil when the ref was created by the push.
    public let oldOid: Oid?
    /// Nil when the push deleted the ref.
    public let newOid: Oid?
    public let ref: String

    public init(oldOid: Oid?, newOid: Oid?, ref: String) {
        self.oldOid = oldOid
        self.newOid = newOid
        self.ref = ref
    }

    /// Parses the hook's standard input; lines that are not three fields are skipped, since a
    /// post-receive hook must never fail a push that already happened.
    public static func parse(_ input: String) -> [ReceivedUpdate] {
        input.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let old = Oid(hex: String(fields[0])), let new = Oid(hex: String(fields[1])) else { return nil }
            return ReceivedUpdate(oldOid: old.isZero ? nil : old, newOid: new.isZero ? nil : new, ref: String(fields[2]))
        }
    }
}

/// Deploys one commit that a push brought to a deploy ref, returning what to tell the pusher.
public protocol CommitDeployer: Sendable {
    func deploy(_ commit: Commit, ref: String, repository: Repository, config: RepositorySettings) async -> [String]
}

/// Deploys every workflow of the pushed commit to the cluster the server's kubeconfig names
/// (`$KUBECONFIG`, `~/.kube/config` or the in-cluster service account), one line per workflow.
/// It does not wait for the rollout, so the pusher is not held; `pipedreamer status` follows it.
public struct ClusterDeployer: CommitDeployer {
    let version: String

    public init(version: String) { self.version = version }

    public func deploy(_ commit: Commit, ref: String, repository: Repository, config: RepositorySettings) async -> [String] {
        let at = "\(ref) at \(commit.oid.short)"
        let workflows: [String]
        do {
            workflows = try WorkflowLocator.discover(in: try CommitSnapshot(repository: repository, commit: commit))
        } catch {
            return ["\(at): cannot read the commit: \(Self.problem(in: error))"]
        }
        if workflows.isEmpty { return ["\(at): no workflow.yaml in this commit; nothing to deploy"] }
        var lines = [String]()
        for directory in workflows {
            lines.append(await deploy(commit, directory: directory, at: at, repository: repository, config: config))
        }
        return lines
    }

    func deploy(_ commit: Commit, directory: String, at: String, repository: Repository, config: RepositorySettings) async -> String {
        let shown = WorkflowLocator.display(directory)
        // The commit's own problems come first; a missing kubeconfig is reported after them.
        let found = Result { try KubeConfigLoader.load(KubeConfigOptions()) }
        var options = RenderOptions()
        options.revision = commit.oid.hex
        options.workflow = directory
        options.limit = config.maxCodeBytes
        options.codeConfigMap = config.codeConfigMap
        options.strict = config.strict
        options.contextNamespace = try? found.get().namespace
        let prepared: WorkflowDeploy.Prepared
        do {
            // A bare repository has no working copy, so no secrets are read.
            prepared = try WorkflowDeploy.prepare(repository: repository, options: options, readSecrets: false)
        } catch {
            return "\(at): workflow \(shown) cannot ship: \(Self.problem(in: error)); run `pipedreamer check \(commit.oid.short)` for details"
        }
        let rendered = prepared.rendered
        // The server's config bounds what a pushed commit may choose, before any request is sent.
        if let refusal = ReceivePolicy.refusal(rendered, config: config) { return "\(at): \(refusal)" }
        let client: KubernetesClient
        do {
            client = try KubernetesClient(connection: try found.get(), options: KubeClientOptions(version: version, warningHandler: { _ in }))
        } catch {
            return "\(at): workflow \(shown) not deployed: \(Self.problem(in: error))"
        }
        var settings = DeploySettings()
        settings.wait = false
        settings.readsSecrets = false
        settings.actor = "post-receive@" + ProcessInfo.processInfo.hostName
        do {
            let settings = settings
            let deploy: @Sendable () async throws -> DeployResult = {
                try await WorkflowDeploy.run(prepared, api: client, settings: settings, say: { _ in }, warn: { _ in })
            }
            guard let result = try await Self.within(config.receiveTimeout, deploy) else {
                try? await client.shutdown()
                let limit = config.receiveTimeout.map(Self.shown) ?? ""
                return "\(at): deploy of \(rendered.spec.name) abandoned after \(limit) (git config \(RepositorySettings.receiveTimeoutKey)); "
                    + "the push itself succeeded, run `pipedreamer deploy \(commit.oid.short)` to retry"
            }
            try? await client.shutdown()
            let changed = result.changedObjects.map(\.description)
            var what = changed.isEmpty ? (result.restarted ? "restarted" : "already deployed, nothing changed") : changed.joined(separator: ", ")
            if !result.startedRollout, rendered.codeCommit.oid != rendered.commit.oid, !changed.isEmpty {
                what += "; nothing restarted (\(WorkflowLocator.display(rendered.directory)) is unchanged since \(rendered.codeCommit.oid.short))"
            }
            let shallow = rendered.codeCommit.shallowNote(directory: rendered.directory).map { "; \($0)" } ?? ""
            return "\(at): deployed \(rendered.spec.name) to namespace \(rendered.namespace): \(what)"
                + shallow + (result.startedRollout ? "; rollout started (follow it with `pipedreamer status \(rendered.spec.name) -n \(rendered.namespace)`)" : "")
        } catch {
            try? await client.shutdown()
            return "\(at): deploy of \(rendered.spec.name) failed: \(Self.problem(in: error)); the push itself succeeded, run `pipedreamer deploy \(commit.oid.short)` to retry"
        }
    }

    /// The body's result, or nil once `limit` has passed: the body is then cancelled and awaited, so
    /// a deploy lease it holds is released (`HeldLease.release` runs to its end) before the next workflow.
    static func within<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        guard let limit else { return try await body() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// `300s`, `250ms`: a limit as the config writes it.
    static func shown(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)s" : "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }

    /// One line for the pusher: a rejected workflow's first violation, else the error's first line.
    static func problem(in error: Error) -> String {
        if let rejected = error as? WorkflowRejected { return rejected.firstProblem }
        return String("\(error)".split(separator: "\n").first ?? "")
    }
}

public struct PostReceiveReport: Sendable {
    /// Lines for the pusher (git shows them as `remote: ...`).
    public let lines: [String]
    public var text: String { lines.map { "pipedreamer: " + $0 }.joined(separator: "\n") }
}

/// The post-receive hook: deploys the new commits of pushed refs that match `pipedreamer.deployRefs`.
/// It reports and never fails: the push has already happened.
public enum PostReceive {
    public static func run(repository: Repository, updates: [ReceivedUpdate], config: RepositorySettings,
                           deployer: CommitDeployer) async -> PostReceiveReport {
        guard !config.deployRefs.isEmpty else {
            return PostReceiveReport(lines: ["nothing deployed: no refs are configured for deploy (set them with `git config \(RepositorySettings.deployRefsKey) 'refs/tags/v* refs/heads/main'` in this repository)"])
        }
        var lines = [String]()
        var matched = false
        for update in updates where config.deployRefs.contains(where: { referenceName(update.ref, matches: $0) }) {
            matched = true
            guard let new = update.newOid else {
                lines.append("\(update.ref) deleted; nothing to deploy")
                continue
            }
            do {
                let commit = try repository.resolveCommit(new.hex)
                lines += await deployer.deploy(commit, ref: update.ref, repository: repository, config: config)
            } catch {
                lines.append("\(update.ref) at \(new.short): not a commit; nothing to deploy")
            }
        }
        if !matched {
            lines.append("nothing deployed: no pushed ref matches \(RepositorySettings.deployRefsKey) (\(config.deployRefs.joined(separator: " ")))")
        }
        return PostReceiveReport(lines: lines)
    }
}
