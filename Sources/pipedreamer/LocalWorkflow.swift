import Deploy
import GitShim

extension RepositoryOptions {
    /// The chosen workflow (`-w`, else the only one, else the one containing the current directory)
    /// as HEAD holds it, when there is a repository with one: where status and delete find the
    /// workflow's name and its deployment.namespace.
    func localWorkflow(_ repository: Repository?) throws -> WorkflowCheck? {
        guard let repository, let commit = try? repository.resolveCommit("HEAD") else { return nil }
        return try mapErrors {
            let snapshot = try CommitSnapshot(repository: repository, commit: commit)
            let all = try WorkflowLocator.discover(in: snapshot)
            guard !all.isEmpty else { return nil }
            let directory = try WorkflowLocator.select(in: snapshot, requested: workflowDirectory(in: repository),
                                                       currentDirectory: currentDirectory(in: repository))
            return try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all)
        }
    }
}
