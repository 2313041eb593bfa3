import ArgumentParser
import Deploy
import Foundation

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove every object pipedreamer created for a workflow.",
        discussion: """
        Selects the objects by their labels (app.kubernetes.io/name=NAME, \
        app.kubernetes.io/managed-by=pipedreamer): CronJobs, Service, Deployment, the Secret and \
        the code ConfigMap. Lists them and asks for confirmation on a terminal; elsewhere --yes \
        is required.
        """
    )

    @Argument(help: ArgumentHelp("Workflow name.", valueName: "name"))
    var name: String

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace. (default: the kubeconfig context's namespace, else \"default\")", valueName: "namespace"))
    var namespace: String?

    @Flag(help: "Delete without asking. (default: ask on a terminal, refuse elsewhere)")
    var yes = false

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let connection = try cluster.connection()
        let ns = KubeNamespace.resolve(flag: namespace, workflow: nil, connection: connection)
        let askFirst = !yes
        let deleted: [String]? = try await withClient(cluster, connection) { client in
            try await mapErrors {
                let deletion = WorkflowDeletion(api: client)
                let plan = try await deletion.plan(namespace: ns, name: name)
                guard !plan.isEmpty else { return [] }
                print("objects of workflow \(name) in namespace \(ns):")
                for (type, objectName) in plan { print("  \(type)/\(objectName)") }
                if askFirst, !(try confirm("delete these \(plan.count) objects? [y/N] ")) { return nil }
                return try await deletion.run(plan, namespace: ns, dryRun: false)
            }
        }
        guard let deleted else {
            print("nothing deleted")
            throw ExitCode(1)
        }
        if deleted.isEmpty {
            print("no objects of workflow \(name) in namespace \(ns); nothing to delete")
            return
        }
        for reference in deleted { print("\(reference) deleted") }
    }

    /// Asks on a terminal; refuses when standard input is not one.
    func confirm(_ question: String) throws -> Bool {
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationFailure("refusing to delete without confirmation: standard input is not a terminal; pass --yes")
        }
        // The prompt goes to standard error, which is unbuffered, so it shows before the read.
        FileHandle.standardError.write(Data(question.utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }
}
