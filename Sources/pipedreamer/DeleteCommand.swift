import ArgumentParser
import Deploy
import Foundation
import KubeClient

struct DeleteCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove every object pipedreamer created for a workflow.",
        discussion: """
        Selects the objects by their labels (app.kubernetes.io/name=NAME, \
        app.kubernetes.io/managed-by=pipedreamer): CronJobs, Service, Deployment, the Secret and \
        the code ConfigMap; objects without those labels are never deleted. The workflow, its \
        namespace and the context are found as status and deploy find them (-w, -C, workflow.yaml's \
        deployment.namespace, -n, --context). Lists the objects and asks for confirmation on a \
        terminal; elsewhere --yes is required. Holds the workflow's deploy lease while deleting, so \
        no deploy runs alongside, then waits until the objects are gone.
        """
    )

    @Argument(help: ArgumentHelp("Workflow name. (default: the name in HEAD's workflow.yaml)", valueName: "name"))
    var name: String?

    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace. (default: deployment.namespace in workflow.yaml, else the kubeconfig context's namespace, else \"default\")", valueName: "namespace"))
    var namespace: String?

    @Flag(help: "Delete without asking. (default: ask on a terminal, refuse elsewhere)")
    var yes = false

    @Option(name: .customLong("dry-run"),
            help: ArgumentHelp("client: list what would be deleted and delete nothing; server: send the deletes with dryRun=All. (default: off)",
                               valueName: "mode"))
    var dryRun: DryRunMode?

    @Flag(inversion: .prefixedNo, help: "Wait until the objects are gone.")
    var wait = true

    @Option(help: ArgumentHelp("How long to wait for the objects to go, e.g. 90s, 5m; 0 waits without limit.", valueName: "duration"))
    var timeout: String = "2m"

    @Option(name: .customLong("lock-timeout"),
            help: ArgumentHelp("How long to wait while a deploy of the workflow holds its lease; 0 fails at once while that deploy renews it (a lease left by a deploy that died is still taken over, after half its duration).", valueName: "duration"))
    var lockTimeout: String = "2m"

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (the objects, then one line per object deleted) or json (an object with the objects found and deleted; on failure with error). The list and the question go to standard error with json.", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        _ = try duration(timeout, "--timeout")
        _ = try duration(lockTimeout, "--lock-timeout")
    }

    func run() async throws {
        let connection = try cluster.connection()
        let repository = try? repositoryOptions.open()
        let local = name == nil ? try repositoryOptions.localWorkflow(repository) : try? repositoryOptions.localWorkflow(repository)
        guard let workflow = name ?? local?.check.spec?.name else {
            throw ValidationFailure("name a workflow (pipedreamer delete NAME), or run inside a repository whose HEAD has a workflow.yaml")
        }
        let localSpec = local?.check.spec.flatMap { $0.name == workflow ? $0 : nil }
        let ns = KubeNamespace.resolve(flag: namespace, workflow: localSpec?.namespace, connection: connection)
        let location = "namespace \(ns) (context \(connection.contextName ?? connection.origin))"
        let waitLimit = try duration(timeout, "--timeout")
        let lockLimit = try duration(lockTimeout, "--lock-timeout") ?? .zero
        let mode = dryRun
        let json = output == .json
        // With json the data is the document; the list goes to standard error with the question.
        let say: @Sendable (String) -> Void = { line in if json { printError(line) } else { print(line) } }
        var planned = [String]()
        let deleted: [String]? = try await withClient(cluster, connection) { client in
            try await mapErrors {
                let deletion = WorkflowDeletion(api: client)
                let plan = try await deletion.plan(namespace: ns, name: workflow)
                planned = plan.map { "\($0.0)/\($0.1)" }
                guard !plan.isEmpty else { return [] }
                say("objects of workflow \(workflow) in \(location):")
                for (type, objectName) in plan { say("  \(type)/\(objectName)") }
                if mode == .client { return plan.map { "\($0.0)/\($0.1)" } }
                if !yes, !(try confirm("delete these \(plan.count) objects from \(location)? [y/N] ")) { return nil }
                if mode == .server { return try await deletion.run(plan, namespace: ns, dryRun: true) }
                return try await deletion.withLease(namespace: ns, name: workflow, lockTimeout: lockLimit,
                                                    say: say, warn: { printError("Warning: \($0)") }) {
                    // Read again under the lease: a deploy that ended meanwhile may have changed the set.
                    let current = try await deletion.plan(namespace: ns, name: workflow)
                    let deleted = try await deletion.run(current, namespace: ns, dryRun: false)
                    if wait { try await deletion.waitUntilGone(current, namespace: ns, timeout: waitLimit) }
                    return deleted
                }
            }
        }
        let fields: [String: JSONValue] = [
            "workflow": .string(workflow), "namespace": .string(ns),
            "context": connection.contextName.map(JSONValue.string) ?? .null,
            "dryRun": mode.map { .string($0.rawValue) } ?? .null,
            "objects": .array(planned.map(JSONValue.string)),
            "deleted": .array((deleted ?? []).map(JSONValue.string)),
        ]
        guard let deleted else {
            if json {
                printError("nothing deleted")
                try StandardOutput.write(StandardOutput.failure("not confirmed; nothing deleted", fields))
            } else {
                print("nothing deleted")
            }
            throw ExitCode(1)
        }
        if json {
            try StandardOutput.write(.object(fields))
            return
        }
        if deleted.isEmpty {
            print("no objects of workflow \(workflow) in namespace \(ns); nothing to delete")
            return
        }
        let suffix = mode == .client ? " (dry run)" : mode == .server ? " (server dry run)" : ""
        for reference in deleted { print("\(reference) deleted\(suffix)") }
    }

    func duration(_ text: String, _ flag: String) throws -> Duration? {
        do {
            return try KubeRequestTimeout.parse(text)
        } catch {
            throw ValidationError("\(flag): '\(text)' is not a duration; write it like 90s, 5m or 0")
        }
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
