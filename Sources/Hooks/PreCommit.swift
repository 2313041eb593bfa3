import Deploy
import GitShim
import GitFiles
import WorkflowBundle

/// What the pre-commit hook found in the index git is about to commit.
public struct PreCommitReport: Sendable {
    /// The workflow directories the staged change touches, which were checked.
    public let checked: [String]
    public let failures: [WorkflowFailure]
    /// The checked workflow.yaml files that parsed with no error and no warning, with their blobs
    /// and the node files they name: what `record(in:)` gives the pre-commit fast path.
    public var cleanSpecs: [(path: String, blob: Oid, nodePaths: [String])] = []

    public var passed: Bool { failures.isEmpty }

    /// Records the clean specs in `cache`, so that the next commit that leaves them as they are can
    /// be passed by `pipedreamer-hook` without the full check (`StagedCheck`).
    public func record(in cache: SpecVerdictCache?) {
        guard let cache else { return }
        for spec in cleanSpecs { cache.record(blob: spec.blob, path: spec.path, nodePaths: spec.nodePaths) }
    }

    /// The message for a refused commit: every violation with its fix, then what to do next.
    public var text: String { text(merging: false) }

    /// The message for a refused commit, or (`merging`) for a merge git stopped before recording it.
    public func text(merging: Bool) -> String {
        var lines = ["pipedreamer: \(merging ? "merge" : "commit") refused: \(failures.count) workflow\(failures.count == 1 ? "" : "s") cannot ship"]
        lines += failures.map(\.text)
        if merging {
            lines.append("The merge is not recorded yet; its result is in the index. Fix the problems above, stage the fixes (git add) and run `git merge --continue`, or give up with `git merge --abort`. `git merge --no-verify` skips this check, but deploy enforces the same rules.")
        } else {
            lines.append("Fix the problems above, stage the fixes (git add) and commit again. `git commit --no-verify` skips this check, but deploy enforces the same rules.")
        }
        return lines.joined(separator: "\n")
    }
}

/// The pre-commit hook: checks every workflow directory the staged change touches, with the rules deploy uses.
public enum PreCommit {
    /// Checks `index` (the index being committed) against HEAD. Deleted workflows pass; so does a
    /// repository without any workflow.yaml. `files` (as the pre-commit framework passes them) adds
    /// the workflows that hold those paths, changed or not, so `pre-commit run --all-files` checks
    /// every workflow. Reads only: the index, refs and working tree are left alone.
    public static func run(repository: Repository, index: IndexSnapshot, limit: Int, files: [String] = [],
                           strict: Bool = false, warn: (SpecError) -> Void = { _ in }) throws -> PreCommitReport {
        try run(repository: repository, index: index, files: files, warn: warn) {
            RepositorySettings(maxCodeBytes: limit, strict: strict)
        }
    }

    /// The same, with the settings read only when a workflow is to be checked, so a setting that
    /// cannot be read never blocks a commit that touches no workflow.
    public static func run(repository: Repository, index: IndexSnapshot, files: [String] = [],
                           warn: (SpecError) -> Void = { _ in },
                           settings readSettings: () throws -> RepositorySettings) throws -> PreCommitReport {
        let all = try WorkflowLocator.discover(in: index)
        guard !all.isEmpty else { return PreCommitReport(checked: [], failures: []) }
        let head = repository.isHeadUnborn
            ? nil : try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let staged = Set(try WorkflowChanges.staged(index: index, head: head, workflows: all))
        let named = WorkflowChanges.holding(files, workflows: all)
        let touched = all.filter { staged.contains($0) || named.contains($0) }
        guard !touched.isEmpty else { return PreCommitReport(checked: [], failures: []) }
        let settings = try readSettings()
        var clean: [(path: String, blob: Oid, nodePaths: [String])] = []
        let failures = try touched.compactMap { directory in
            try WorkflowFailure.check(directory, in: index, workflows: all, before: head, limit: settings.maxCodeBytes,
                                      strict: settings.strict, warn: warn) { spec in
                clean.append((joinPath(directory, BundleRules.specFileName), spec.blob, spec.nodePaths))
            }
        }
        var report = PreCommitReport(checked: touched, failures: failures)
        report.cleanSpecs = clean
        return report
    }
}
