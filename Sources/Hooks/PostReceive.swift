import Foundation
import Deploy
import GitShim
import KubeClient
import GitFiles
import WorkflowBundle

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

/// Deploys one workflow of a commit that a push brought to a deploy ref, returning the line to
/// tell the pusher.
public protocol CommitDeployer: Sendable {
    /// The commit's workflow directories.
    func workflows(of commit: Commit, repository: Repository) throws -> [String]
    /// Deploys the workflow at `directory`; `at` names the refs and commit for the line.
    func deploy(_ commit: Commit, directory: String, at: String, repository: Repository, config: RepositorySettings) async -> String
}

extension CommitDeployer {
    public func workflows(of commit: Commit, repository: Repository) throws -> [String] {
        try WorkflowLocator.discover(in: try CommitSnapshot(repository: repository, commit: commit))
    }
}

/// Deploys every workflow of the pushed commit to the cluster the server's kubeconfig names
/// (`$KUBECONFIG`, `~/.kube/config` or the in-cluster service account), one line per workflow.
/// It does not wait for the rollout, so the pusher is not held; `pipedreamer status` follows it.
public struct ClusterDeployer: CommitDeployer {
    let version: String

    public init(version: String) { self.version = version }

    public func deploy(_ commit: Commit, directory: String, at: String, repository: Repository, config: RepositorySettings) async -> String {
        let shown = WorkflowLocator.shown(directory)
        // The commit's own problems come first; a missing kubeconfig is reported after them.
        let found = Result { try KubeConfigLoader.load(KubeConfigOptions()) }
        var options = RenderOptions()
        options.revision = commit.oid.hex
        options.workflow = directory
        options.limit = config.maxCodeBytes
        if let mode = config.codeConfigMap {
            options.codeConfigMap = mode
            options.codeConfigMapSource = "git config \(CodeConfigMapMode.configKey)"
        }
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
                what += "; nothing restarted (\(WorkflowLocator.shown(rendered.directory)) ships what it shipped at \(rendered.codeCommit.oid.short))"
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

/// The post-receive hook: deploys the new commits of pushed refs that match `pipedreamer.deployRefs`,
/// each workflow once, at the newest commit the push brings for it (`ReceivePlan`), oldest first.
/// It reports and never fails: the push has already happened.
public enum PostReceive {
    public static func run(repository: Repository, updates: [ReceivedUpdate], config: RepositorySettings,
                           deployer: CommitDeployer) async -> PostReceiveReport {
        guard !config.deployRefs.isEmpty else {
            return PostReceiveReport(lines: ["nothing deployed: no refs are configured for deploy (set them with `git config \(RepositorySettings.deployRefsKey) 'refs/tags/v* refs/heads/main'` in this repository)"])
        }
        var lines = [String]()
        var candidates = [(ref: String, commit: Commit)]()
        let matching = updates.filter { update in config.deployRefs.contains(where: { referenceName(update.ref, matches: $0) }) }
        for update in matching {
            guard let new = update.newOid else {
                lines.append("\(update.ref) deleted; nothing to deploy")
                continue
            }
            do {
                candidates.append((update.ref, try repository.resolveCommit(new.hex)))
            } catch {
                lines.append("\(update.ref) at \(new.short): not a commit; nothing to deploy")
            }
        }
        if matching.isEmpty {
            lines.append("nothing deployed: no pushed ref matches \(RepositorySettings.deployRefsKey) (\(config.deployRefs.joined(separator: " ")))")
        }
        let plan = ReceivePlan(candidates, workflows: { commit in Result { try deployer.workflows(of: commit, repository: repository) } },
                               isAncestor: { repository.isAncestor($0, of: $1) })
        for (pushed, steps) in zip(plan.commits, plan.steps) {
            switch pushed.workflows {
            case .failure(let error):
                lines.append("\(pushed.at): cannot read the commit: \(ClusterDeployer.problem(in: error))")
                continue
            case .success(let directories) where directories.isEmpty:
                lines.append("\(pushed.at): no workflow.yaml in this commit; nothing to deploy")
                continue
            case .success:
                break
            }
            for step in steps {
                switch step {
                case .deploy(let directory):
                    lines.append(await deployer.deploy(pushed.commit, directory: directory, at: pushed.at, repository: repository, config: config))
                case .supersededBy(let newer, let directory):
                    lines.append("\(pushed.at): workflow \(WorkflowLocator.shown(directory)) skipped: \(newer.at) is newer in this push and deploys it")
                case .removedBy(let newer, let directory):
                    lines.append("\(pushed.at): workflow \(WorkflowLocator.shown(directory)) skipped: \(newer.at), newer in this push, no longer has it")
                }
            }
        }
        return PostReceiveReport(lines: lines)
    }
}
