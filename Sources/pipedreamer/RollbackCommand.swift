import ArgumentParser
import Deploy
import Foundation
import GitShim
import KubeClient
import GitFiles
import WorkflowBundle

struct RollbackCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Deploy the previous (or a named) version of a workflow again.",
        discussion: """
        Without --to or --to-revision, the target is the live version of `pipedreamer history` (the \
        last that completed) when a failed, timed-out or unfinished deploy left the Deployment on \
        another pod template; otherwise the newest version before the live one that rolled out and \
        differs from it (code commit or image). The version \
        is re-rendered from the repository at its deployed commit, with its recorded image and code \
        ConfigMap mode, and deployed exactly as `pipedreamer deploy` would: the same checks, output, \
        rollout wait and exit status. Without a repository that has the commit, a per-commit \
        version whose ConfigMap and ReplicaSet are still in the cluster is restored from them (the \
        Deployment's pod template is set back to the ReplicaSet's; Service and CronJobs stay as \
        they are); otherwise it fails naming the commit and where to run it.
        """
    )

    @OptionGroup var selection: WorkflowSelection
    @OptionGroup var cluster: ClusterOptions

    @Option(help: ArgumentHelp("Deploy this commit (a tag, branch or SHA), re-rendered from the repository with the current flags and settings. (default: the previous version)", valueName: "rev"))
    var to: String?

    @Option(name: .customLong("to-revision"), help: ArgumentHelp("Deploy this revision of `pipedreamer history` again. (default: the previous version)", valueName: "n"))
    var toRevision: Int?

    @Flag(name: .customLong("no-wait"), help: "Do not wait for the rollout to finish. (default: wait)")
    var noWait = false

    @Option(help: ArgumentHelp("How long to wait for the rollout, e.g. 90s, 5m; 0 waits without limit.", valueName: "duration"))
    var timeout: String = "5m"

    @Option(help: ArgumentHelp("Per-commit code versions to keep, as deploy's --keep (the Deployment's revisionHistoryLimit in per-commit mode).", valueName: "n"))
    var keep: Int = RenderOptions.defaultCodeVersionsKept

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output format: text (progress lines) or json (deploy's summary object; progress goes to standard error).", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    /// Progress lines: on standard error when standard output carries the JSON summary.
    func say(_ line: String) {
        if output == .json { printError(line) } else { print(line) }
    }

    func validate() throws {
        if to != nil, toRevision != nil { throw ValidationError("give --to or --to-revision, not both") }
        do {
            _ = try KubeRequestTimeout.parse(timeout)
        } catch {
            throw ValidationError("--timeout: '\(timeout)' is not a duration; write it like 90s, 5m, 1h or 0 to wait without limit")
        }
    }

    func run() async throws {
        let connection = try cluster.connection()
        let workflow = try selection.find(connection: connection, command: "rollback")
        if let to {
            try await deploy(revision: to, image: nil, mode: nil, workflow: workflow)
            return
        }
        let (entries, deployment) = try await withClient(cluster, connection) { client in
            try await mapErrors {
                (try await DeployHistory(api: client).read(namespace: workflow.namespace, workflow: workflow.name),
                 try await client.get(.deployments, namespace: workflow.namespace, name: workflow.name))
            }
        }
        let target = try choose(entries, live: DeployHistory.live(entries, deployment: deployment), deployment: deployment, workflow: workflow)
        if !hasCommit(target, workflow), try await rollBackInCluster(target, workflow: workflow, connection: connection) { return }
        guard let oid = Oid(hex: target.commit), workflow.repository?.contains(oid) == true else {
            throw ValidationFailure("rolling back \(workflow.name) to revision \(target.revision) re-renders commit \(target.commit), which is not in \(workflow.repository == nil ? "a repository here" : "this repository"): run `pipedreamer rollback \(workflow.name) --to-revision \(target.revision) -n \(workflow.namespace)` inside a clone of the workflow's repository that has it (`git fetch` it first)")
        }
        let mode: CodeConfigMapMode = target.codeConfigMap == Manifests.codeConfigMapName(workflow.name) ? .shared : .perCommit
        say("rolling back \(workflow.name) to revision \(target.revision) (commit \(target.commit), image \(target.image))")
        try await deploy(revision: target.commit, image: (target.image, target.revision), mode: mode, workflow: workflow)
    }

    func hasCommit(_ entry: DeployHistory.Entry, _ workflow: NamedWorkflow) -> Bool {
        Oid(hex: entry.commit).map { workflow.repository?.contains($0) == true } ?? false
    }

    /// Without the commit locally: sets the Deployment back to the version's ReplicaSet template
    /// when its per-commit ConfigMap and ReplicaSet are still there; false when they are not.
    func rollBackInCluster(_ target: DeployHistory.Entry, workflow: NamedWorkflow, connection: ClusterConnection) async throws -> Bool {
        var settings = DeploySettings()
        settings.wait = !noWait
        settings.timeout = try KubeRequestTimeout.parse(timeout)
        return try await withClient(cluster, connection) { client in
            try await mapErrors {
                let json = output == .json
                let rollback = ClusterRollback(api: client, say: { line in if json { printError(line) } else { print(line) } })
                guard let template = try await rollback.template(of: target, namespace: workflow.namespace, workflow: workflow.name) else { return false }
                say("rolling back \(workflow.name) to revision \(target.revision) (commit \(target.commit), image \(target.image)) from the cluster's record")
                let rollout = try await rollback.run(target, template: template, namespace: workflow.namespace, workflow: workflow.name, settings: settings)
                var entry = target
                entry.deployedAt = DeployHistory.timestamp(Date())
                entry.deployedBy = DeployActor.current
                entry.outcome = rollout == nil ? .started : .complete
                try await DeployHistory(api: client).record(entry, namespace: workflow.namespace, workflow: workflow.name)
                say("rolled back \(workflow.name) to \(target.commit) in namespace \(workflow.namespace)")
                if json { try StandardOutput.write(Self.summary(target, workflow: workflow.name, namespace: workflow.namespace, rollout: rollout)) }
                return true
            }
        }
    }

    /// `--to-revision N`; else, when a failed or unfinished deploy left the Deployment on another
    /// template, the live version (the last that completed); else the newest rolled-out version
    /// before the live one that differs from it.
    func choose(_ entries: [DeployHistory.Entry], live: Int?, deployment: JSONValue?, workflow: NamedWorkflow) throws -> DeployHistory.Entry {
        if let toRevision {
            guard let entry = entries.first(where: { $0.revision == toRevision }) else {
                throw ValidationFailure("workflow \(workflow.name) has no revision \(toRevision) in its history (see `pipedreamer history \(workflow.name) -n \(workflow.namespace)`)")
            }
            return entry
        }
        guard let current = entries.first(where: { $0.revision == live }) else {
            throw ValidationFailure("workflow \(workflow.name) has no version that rolled out to roll back to in namespace \(workflow.namespace) (see `pipedreamer history \(workflow.name) -n \(workflow.namespace)`)")
        }
        if !DeployHistory.templateMatches(current, deployment: deployment) { return current }
        let older = entries.drop { $0.revision != live }.dropFirst()
        guard let entry = older.first(where: {
            $0.outcome == .complete && ($0.codeCommit != current.codeCommit || $0.image != current.image)
        }) else {
            throw ValidationFailure("workflow \(workflow.name) has no earlier version to roll back to in namespace \(workflow.namespace) (see `pipedreamer history \(workflow.name) -n \(workflow.namespace)`)")
        }
        return entry
    }

    /// What a rollback from the cluster's record did, in the shape of deploy's `-o json` summary.
    static func summary(_ target: DeployHistory.Entry, workflow: String, namespace: String, rollout: RolloutState?) -> JSONValue {
        let state: JSONValue = switch rollout {
        case .complete(let message)?: .object(["state": .string("complete"), "message": .string(message)])
        case .waiting(let message)?: .object(["state": .string("waiting"), "message": .string(message)])
        case .failed(let message)?: .object(["state": .string("failed"), "message": .string(message)])
        case nil: .null
        }
        return .object([
            "workflow": .string(workflow), "namespace": .string(namespace),
            "commit": .string(target.commit), "codeCommit": .string(target.codeCommit), "tags": .array([]),
            "image": .string(target.image), "imageSource": ResolvedImage.Source.history(revision: target.revision).json,
            "dryRun": .bool(false), "restarted": .bool(true),
            "objects": .array([.object(["object": .string("deployment.apps/\(workflow)"), "result": .string("configured")])]),
            "rollout": state,
        ])
    }

    /// Runs `pipedreamer deploy` for the chosen commit, so everything deploy does and says holds;
    /// `image` is a history revision's recorded image, named as its source.
    func deploy(revision: String, image: (name: String, revision: Int)?, mode: CodeConfigMapMode?, workflow: NamedWorkflow) async throws {
        var arguments = [revision, "-n", workflow.namespace, "--timeout", timeout, "-o", output.rawValue]
        if let image { arguments += ["--image", image.name] }
        if let mode { arguments += ["--code-configmap", mode.rawValue] }
        if noWait { arguments.append("--no-wait") }
        arguments += ["--keep", String(keep)]
        if let repository = selection.repositoryOptions.repository { arguments += ["-C", repository] }
        if let directory = try workflowDirectory(at: revision, workflow: workflow) { arguments += ["-w", directory] }
        if let kubeconfig = cluster.kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
        if let context = cluster.context { arguments += ["--context", context] }
        if let requestTimeout = cluster.requestTimeout { arguments += ["--request-timeout", requestTimeout] }
        let command = try DeployCommand.parse(arguments)
        try await command.run(imageHistoryRevision: image?.revision)
    }

    /// The workflow's directory at `revision`, as `-w` takes it (absolute inside a working tree).
    func workflowDirectory(at revision: String, workflow: NamedWorkflow) throws -> String? {
        guard let repository = workflow.repository, let commit = try? repository.resolveCommit(revision),
              let snapshot = try? CommitSnapshot(repository: repository, commit: commit),
              let all = try? WorkflowLocator.discover(in: snapshot) else { return nil }
        guard let directory = all.first(where: {
            (try? WorkflowCheck.run(snapshot: snapshot, directory: $0, all: all))?.spec?.name == workflow.name
        }) else { return nil }
        guard let top = repository.workingDirectory else { return directory }
        return directory.isEmpty ? top : "\(top)/\(directory)"
    }
}
