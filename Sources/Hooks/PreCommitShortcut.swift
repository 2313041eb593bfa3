import Deploy
import GitFiles

/// The pre-commit hook's answer before libgit2 starts: most commits in a monorepo touch no
/// workflow, and that is known from the index file and HEAD's trees alone (`StagedChange`).
/// `pipedreamer-hook` asks the same question before the full tool starts at all.
public enum PreCommitShortcut {
    /// Set by `pipedreamer-hook` when it execs the full check after asking the same question.
    public static let askedVariable = "PIPEDREAMER_HOOK_SHORTCUT_ASKED"

    /// True only when the commit certainly touches no workflow directory: the index holds no
    /// workflow.yaml, or the cache-tree shows every workflow directory with HEAD's tree and no
    /// .gitattributes above one changed. False means "not known": run the full check.
    public static func touchesNoWorkflow() -> Bool {
        StagedChange.open()?.certainlyLeavesUnchanged(directoriesHolding: BundleRules.specFileName) ?? false
    }
}
