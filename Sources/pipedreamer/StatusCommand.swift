import ArgumentParser
import Deploy
import Foundation
import GitShim
import KubeClient

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what is deployed for a workflow.",
        discussion: """
        Prints the deployed commit (and the local tags that point at it), the image, ready and \
        desired replicas, the rollout state, the CronJobs, and whether HEAD of the current \
        repository differs from what is deployed. Without NAME, the workflow (and its \
        deployment.namespace) is read from HEAD's workflow.yaml.
        """
    )

    @Argument(help: ArgumentHelp("Workflow name (the Deployment's name). (default: the name in HEAD's workflow.yaml)", valueName: "name"))
    var name: String?

    @OptionGroup var repositoryOptions: RepositoryOptions
    @OptionGroup var cluster: ClusterOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace. (default: deployment.namespace in workflow.yaml, else the context's namespace, else \"default\")", valueName: "namespace"))
    var namespace: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output: text or json.", valueName: "format"))
    var output: DeployOutput = .text

    func run() async throws {
        let connection = try cluster.connection()
        let repository = try? repositoryOptions.open()
        // With NAME the local workflow only adds its namespace; a repository of several workflows is fine then.
        let local = name == nil ? try localWorkflow(repository) : try? localWorkflow(repository)
        guard let workflowName = name ?? local?.spec?.name else {
            throw ValidationFailure("name a workflow (pipedreamer status NAME), or run inside a repository whose HEAD has a workflow.yaml")
        }
        let localSpec = local?.spec.flatMap { $0.name == workflowName ? $0 : nil }
        let ns = KubeNamespace.resolve(flag: namespace, workflow: localSpec?.namespace, connection: connection)
        let status = try await withClient(cluster, connection) { client in
            try await mapErrors { try await WorkflowStatus.fetch(api: client, namespace: ns, name: workflowName) }
        }
        guard let status else {
            throw ValidationFailure("workflow \(workflowName) is not deployed in namespace \(ns) (no deployment.apps/\(workflowName)); deploy it with `pipedreamer deploy`")
        }
        let head = repository.flatMap { try? $0.resolveCommit("HEAD") }
        let tags = status.commit.flatMap { commit in
            Oid(hex: commit).flatMap { try? repository?.tags(pointingAt: $0) }
        } ?? []
        if output == .json {
            print(try json(status, tags: tags, head: head?.oid.hex))
        } else {
            print(text(status, tags: tags, head: head?.oid.hex))
        }
    }

    /// The spec of the chosen workflow at HEAD, when there is a repository with one.
    func localWorkflow(_ repository: Repository?) throws -> WorkflowCheck? {
        try repositoryOptions.localWorkflow(repository)
    }

    func text(_ status: WorkflowStatus, tags: [String], head: String?) -> String {
        var lines = ["workflow:  \(status.name) (namespace \(status.namespace))"]
        let commit = status.commit ?? "unknown (not deployed by pipedreamer)"
        lines.append("commit:    \(commit)\(tags.isEmpty ? "" : " (\(tags.joined(separator: ", ")))")")
        if let stamp = status.restartedAt, stamp != status.commit {
            lines.append("restarted: \(stamp) (the pods were last restarted for another commit)")
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
            lines.append("HEAD:      \(head) " + (head == status.commit ? "(deployed)" : "(differs from the deployed commit)"))
        }
        return lines.joined(separator: "\n")
    }

    func json(_ status: WorkflowStatus, tags: [String], head: String?) throws -> String {
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
            "image": status.image.map(JSONValue.string) ?? .null,
            "readyReplicas": .int(status.readyReplicas),
            "desiredReplicas": .int(status.desiredReplicas),
            "rollout": .object(["state": .string(rollout.0), "message": .string(rollout.1)]),
            "cronJobs": .array(status.cronJobs.map { job in
                .object(["name": .string(job.name), "schedule": .string(job.schedule), "suspended": .bool(job.suspended),
                         "lastScheduleTime": job.lastScheduleTime.map(JSONValue.string) ?? .null])
            }),
            "head": head.map(JSONValue.string) ?? .null,
            "headDiffers": head.map { JSONValue.bool($0 != status.commit) } ?? .null,
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
