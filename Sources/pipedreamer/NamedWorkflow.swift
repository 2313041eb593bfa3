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
        let local = name == nil ? try repositoryOptions.localWorkflow(repository)
            : try? repositoryOptions.localWorkflow(repository)
        guard let workflowName = name ?? local?.check.spec?.name else {
            throw ValidationFailure("name a workflow (pipedreamer \(command) NAME), or run inside a repository whose HEAD has a workflow.yaml")
        }
        let matching = local.flatMap { $0.check.spec?.name == workflowName ? $0 : nil }
        let ns = KubeNamespace.resolve(flag: namespace, workflow: matching?.check.spec?.namespace, connection: connection)
        return NamedWorkflow(name: workflowName, namespace: ns, directory: matching?.directory, repository: repository)
    }
}
