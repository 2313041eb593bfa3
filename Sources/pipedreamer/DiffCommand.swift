import ArgumentParser
import Deploy
import Foundation
import KubeClient

struct DiffCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what deploying a commit would change in the cluster.",
        discussion: """
        Compares each live object with the result of a server-side dry-run apply of the rendered \
        object (nothing is persisted), ignoring fields the server fills in (managedFields, \
        resourceVersion, uid, creationTimestamp, generation, status). Secrets are not compared: \
        their values are never read. Exit status, like kubectl diff: 0 no differences, 1 \
        differences found, 2 an error (a usage error included).
        """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var cluster: ClusterOptions

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (a unified diff of the objects that differ) or json (an object: changed, and per object its change, the live and desired YAML and the unified diff; on an error {\"error\": MESSAGE}).",
                               valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func run() async throws {
        do {
            let connection = try cluster.connection()
            let (_, rendered) = try target.render(contextNamespace: connection.namespace)
            if let note = rendered.codeCommit.shallowNote(directory: rendered.directory) { printError(note) }
            let entries = try await withClient(cluster, connection) { client in
                try await mapErrors { try await WorkflowDiff(api: client).run(rendered) }
            }
            let changed = entries.filter(\.changed)
            if output == .json {
                try StandardOutput.write(json(rendered, entries))
            } else {
                for entry in changed { print(WorkflowDiff.unified(entry), terminator: "") }
            }
            if !changed.isEmpty { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let message = plainDescription(of: plainError(error))
            printError("Error: \(message)")
            if output == .json { try? StandardOutput.write(StandardOutput.failure(message)) }
            throw ExitCode(2)
        }
    }

    /// The changes as data: `create` (not live yet), `update`, `delete` (deploy would prune it) or `none`.
    func json(_ rendered: Rendered, _ entries: [WorkflowDiff.Entry]) -> JSONValue {
        .object([
            "workflow": .string(rendered.spec.name),
            "namespace": .string(rendered.namespace),
            "commit": .string(rendered.commit.oid.hex),
            "changed": .bool(entries.contains(where: \.changed)),
            "objects": .array(entries.map { entry in
                let change = !entry.changed ? "none" : entry.live == nil ? "create" : entry.desired == nil ? "delete" : "update"
                return .object([
                    "object": .string(entry.reference),
                    "change": .string(change),
                    "live": entry.live.map(JSONValue.string) ?? .null,
                    "desired": entry.desired.map(JSONValue.string) ?? .null,
                    "diff": entry.changed ? .string(WorkflowDiff.unified(entry)) : .null,
                ])
            }),
        ])
    }
}
