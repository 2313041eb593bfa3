import ArgumentParser
import Deploy
import Foundation
import GitShim
import Hooks
import GitFiles
import WorkflowBundle

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run a git hook; the shims that install-hooks installs call this.",
        discussion: """
        The hooks enforce the rules of `check` and deploy, with the size limit from git config \
        pipedreamer.maxCodeBytes (default 921600, at most 1048576), read as git reads it: `git -c`, \
        GIT_CONFIG_COUNT/GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n>, config.worktree, the repository's \
        config, the global and system files, and their includes.
        """,
        subcommands: [PreCommitHook.self, PreMergeCommitHook.self, PrePushHook.self, PostReceiveHook.self]
    )
}

struct PreCommitHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-commit",
        abstract: "Check the index git is about to commit.",
        discussion: """
        Reads the index named by $GIT_INDEX_FILE (as git sets it for `git commit <paths>` and \
        `git commit -a`), else the repository's index, in every form git writes (versions 2 to 4, \
        split, sparse; intent-to-add entries are left out as git leaves them out), and checks every \
        workflow directory the staged change touches: size, binary files, git-lfs pointers, symlinks, \
        submodules, committed secrets and workflow.yaml. Given file names (as the pre-commit framework \
        passes them), it also checks the workflows that hold those files as they stand in the index, \
        changed or not. A commit that touches no workflow directory is never refused. Silent with exit \
        0 when all holds; otherwise lists every problem with its fix on standard error and exits 1. \
        Never writes the index, refs or working tree. Run by pipedreamer-hook, it records each \
        workflow.yaml it finds clean (no error, no warning) in $XDG_CACHE_HOME/pipedreamer/spec-verdicts \
        (else ~/.cache/pipedreamer/spec-verdicts), so that pipedreamer-hook can pass the next commit \
        that leaves it as it is without this check; deleting that directory is always safe.
        """
    )

    @Argument(help: ArgumentHelp("Files whose workflows to check as well, repository-relative. (default: none)", valueName: "file"))
    var files: [String] = []

    func run() throws { try checkIndex(files: files, merging: false) }
}

struct PreMergeCommitHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-merge-commit",
        abstract: "Check the merge result git is about to record.",
        discussion: """
        `git merge` runs this hook, not pre-commit, before it records a merge commit; the index then \
        holds the merge result, and it is checked with the pre-commit rules against HEAD (the branch \
        merged into). A refusal leaves the merge in progress (MERGE_HEAD, the index and the working \
        tree as git left them), so the problems can be fixed and the merge concluded with \
        `git merge --continue`. (`git merge --squash` records no commit; the `git commit` that \
        follows runs pre-commit.)
        """
    )

    func run() throws { try checkIndex(files: [], merging: true) }
}

/// The pre-commit check, shared by pre-commit and pre-merge-commit.
func checkIndex(files: [String], merging: Bool) throws {
    // Most commits touch no workflow; that is known before libgit2 starts. pipedreamer-hook asks
    // the same question first and says so (the variable only ever skips a question already asked:
    // the full check below runs regardless).
    if files.isEmpty && ProcessInfo.processInfo.environment[PreCommitShortcut.askedVariable] == nil
        && PreCommitShortcut.touchesNoWorkflow() { return }
    let report = try mapErrors { () -> PreCommitReport? in
        let repository = try Repository.openInHook()
        let index: IndexSnapshot
        do {
            index = try IndexSnapshot(repository: repository)
        } catch let error as GitError where error.reason == .invalidIndex {
            // git read this index, so git says what the commit changes: one that touches no workflow passes.
            let touched = try IndexFallback.touchedWorkflows(repository: repository)
            guard touched.isEmpty else {
                throw HookError("\(error.message). The commit touches the workflow\(touched.count == 1 ? "" : "s") \(touched.map(WorkflowLocator.shown).joined(separator: ", ")), which cannot be checked until then.")
            }
            return nil
        }
        return try PreCommit.run(repository: repository, index: index, files: files,
                                 warn: { printError("warning: \($0)") }) {
            try RepositorySettings.load(from: repository)
        }
    }
    // Kept for pipedreamer-hook (which set the variable): a spec verdict is the same under every
    // setting, and the fast path asks for it only where it assumes the default settings.
    if let report, !report.cleanSpecs.isEmpty, ProcessInfo.processInfo.environment[PreCommitShortcut.askedVariable] != nil {
        report.record(in: SpecVerdictCache.forRunningBinary { ProcessInfo.processInfo.environment[$0] })
    }
    guard let report, !report.passed else { return }
    printError(report.text(merging: merging))
    throw ExitCode(1)
}
