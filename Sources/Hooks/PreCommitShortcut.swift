import Deploy
import GitFiles
import WorkflowBundle

/// The pre-commit hook's answer before libgit2 starts: most commits in a monorepo touch no
/// workflow, and that is known from the index file and HEAD's trees alone (`StagedChange`).
/// `pipedreamer-hook` asks the same question before the full tool starts at all.
public enum PreCommitShortcut {
    /// Set by `pipedreamer-hook` when it execs the full check after asking the same question.
    public static let askedVariable = StagedCheck.askedVariable

    /// `StagedCheck.touchesNoWorkflow` for the index git runs the hook for; false when it cannot be read.
    public static func touchesNoWorkflow() -> Bool {
        StagedChange.open().map(StagedCheck.touchesNoWorkflow) ?? false
    }
}
