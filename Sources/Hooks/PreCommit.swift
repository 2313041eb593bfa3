import Deploy
import GitShim

/// What the pre-commit hook found in the index git is about to commit.
public struct PreCommitReport: Sendable {
    /// The workflow directories the staged change touches, which were checked.
    public let checked: [String]
    public let failures: [WorkflowFailure]

    public var passed: Bool { failures.isEmpty }

    /// The message for a refused commit: every violation with its fix, then what to do next.
    public var text: String {
        var lines = ["pipedreamer: commit refused: \(failures.count) workflow\(failures.count == 1 ? "" : "s") cannot ship"]
        lines += failures.map(\.text)
        lines.append("Fix the problems above, stage the fixes (git add) and commit again. `git commit --no-verify` skips this check, but deploy enforces the same rules.")
        return lines.joined(separator: "\n")
    }
}

/// The pre-commit hook: checks every workflow directory the staged change touches, with the rules deploy uses.
public enum PreCommit {
    /// Checks `index` (the index being committed) against HEAD. Deleted workflows pass; so does a
    /// repository without any workflow.yaml. Reads only: the index, refs and working tree are left alone.
    public static func run(repository: Repository, index: IndexSnapshot, limit: Int,
                           strict: Bool = false, warn: (SpecError) -> Void = { _ in }) throws -> PreCommitReport {
        let all = try WorkflowLocator.discover(in: index)
        guard !all.isEmpty else { return PreCommitReport(checked: [], failures: []) }
        let head = repository.isHeadUnborn
            ? nil : try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let touched = try WorkflowChanges.staged(index: index, head: head, workflows: all)
        let failures = try touched.compactMap {
            try WorkflowFailure.check($0, in: index, workflows: all, before: head, limit: limit, strict: strict, warn: warn)
        }
        return PreCommitReport(checked: touched, failures: failures)
    }
}
