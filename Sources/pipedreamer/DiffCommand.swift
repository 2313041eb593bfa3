import ArgumentParser
import Deploy
import Foundation
import KubeClient

struct DiffCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what deploying a commit would change in the cluster.",
        discussion: """
        Plans the deploy exactly as deploy would (the working copy's .secrets.yaml or .secrets/, \
        replicas set by kubectl scale or an HPA kept, the restart stamp, CronJobs to prune) and \
        compares each live object with the server-side dry run of that plan (nothing is persisted), \
        ignoring fields the server fills in (managedFields, resourceVersion, uid, creationTimestamp, \
        generation, status). A Secret is shown by key and keyed digest, never by value. An object \
        deploy would refuse (not this workflow's without --adopt, fields other managers own without \
        --force-conflicts) is reported as deploy reports it, with exit status 2. Exit status, like \
        kubectl diff: 0 deploy would write nothing, 1 deploy would write something, 2 an error (a \
        usage error and a refused deploy included).
        """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Plan as deploy --adopt: take over objects of the workflow's names that exist without its labels. (default: refuse them)")
    var adopt = false

    @Flag(name: .customLong("force-conflicts"),
          help: "Plan as deploy --force-conflicts: take fields that other field managers own. (default: refuse)")
    var forceConflicts = false

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (a unified diff of the objects that differ) or json (an object: changed, and per object its change, the live and desired YAML and the unified diff; on an error {\"error\": MESSAGE}).",
                               valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func run() async throws {
        do {
            let connection = try cluster.connection()
            let prepared = try mapErrors { try target.prepareDeploy(contextNamespace: connection.namespace) }
            let rendered = prepared.rendered
            if let note = rendered.codeCommit.shallowNote(directory: rendered.directory) { printError(note) }
            var settings = DeploySettings()
            settings.adopt = adopt
            settings.forceConflicts = forceConflicts
            let entries = try await withClient(cluster, connection) { client in
                try await mapErrors {
                    // Deploy's mode: the live one unless a flag or git config asks for another.
                    let (planned, announcement) = try await WorkflowDeploy.inLiveCodeMode(prepared, api: client)
                    if let announcement { printError(announcement) }
                    return try await WorkflowDiff(api: client).run(planned.rendered, secret: planned.secret, settings: settings)
                }
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
