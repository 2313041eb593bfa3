/// A workflow that cannot ship: its violations as values, so each caller presents them its own way
/// (the CLI prints the full report, post-receive names the first problem).
public struct WorkflowRejected: Error, CustomStringConvertible, Sendable {
    public let check: WorkflowCheck
    /// What was checked: `commit 1a2b3c4d5e6f` or `the index`.
    public let label: String

    public init(check: WorkflowCheck, label: String) {
        self.check = check
        self.label = label
    }

    /// Every violation with its fix, as `check` prints them.
    public var description: String { ViolationReport.text(for: check, at: label) }

    /// The first violation's first line: what a one-line report says.
    public var firstProblem: String {
        String(check.violations.first?.message.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
}
