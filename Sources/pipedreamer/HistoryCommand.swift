import ArgumentParser
import Deploy
import Foundation
import GitShim
import KubeClient
import GitFiles

struct HistoryCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the deployed versions of a workflow, newest first.",
        discussion: """
        Each deploy that rolled the pods is recorded in the cluster, in the ConfigMap <name>-history \
        (at most 20 versions; commits, images and names only, never code or secret values), so the \
        list is the same from any machine. Columns: the revision (for rollback --to-revision), the \
        deployed commit, the code commit (the last commit that changed what the workflow ships), \
        the local tags and branches that point at the deployed commit (when run in a repository), \
        the image, when and by whom, and the state: live (serving now), rolled out, failed, or \
        started (deployed without waiting).
        """
    )

    @OptionGroup var selection: WorkflowSelection
    @OptionGroup var cluster: ClusterOptions

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (a table) or json (an array of versions; on failure {\"error\": MESSAGE}).", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func run() async throws {
        let connection = try cluster.connection()
        let workflow = try selection.find(connection: connection, command: "history")
        let (entries, deployment) = try await withClient(cluster, connection) { client in
            try await mapErrors {
                (try await DeployHistory(api: client).read(namespace: workflow.namespace, workflow: workflow.name),
                 try await client.get(.deployments, namespace: workflow.namespace, name: workflow.name))
            }
        }
        guard !entries.isEmpty else {
            throw ValidationFailure("no deploy of workflow \(workflow.name) is recorded in namespace \(workflow.namespace) (no configmap/\(DeployHistory.configMapName(workflow.name))); deploy it with `pipedreamer deploy`")
        }
        let live = DeployHistory.live(entries, deployment: deployment)
        let rows = entries.map { Row(entry: $0, refs: Self.refs(of: $0.commit, in: workflow.repository), live: $0.revision == live) }
        if output == .json { StandardOutput.write(json: try json(rows)) } else { print(text(rows)) }
    }

    struct Row {
        let entry: DeployHistory.Entry
        let refs: [String]
        let live: Bool

        var state: String {
            if live { return "live" }
            switch entry.outcome {
            case .complete: return "rolled out"
            case .failed: return "failed"
            case .started: return "started"
            }
        }
    }

    /// Tags, then branches, that point at `commit` in the local repository.
    static func refs(of commit: String, in repository: Repository?) -> [String] {
        guard let repository, let oid = Oid(hex: commit) else { return [] }
        return ((try? repository.tags(pointingAt: oid)) ?? []) + ((try? repository.branches(pointingAt: oid)) ?? [])
    }

    func text(_ rows: [Row]) -> String {
        let header = ["REVISION", "COMMIT", "CODE", "REFS", "IMAGE", "DEPLOYED", "BY", "STATE"]
        let cells = rows.map { row in
            [String(row.entry.revision), String(row.entry.commit.prefix(12)), String(row.entry.codeCommit.prefix(12)),
             row.refs.isEmpty ? "-" : row.refs.joined(separator: ","), row.entry.image, row.entry.deployedAt,
             row.entry.deployedBy, row.state]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        return ([header] + cells).map { line in
            line.enumerated().map { index, cell in
                index == line.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }

    func json(_ rows: [Row]) throws -> String {
        let value = JSONValue.array(rows.map { row in
            .object([
                "revision": .int(row.entry.revision), "commit": .string(row.entry.commit),
                "codeCommit": .string(row.entry.codeCommit), "refs": .array(row.refs.map(JSONValue.string)),
                "image": .string(row.entry.image), "codeConfigMap": .string(row.entry.codeConfigMap),
                "deployedAt": .string(row.entry.deployedAt), "deployedBy": .string(row.entry.deployedBy),
                "outcome": .string(row.entry.outcome.rawValue), "live": .bool(row.live),
            ])
        })
        return try jsonText(value)
    }
}
