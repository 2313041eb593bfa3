import Deploy
import GitShim

/// The pre-commit hook's answer before libgit2 starts: most commits in a monorepo touch no
/// workflow, and that is known from the index file and HEAD's trees alone (`StagedChange`).
public enum PreCommitShortcut {
    /// True only when the commit certainly touches no workflow directory: the index holds no
    /// workflow.yaml, or the cache-tree shows every workflow directory with HEAD's tree and no
    /// .gitattributes above one changed. False means "not known": run the full check.
    public static func touchesNoWorkflow() -> Bool {
        guard let staged = StagedChange.open() else { return false }
        let workflows = staged.directories(containing: BundleRules.specFileName)
        if workflows.isEmpty { return true }
        guard staged.hasHead else { return false }
        return workflows.allSatisfy { directory in
            staged.isUnchanged(directory: directory)
                && WorkflowChanges.attributeFiles(above: directory).allSatisfy { staged.isUnchanged(file: $0) }
        }
    }
}
