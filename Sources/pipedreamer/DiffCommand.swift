import ArgumentParser
import Deploy
import Foundation

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what deploying a commit would change in the cluster.",
        discussion: """
        Compares each live object with the result of a server-side dry-run apply of the rendered \
        object (nothing is persisted), ignoring fields the server fills in (managedFields, \
        resourceVersion, uid, creationTimestamp, generation, status). Secrets are not compared: \
        their values are never read. Exit status, like kubectl diff: 0 no differences, 1 \
        differences found, 2 an error.
        """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        do {
            let connection = try cluster.connection()
            let (_, rendered) = try target.render(contextNamespace: connection.namespace)
            if let note = rendered.codeCommit.shallowNote(directory: rendered.directory) { printError(note) }
            let entries = try await withClient(cluster, connection) { client in
                try await mapErrors { try await WorkflowDiff(api: client).run(rendered) }
            }
            let changed = entries.filter(\.changed)
            for entry in changed { print(WorkflowDiff.unified(entry), terminator: "") }
            if !changed.isEmpty { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("Error: \(userFacing(error))")
            throw ExitCode(2)
        }
    }
}
