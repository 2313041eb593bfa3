import Deploy
import GitShim

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
    func deploy(_ commit: Commit, ref: String, repository: Repository, config: HookConfig) -> [String]
}

/// Stands in for `pipedreamer deploy` until it exists: renders every workflow of the commit with
/// the rules deploy uses and says what would be deployed.
public struct RenderPreview: CommitDeployer {
    public init() {}

    public func deploy(_ commit: Commit, ref: String, repository: Repository, config: HookConfig) -> [String] {
        let at = "\(ref) at \(commit.oid.short)"
        do {
            let snapshot = try CommitSnapshot(repository: repository, commit: commit)
            let workflows = try WorkflowLocator.discover(in: snapshot)
            if workflows.isEmpty { return ["\(at): no workflow.yaml in this commit; nothing to deploy"] }
            return workflows.map { directory in
                var options = RenderOptions()
                options.revision = commit.oid.hex
                options.workflow = directory
                options.limit = config.maxCodeBytes
                do {
                    let rendered = try Renderer.render(repository: repository, options: options)
                    let objects = rendered.objects.map { "\($0.kind)/\($0.metadata.name ?? "")" }.joined(separator: ", ")
                    return "\(at): would deploy workflow \(rendered.spec.name) (\(WorkflowLocator.display(directory))) to namespace \(rendered.namespace): \(objects) [render only: deploy is not available yet]"
                } catch {
                    return "\(at): workflow \(WorkflowLocator.display(directory)) cannot ship: \(Self.firstLine(of: error)); run `pipedreamer check \(commit.oid.short)` for details"
                }
            }
        } catch {
            return ["\(at): cannot read the commit: \(Self.firstLine(of: error))"]
        }
    }

    static func firstLine(of error: Error) -> String {
        let text = "\(error)"
        let lines = text.split(separator: "\n")
        let problem = lines.dropFirst().first { $0.hasPrefix("  ✗ ") }.map { String($0.dropFirst(4)) }
        return problem ?? String(lines.first ?? "")
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
    public static func run(repository: Repository, updates: [ReceivedUpdate], config: HookConfig,
                           deployer: CommitDeployer = RenderPreview()) -> PostReceiveReport {
        guard !config.deployRefs.isEmpty else {
            return PostReceiveReport(lines: ["nothing deployed: no refs are configured for deploy (set them with `git config \(HookConfig.deployRefsKey) 'refs/tags/v* refs/heads/main'` in this repository)"])
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
                lines += deployer.deploy(try repository.resolveCommit(new.hex), ref: update.ref, repository: repository, config: config)
            } catch {
                lines.append("\(update.ref) at \(new.short): not a commit; nothing to deploy")
            }
        }
        if !matched {
            lines.append("nothing deployed: no pushed ref matches \(HookConfig.deployRefsKey) (\(config.deployRefs.joined(separator: " ")))")
        }
        return PostReceiveReport(lines: lines)
    }
}
