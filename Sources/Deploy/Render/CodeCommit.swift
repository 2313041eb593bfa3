import GitShim
import GitFiles
import WorkflowBundle

/// The commit a workflow's code comes from: the last commit, as of the deployed commit, that changed
/// what the workflow ships — workflow.yaml, the files under nodes/ the bundle rules select, and
/// `.pipedreamer/base-image.txt` (the other input of its pod template that a commit holds). It is
/// the restart stamp and the ConfigMap's record, so a commit that changes only files that do not
/// ship (a README, `nodes/NOTES.md`, tests) restarts nothing.
public struct CodeCommit: Sendable, Equatable {
    public let oid: Oid
    /// Set when a shallow clone's history ends (at this commit) before the change was found; the
    /// code commit is then the deployed commit itself.
    public let shallowBoundary: Oid?

    public init(oid: Oid, shallowBoundary: Oid? = nil) {
        self.oid = oid
        self.shallowBoundary = shallowBoundary
    }

    /// What counts: the bundle's files, the image file, nothing of a nested workflow.
    static let shipped = PathSelection(
        enters: { $0 == "nodes" || $0 == ".pipedreamer" || ($0.hasPrefix("nodes/") && !$0.split(separator: "/").contains { $0.hasPrefix(".") }) },
        includes: { BundleRules.isBundled($0) || $0 == ImageResolver.fileName },
        stopsAtDirectoriesHolding: BundleRules.specFileName)

    /// Walks the history of `directory` ("" for the repository root) from `commit`.
    public static func find(repository: Repository, commit: Commit, directory: String) throws -> CodeCommit {
        switch try repository.lastChange(of: directory, asOf: commit.oid, selecting: shipped) {
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
