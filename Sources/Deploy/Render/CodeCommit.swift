import GitShim

/// The commit a workflow's code comes from: the last commit that changed the workflow's directory
/// as of the deployed commit (`git log -1 --format=%H REV -- DIR`). It is the restart stamp and the
/// ConfigMap's record, so a commit that changes nothing in the directory restarts nothing.
public struct CodeCommit: Sendable, Equatable {
    public let oid: Oid
    /// Set when a shallow clone's history ends (at this commit) before the change was found; the
    /// code commit is then the deployed commit itself.
    public let shallowBoundary: Oid?

    public init(oid: Oid, shallowBoundary: Oid? = nil) {
        self.oid = oid
        self.shallowBoundary = shallowBoundary
    }

    /// Walks the history of `directory` ("" for the repository root) from `commit`.
    public static func find(repository: Repository, commit: Commit, directory: String) throws -> CodeCommit {
        switch try repository.lastChange(of: directory, asOf: commit.oid) {
        case .commit(let oid)?: return CodeCommit(oid: oid)
        case .beyondShallowBoundary(let boundary)?: return CodeCommit(oid: commit.oid, shallowBoundary: boundary)
        case nil: return CodeCommit(oid: commit.oid)
        }
    }

    /// What a command says, once, when a shallow clone hid the commit that last changed the workflow.
    public func shallowNote(directory: String) -> String? {
        guard let shallowBoundary else { return nil }
        let shown = WorkflowLocator.shown(directory)
        return "note: this clone is shallow: the history of \(shown) ends at \(shallowBoundary.short) before the commit that last changed it, so the restart stamp is the deployed commit \(oid.short) and the pods restart even if \(shown) did not change; fetch the full history with `git fetch --unshallow`"
    }
}
