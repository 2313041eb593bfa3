import Deploy
import GitShim
import WorkflowBundle

/// The workflow `-w` (or the current directory) picks in HEAD's tree, and its directory.
struct LocalWorkflow {
    let check: WorkflowCheck
    let directory: String
}

extension RepositoryOptions {
    /// The chosen workflow (`-w`, else the only one, else the one containing the current directory)
    /// as HEAD holds it, when there is a repository with one: where status, history, rollback and
    /// delete find the workflow's name, its deployment.namespace and its directory.
    func localWorkflow(_ repository: Repository?) throws -> LocalWorkflow? {
        guard let repository, let commit = try? repository.resolveCommit("HEAD") else { return nil }
        return try mapErrors {
            let snapshot = try CommitSnapshot(repository: repository, commit: commit)
            let all = try WorkflowLocator.discover(in: snapshot)
            guard !all.isEmpty else { return nil }
            let directory = try WorkflowLocator.select(in: snapshot, requested: workflowDirectory(in: repository),
                                                       currentDirectory: currentDirectory(in: repository))
            return LocalWorkflow(check: try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all), directory: directory)
        }
    }
}
