import Deploy
import GitShim
import GitFiles
import WorkflowBundle

/// One workflow that cannot ship, as a hook found it, with the size it had before the change.
public struct WorkflowFailure: Sendable {
    public let check: WorkflowCheck
    /// What was checked: `the index` or `commit 1a2b3c4d5e6f`.
    public let label: String
    /// The bundle's size before the change (at HEAD, or at the first parent), read only when the size
    /// is over the limit; nil otherwise and when there was no commit before.
    public let bytesBefore: Int?

    public var directory: String { check.directory }

    /// Every violation with its fix; under the size violation, how much the change adds.
    public var text: String {
        ViolationReport.text(for: check, at: label) { violation in
            violation.kind == .tooLarge ? [sizeChange] : []
        }
    }

    /// "this commit adds 1200 bytes (920401 bytes before)".
    public var sizeChange: String {
        let total = check.bundle.totalBytes
        guard let before = bytesBefore else { return "this commit adds \(total) bytes (there is no commit before it)" }
        let delta = total - before
        if delta > 0 { return "this commit adds \(delta) bytes (\(before) bytes before)" }
        if delta < 0 { return "this commit removes \(-delta) bytes (\(before) bytes before), still over the limit" }
        return "this commit does not change the size (\(before) bytes before)"
    }

    /// Checks `directory` of `snapshot`; nil when it can ship. `before` is the snapshot the change starts from;
    /// `warn` receives workflow.yaml's warnings (unknown keys), which never refuse unless `strict`.
    static func check(_ directory: String, in snapshot: Snapshot, workflows all: [String], before: CommitSnapshot?,
                      limit: Int, strict: Bool = false, warn: (SpecError) -> Void = { _ in },
                      clean: ((blob: Oid, nodePaths: [String])) -> Void = { _ in }) throws -> WorkflowFailure? {
        let check = try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all, limit: limit, strict: strict)
        check.warnings.forEach(warn)
        check.cleanSpec.map(clean)
        guard !check.isValid else { return nil }
        var bytesBefore: Int?
        if let before, check.violations.contains(where: { $0.kind == .tooLarge }) {
            bytesBefore = try bundledBytes(of: directory, in: before, nested: WorkflowLocator.nested(in: all, under: directory))
        }
        return WorkflowFailure(check: check, label: snapshot.label, bytesBefore: bytesBefore)
    }

    /// The size of what `CodeBundle` ships from `directory` of `snapshot`. A limit of zero keeps it
    /// from loading any content: sizes come from object headers.
    private static func bundledBytes(of directory: String, in snapshot: CommitSnapshot, nested: [String]) throws -> Int {
        try CodeBundle.build(from: snapshot, directory: directory, limit: 0, excluding: nested).totalBytes
    }
}
