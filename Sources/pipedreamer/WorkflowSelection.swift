import ArgumentParser
import KubeClient

/// Which deployed workflow a cluster command acts on: NAME, else the one `-w` (or the current
/// directory) picks in HEAD's tree, in `-n`, else its deployment.namespace, else the context's.
/// Shared by status, history and rollback.
struct WorkflowSelection: ParsableArguments {
    @Argument(help: ArgumentHelp("Workflow name (the Deployment's name). (default: the name in HEAD's workflow.yaml)", valueName: "name"))
    var name: String?

    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace. (default: deployment.namespace in workflow.yaml, else the context's namespace, else \"default\")", valueName: "namespace"))
    var namespace: String?

    /// The workflow and its namespace; `command` names the subcommand in the error that asks for NAME.
    func find(connection: ClusterConnection, command: String) throws -> NamedWorkflow {
        try NamedWorkflow.find(name: name, repositoryOptions: repositoryOptions, namespace: namespace,
                               connection: connection, command: command)
    }
}
