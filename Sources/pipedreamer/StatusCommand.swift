import ArgumentParser
import Deploy
import Foundation
import GitShim
import KubeClient
import GitFiles
import WorkflowBundle

struct StatusCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what is deployed for a workflow.",
        discussion: """
        Prints the deployed commit (and the local tags that point at it), the image, ready and \
        desired replicas, the rollout state, the CronJobs, and whether HEAD of the current \
        repository differs from what is deployed. The code commit (the last commit that changed \
        what the workflow ships, as of the deployed commit) is shown when it is not the deployed \
        commit, and the code ConfigMap the pods mount with its mode (shared or per-commit); HEAD \
        counts as deployed when nothing it ships changed since the deployed code. Without NAME, the workflow (and its \
        deployment.namespace) is read from HEAD's workflow.yaml.
        """
    )

    @OptionGroup var selection: WorkflowSelection
    @OptionGroup var cluster: ClusterOptions

    var name: String? { selection.name }
    var namespace: String? { selection.namespace }
    var repositoryOptions: RepositoryOptions { selection.repositoryOptions }

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text or json (an object; on failure {\"error\": MESSAGE}).", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func run() async throws {
        let connection = try cluster.connection()
        let repository = try? repositoryOptions.open()
        // With NAME the local workflow only adds its namespace; a repository of several workflows is fine then.
        let local = name == nil ? try repositoryOptions.localWorkflow(repository) : try? repositoryOptions.localWorkflow(repository)
        guard let workflowName = name ?? local?.check.spec?.name else {
            throw ValidationFailure("name a workflow (pipedreamer status NAME), or run inside a repository whose HEAD has a workflow.yaml")
        }
        let localSpec = local?.check.spec.flatMap { $0.name == workflowName ? $0 : nil }
        let ns = KubeNamespace.resolve(flag: namespace, workflow: localSpec?.namespace, connection: connection)
        let status = try await withClient(cluster, connection) { client in
            try await mapErrors { try await WorkflowStatus.fetch(api: client, namespace: ns, name: workflowName) }
        }
        guard let status else {
            throw ValidationFailure("workflow \(workflowName) is not deployed in namespace \(ns) (no deployment.apps/\(workflowName)); deploy it with `pipedreamer deploy`")
        }
        let head = try repository.flatMap { try headVersion($0, local: local, deployed: workflowName) }
        let tags = status.commit.flatMap { commit in
            Oid(hex: commit).flatMap { try? repository?.tags(pointingAt: $0) }
        } ?? []
        if let note = head?.code.shallowNote(directory: head?.directory ?? "") { printError(note) }
        if output == .json {
            StandardOutput.write(json: try json(status, tags: tags, head: head))
        } else {
            print(text(status, tags: tags, head: head))
        }
    }

    /// HEAD and the last commit that changed what the workflow ships, as of HEAD.
    struct HeadVersion {
        let commit: String
        let directory: String
        let code: CodeCommit

        /// Deployed when HEAD is the deployed commit, or when nothing in the directory changed since the deployed code.
        func isDeployed(_ status: WorkflowStatus) -> Bool {
            commit == status.commit || code.oid.hex == (status.codeCommit ?? status.restartedAt)
        }
    }

    func headVersion(_ repository: Repository, local: LocalWorkflow?, deployed name: String) throws -> HeadVersion? {
        guard let head = try? repository.resolveCommit("HEAD") else { return nil }
        guard let directory = try local.flatMap({ $0.check.spec?.name == name ? $0.directory : nil })
                ?? directory(of: name, at: head, in: repository) else {
            return HeadVersion(commit: head.oid.hex, directory: "", code: CodeCommit(oid: head.oid))
        }
        let code = try mapErrors { try CodeCommit.find(repository: repository, commit: head, directory: directory) }
        return HeadVersion(commit: head.oid.hex, directory: directory, code: code)
    }

    /// The directory at `commit` whose workflow.yaml names workflow `name`, if any.
    func directory(of name: String, at commit: Commit, in repository: Repository) throws -> String? {
        guard let snapshot = try? CommitSnapshot(repository: repository, commit: commit),
              let all = try? WorkflowLocator.discover(in: snapshot) else { return nil }
        return all.first { directory in
            (try? WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all))?.spec?.name == name
        }
    }

    func text(_ status: WorkflowStatus, tags: [String], head: HeadVersion?) -> String {
        var lines = ["workflow:  \(status.name) (namespace \(status.namespace))"]
        let commit = status.commit ?? "unknown (not deployed by pipedreamer)"
        lines.append("commit:    \(commit)\(tags.isEmpty ? "" : " (\(tags.joined(separator: ", ")))")")
        if let code = status.codeCommit, code != status.commit {
            lines.append("code:      \(code) (the last commit that changed what the workflow ships)")
        }
        if let stamp = status.restartedAt, stamp != (status.codeCommit ?? status.commit) {
            lines.append("restarted: \(stamp) (the pods were last restarted for another commit)")
        }
        if let configMap = status.codeConfigMap, let mode = status.codeConfigMapMode {
            lines.append("code map:  \(configMap) (\(mode.rawValue))")
        }
        lines.append("image:     \(status.image ?? "?")")
        lines.append("replicas:  \(status.readyReplicas)/\(status.desiredReplicas) ready")
        switch status.rollout {
        case .complete(let message), .waiting(let message): lines.append("rollout:   \(message)")
        case .failed(let message): lines.append("rollout:   FAILED: \(message)")
        }
        if status.cronJobs.isEmpty {
            lines.append("cronjobs:  none")
        } else {
            for (index, job) in status.cronJobs.enumerated() {
                let last = job.lastScheduleTime.map { "last scheduled \($0)" } ?? "not scheduled yet"
                lines.append("\(index == 0 ? "cronjobs:  " : "           ")\(job.name)  \(job.schedule)  \(job.suspended ? "suspended" : last)")
            }
        }
        if let head {
            let state = head.commit == status.commit ? "(deployed)"
                : head.isDeployed(status) ? "(deployed: nothing in \(WorkflowLocator.shown(head.directory)) changed since \(head.code.oid.short))"
                : "(differs from the deployed commit)"
            lines.append("HEAD:      \(head.commit) \(state)")
        }
        return lines.joined(separator: "\n")
    }

    func json(_ status: WorkflowStatus, tags: [String], head: HeadVersion?) throws -> String {
        let rollout: (String, String)
        switch status.rollout {
        case .complete(let message): rollout = ("complete", message)
        case .waiting(let message): rollout = ("waiting", message)
        case .failed(let message): rollout = ("failed", message)
        }
        let value = JSONValue.object([
            "workflow": .string(status.name),
            "namespace": .string(status.namespace),
            "commit": status.commit.map(JSONValue.string) ?? .null,
            "tags": .array(tags.map(JSONValue.string)),
            "restartedAt": status.restartedAt.map(JSONValue.string) ?? .null,
            "codeCommit": status.codeCommit.map(JSONValue.string) ?? .null,
            "codeConfigMap": status.codeConfigMap.map(JSONValue.string) ?? .null,
            "codeConfigMapMode": status.codeConfigMapMode.map { JSONValue.string($0.rawValue) } ?? .null,
            "image": status.image.map(JSONValue.string) ?? .null,
            "readyReplicas": .int(status.readyReplicas),
            "desiredReplicas": .int(status.desiredReplicas),
            "rollout": .object(["state": .string(rollout.0), "message": .string(rollout.1)]),
            "cronJobs": .array(status.cronJobs.map { job in
                .object(["name": .string(job.name), "schedule": .string(job.schedule), "suspended": .bool(job.suspended),
                         "lastScheduleTime": job.lastScheduleTime.map(JSONValue.string) ?? .null])
            }),
            "head": head.map { JSONValue.string($0.commit) } ?? .null,
            "headCodeCommit": head.map { JSONValue.string($0.code.oid.hex) } ?? .null,
            "headDiffers": head.map { JSONValue.bool(!$0.isDeployed(status)) } ?? .null,
        ])
        return try jsonText(value)
    }
}
