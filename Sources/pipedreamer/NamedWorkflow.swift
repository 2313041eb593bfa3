import Deploy
import GitShim
import KubeClient

/// The workflow a cluster command acts on: NAME, else the one `-w` (or the current directory) picks
/// in HEAD's tree; its namespace is `-n`, else its `deployment.namespace`, else the context's.
struct NamedWorkflow {
    let name: String
    let namespace: String
    /// The workflow's directory at HEAD, when the local repository has it.
    let directory: String?
    let repository: Repository?

    static func find(name: String?, repositoryOptions: RepositoryOptions, namespace: String?,
                     connection: ClusterConnection, command: String) throws -> NamedWorkflow {
        let repository = try? repositoryOptions.open()
        let local = name == nil ? try localWorkflow(repository, repositoryOptions)
            : try? localWorkflow(repository, repositoryOptions)
        guard let workflowName = name ?? local?.check.spec?.name else {
            throw ValidationFailure("name a workflow (pipedreamer \(command) NAME), or run inside a repository whose HEAD has a workflow.yaml")
        }
        let matching = local.flatMap { $0.check.spec?.name == workflowName ? $0 : nil }
        let ns = KubeNamespace.resolve(flag: namespace, workflow: matching?.check.spec?.namespace, connection: connection)
        return NamedWorkflow(name: workflowName, namespace: ns, directory: matching?.directory, repository: repository)
    }

    /// The chosen workflow at HEAD, when there is a repository with one.
    static func localWorkflow(_ repository: Repository?, _ options: RepositoryOptions) throws -> (check: WorkflowCheck, directory: String)? {
        guard let repository, let commit = try? repository.resolveCommit("HEAD") else { return nil }
        return try mapErrors {
            let snapshot = try CommitSnapshot(repository: repository, commit: commit)
            let all = try WorkflowLocator.discover(in: snapshot)
            guard !all.isEmpty else { return nil }
            let directory = try WorkflowLocator.select(in: snapshot, requested: options.workflowDirectory(in: repository),
                                                       currentDirectory: options.currentDirectory(in: repository))
            return (try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all), directory)
        }
    }
}
